"""Reminder e-mails to pillar leads and the weekly summary to the Soteria lead."""

import datetime as dt

from django.core import mail

from kpis.evidence import services as service
from kpis.evidence.tasks import send_evidence_reminders

from .evidence_personas import *  # noqa: F403

FIVE_DAYS_BEFORE_Q1_DUE = dt.date(2024, 7, 21)  # 2024/25 Q1 is due on 26 July 2024


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def test_pillar_leads_hear_five_days_before_the_due_date(pat, quinn, bea, sam, force_a):
    sent = service.send_evidence_reminders(today=FIVE_DAYS_BEFORE_Q1_DUE)
    pat_mail = [m for m in mail.outbox if m.to == ["pat@example.org"]]
    assert len(pat_mail) == 1
    assert "due in 5 days" in pat_mail[0].subject
    assert "Pillar 4" in pat_mail[0].subject and "Avon and Somerset" in pat_mail[0].subject
    assert "Friday 26 July 2024" in pat_mail[0].body
    assert "/forces/avon-and-somerset/evidence/2024-25-q1/pillar-4/" in pat_mail[0].body
    bea_mail = [m for m in mail.outbox if m.to == ["bea@example.org"]]
    assert all("Staffordshire" in m.subject for m in bea_mail) and bea_mail
    assert "sam@example.org" not in recipients()
    assert sent == len(mail.outbox) == 3


def test_a_lead_only_hears_about_their_own_pillars(pat, force_a):
    service.send_evidence_reminders(today=FIVE_DAYS_BEFORE_Q1_DUE)
    assert [m.subject for m in mail.outbox] == [
        "[Soteria flight deck] Evidence return due in 5 days: Avon and Somerset, "
        "Pillar 4: Investigators' learning, development and well-being, 2024/25 Q1"
    ]


def test_running_twice_sends_once(pat):
    assert service.send_evidence_reminders(today=FIVE_DAYS_BEFORE_Q1_DUE) == 1
    assert service.send_evidence_reminders(today=FIVE_DAYS_BEFORE_Q1_DUE) == 0
    assert len(mail.outbox) == 1


def test_overdue_reminders_go_on_the_first_day_then_weekly(pat):
    assert service.send_evidence_reminders(today=dt.date(2024, 7, 27)) == 1
    assert "overdue" in mail.outbox[0].subject
    assert service.send_evidence_reminders(today=dt.date(2024, 7, 28)) == 0
    assert service.send_evidence_reminders(today=dt.date(2024, 8, 3)) == 1


def test_a_submitted_return_gets_no_reminder(pat, draft_return):
    service.submit_return(evidence_return=draft_return, by=pat)
    assert service.send_evidence_reminders(today=FIVE_DAYS_BEFORE_Q1_DUE) == 0


def test_the_task_calls_the_service(pat, time_machine):
    time_machine.move_to(dt.datetime(2024, 7, 21, 9, 0))
    assert send_evidence_reminders.apply().get() == 1


def test_the_soteria_lead_gets_a_weekly_summary_of_their_force_only(sam, pat, bob, draft_return):
    sent = service.send_evidence_summaries(today=dt.date(2024, 8, 5))
    assert sent == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.org"]
    assert "Avon and Somerset" in message.subject
    assert "Pillar 4 (Investigators' learning, development and well-being): Draft" in message.body
    assert "OVERDUE" in message.body
    assert "Staffordshire" not in message.body
    assert service.send_evidence_summaries(today=dt.date(2024, 8, 6)) == 0  # same week


def test_the_reminder_jobs_are_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"kpis.send_evidence_reminders", "kpis.send_evidence_summaries"} <= tasks


def test_a_chief_officer_gets_no_summary(alice, pat, draft_return):
    assert service.send_evidence_summaries(today=dt.date(2024, 8, 5)) == 0
    assert mail.outbox == []
