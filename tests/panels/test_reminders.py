"""Celery beat e-mails action owners on the due date, then weekly while overdue."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail

from panels import services, tasks
from soteria.models import Pillar


@pytest.fixture
def action(meeting, ruth):
    return services.raise_action(
        meeting=meeting,
        by=ruth,
        title="Refresh the ISVA referral guide",
        owner=ruth,
        due_date=dt.date(2024, 9, 1),
        pillar=Pillar.objects.get(number=3),
    )


def test_the_owner_is_told_on_the_due_date_once(action):
    assert services.send_action_reminders(today=dt.date(2024, 9, 1)) == {"due": 1, "overdue": 0}
    assert services.send_action_reminders(today=dt.date(2024, 9, 1)) == {"due": 0, "overdue": 0}
    [message] = mail.outbox
    assert message.to == ["ruth@example.org"]
    assert (
        message.subject
        == "[Soteria flight deck] Panel action due today: Refresh the ISVA referral guide"
    )
    assert action.get_absolute_url() in message.body


def test_overdue_reminders_repeat_weekly(action):
    assert services.send_action_reminders(today=dt.date(2024, 9, 3))["overdue"] == 1
    assert services.send_action_reminders(today=dt.date(2024, 9, 8))["overdue"] == 0
    assert services.send_action_reminders(today=dt.date(2024, 9, 10))["overdue"] == 1
    assert "overdue" in mail.outbox[-1].subject
    assert "9 days ago" in mail.outbox[-1].body


def test_closed_actions_send_nothing(action, ruth):
    services.update_action(action=action, by=ruth, status="closed", progress_note="Done")
    assert services.send_action_reminders(today=dt.date(2024, 9, 3)) == {"due": 0, "overdue": 0}
    assert mail.outbox == []


def test_the_task_is_scheduled_daily_and_calls_the_service(action, time_machine):
    time_machine.move_to(dt.datetime(2024, 9, 1, 7))
    schedule = settings.CELERY_BEAT_SCHEDULE["panel-action-reminders-daily"]
    assert schedule["task"] == "panels.tasks.send_action_reminders"
    assert tasks.send_action_reminders.apply().get() == {"due": 1, "overdue": 0}
