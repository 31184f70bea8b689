"""Reminders to pillar leads and the weekly summary to the force Soteria lead."""

import datetime as dt

from django.urls import reverse

from soteria import access
from soteria.models import Force, Pillar, Role
from soteria.notify import send_notice
from soteria.periods import Period

from ..models import (
    EvidenceReminder,
    EvidenceReturn,
)
from .due_dates import default_due_date
from .grid import return_grid
from .returns import evidence_pillars

REMINDER_DAYS_BEFORE = 5
OVERDUE_REMINDER_EVERY_DAYS = 7
Status = EvidenceReturn.Status


def _reminder_periods(today: dt.date) -> list[Period]:
    # The last two complete quarters: the one being returned now and any still overdue.
    latest = Period.containing(today).previous()
    return [latest.previous(), latest]


def _pillar_lead_recipients(force: Force, pillar: Pillar) -> list:
    return [
        user
        for user in access.users_who_can("edit_evidence", force)
        if not access.is_national_admin(user)
        and pillar.pk in access.pillars_led(user, force)
        and access.can(user, "view_unapproved_evidence", force)
    ]


def _claim(user, key: str) -> bool:
    """Record that this e-mail is going out; False if it already went (job run twice)."""
    _, created = EvidenceReminder.objects.get_or_create(user=user, key=key)
    return created


def send_evidence_reminders(*, today: dt.date) -> int:
    """E-mail pillar leads whose return is due in 5 days, or overdue (first day, then weekly).

    A return counts as outstanding until it is submitted. Returns the number of e-mails sent.
    """
    sent = 0
    forces = Force.objects.filter(memberships__role=Role.PILLAR_LEAD).distinct()
    pillars = evidence_pillars()
    for force in forces:
        returns = {
            (r.pillar_id, r.period): r
            for r in EvidenceReturn.objects.filter(
                force=force, period__in=[p.slug for p in _reminder_periods(today)]
            )
        }
        for period in _reminder_periods(today):
            for pillar in pillars:
                ret = returns.get((pillar.pk, period.slug))
                if ret is not None and not ret.is_editable:
                    continue
                due = ret.due_date if ret else default_due_date(period)
                overdue_by = (today - due).days
                if (due - today).days == REMINDER_DAYS_BEFORE:
                    kind, subject = "due", f"Evidence return due in {REMINDER_DAYS_BEFORE} days"
                elif overdue_by > 0 and (overdue_by - 1) % OVERDUE_REMINDER_EVERY_DAYS == 0:
                    kind, subject = "overdue", "Evidence return overdue"
                else:
                    continue
                url = reverse(
                    "kpis:evidence-return",
                    kwargs={
                        "force_slug": force.slug,
                        "period": period.slug,
                        "pillar": pillar.number,
                    },
                )
                key = f"{kind}:{force.slug}:{period.slug}:{pillar.number}:{today.isoformat()}"
                for user in _pillar_lead_recipients(force, pillar):
                    if not _claim(user, key):
                        continue
                    sent += send_notice(
                        user=user,
                        subject=f"{subject}: {force.name}, {pillar}, {period.label}",
                        template="email/evidence_reminder.txt",
                        context={
                            "kind": kind,
                            "force": force,
                            "pillar": pillar,
                            "period": period,
                            "due_date": due,
                            "overdue_by": overdue_by,
                            "evidence_return": ret,
                            "url": url,
                        },
                    )
    return sent


def send_evidence_summaries(*, today: dt.date) -> int:
    """Weekly: each force Soteria lead gets the state of every return in their force."""
    sent = 0
    periods = _reminder_periods(today)
    for force in Force.objects.filter(memberships__role=Role.SOTERIA_LEAD).distinct():
        recipients = [
            user
            for user in access.users_who_can("review_evidence", force)
            if Role.SOTERIA_LEAD in access.roles_for(user, force)
            and not access.is_national_admin(user)
        ]
        for user in recipients:
            if not access.can(user, "view_unapproved_evidence", force):
                continue
            year, week, _ = today.isocalendar()
            if not _claim(user, f"summary:{force.slug}:{year}-W{week:02d}"):
                continue
            grid = return_grid(force=force, periods=periods, viewer=user, today=today)
            sent += send_notice(
                user=user,
                subject=f"Evidence returns this week: {force.name}",
                template="email/evidence_summary.txt",
                context={
                    "force": force,
                    "grid": grid,
                    "url": reverse("kpis:evidence", kwargs={"force_slug": force.slug}),
                },
            )
    return sent
