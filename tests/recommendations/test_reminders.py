"""Reminder e-mails: action owners (due in 7 days, overdue) and PCC staff's weekly digest."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from recommendations import services, tasks
from recommendations.models import ActionStatus
from soteria.models import Membership, Role

from . import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 3, 10)


@pytest.fixture
def plan(force_a, rec11, pat, owen):
    response = factories.response(force=force_a, rec=rec11)

    def action(title, days, **extra):
        return services.add_action(
            response=response,
            by=pat,
            title=title,
            owner=extra.pop("owner", owen),
            due_date=TODAY + dt.timedelta(days=days),
        )

    return {
        "overdue": action("Overdue action", -3),
        "in_a_week": action("Due in a week", 7),
        "later": action("Due later", 8),
        "done": action("Done already", -10),
    }


def test_an_owner_hears_about_overdue_actions_and_those_due_in_7_days(plan, owen):
    plan["done"].status = ActionStatus.CANCELLED
    plan["done"].save()
    assert services.send_action_reminders(today=TODAY) == 1
    (message,) = mail.outbox
    assert message.to == [owen.email]
    assert message.subject == "[Soteria flight deck] 2 improvement actions need your update"
    assert "Overdue action" in message.body and "Due in a week" in message.body
    assert "Due later" not in message.body and "Done already" not in message.body
    assert f"/recommendations/{plan['overdue'].response.recommendation_id}/#action-" in message.body


def test_an_owner_who_has_left_the_force_is_not_told(plan, owen):
    Membership.objects.filter(user=owen).delete()
    assert services.send_action_reminders(today=TODAY) == 0
    assert mail.outbox == []


def test_the_tasks_run_the_services_for_today(plan, pat):
    with time_machine.travel(dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC)):
        assert tasks.send_action_reminders.apply().get() == 1
        assert tasks.send_weekly_digests.apply().get() == 1
    assert [m.to for m in mail.outbox] == [["owen@example.org"], [pat.email]]


def test_pcc_staff_get_a_digest_of_their_own_force_only(
    plan, pat, make_user, force_b, alice, soteria_2024
):
    quinn = make_user("quinn", Role.PCC_STAFF, force_b)
    factories.response(force=force_b, rec=soteria_2024.recommendations.get(number="3"))
    assert services.send_weekly_digests(today=TODAY) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {pat.email, quinn.email}
    pats = by_recipient[pat.email]
    assert "Avon and Somerset" in pats.subject
    assert "Overdue action" in pats.body
    assert "Staffordshire" not in pats.body
    assert "Overdue action" not in by_recipient[quinn.email].body
    assert alice.email not in by_recipient


def test_the_digests_are_on_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "recommendations.tasks.send_action_reminders",
        "recommendations.tasks.send_weekly_digests",
    } <= tasks_scheduled
