"""Reminders to action owners: on the due date, then weekly while overdue."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from soteria.access import can
from soteria.notify import send_notice

from ..models import Action

OVERDUE_REPEAT_DAYS = 7


def send_action_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """E-mail owners on the due date, then weekly while overdue. Safe to run twice at once:

    each notice is claimed with a conditional UPDATE before it is sent.
    """
    today = today or timezone.localdate()
    open_actions = Action.objects.exclude(status=Action.Status.CLOSED).select_related(
        "owner", "pillar", "meeting__panel__force"
    )
    sent = {"due": 0, "overdue": 0}
    due_claim = Q(due_notice_sent_on__isnull=True)
    for action in open_actions.filter(due_claim, due_date=today):
        if Action.objects.filter(due_claim, pk=action.pk).update(due_notice_sent_on=today) == 1:
            sent["due"] += _notify(action, "due", today)
    overdue_claim = Q(overdue_notice_sent_on__isnull=True) | Q(
        overdue_notice_sent_on__lte=today - dt.timedelta(days=OVERDUE_REPEAT_DAYS)
    )
    for action in open_actions.filter(overdue_claim, due_date__lt=today):
        if (
            Action.objects.filter(overdue_claim, pk=action.pk).update(overdue_notice_sent_on=today)
            == 1
        ):
            sent["overdue"] += _notify(action, "overdue", today)
    return sent


def _notify(action: Action, kind: str, today: dt.date) -> int:
    force = action.meeting.panel.force
    if not can(action.owner, "view_panel_actions", force, pillar=action.pillar):
        return 0
    subject = (
        f"Panel action due today: {action.title}"
        if kind == "due"
        else f"Panel action overdue: {action.title}"
    )
    return int(
        send_notice(
            user=action.owner,
            subject=subject,
            template=f"email/panel_action_{kind}.txt",
            context={
                "action": action,
                "force": force,
                "days_overdue": (today - action.due_date).days,
            },
        )
    )
