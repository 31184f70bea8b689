"""Reminder e-mails: action owners (due in 7 days, overdue) and the PCC staff's weekly digest."""

import datetime as dt

from django.db.models import Q

from soteria.models import Membership

from ..models import (
    Action,
    ActionStatus,
)
from .register import REMINDER_DAYS, due_lists, register_rows, status_counts


def send_action_reminders(*, today: dt.date) -> int:
    """E-mail each action owner about their open actions due in 7 days or overdue.

    Only actions in a force where the owner may still see recommendations.
    """
    from soteria.access import can
    from soteria.notify import send_notice

    due = today + dt.timedelta(days=REMINDER_DAYS)
    actions = (
        Action.objects.filter(
            status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS],
            owner__isnull=False,
        )
        .filter(Q(due_date=due) | Q(due_date__lt=today))
        .select_related("owner", "response__force", "response__recommendation__inspection")
        .order_by("due_date")
    )
    by_owner: dict[int, list[Action]] = {}
    for action in actions:
        if can(action.owner, "view_recommendations", action.response.force):
            by_owner.setdefault(action.owner_id, []).append(action)
    sent = 0
    for owned in by_owner.values():
        owner = owned[0].owner
        overdue = [a for a in owned if a.due_date < today]
        due_soon = [a for a in owned if a.due_date == due]
        sent += send_notice(
            user=owner,
            subject=(
                f"{len(owned)} improvement action needs your update"
                if len(owned) == 1
                else f"{len(owned)} improvement actions need your update"
            ),
            template="email/recommendation_action_reminder.txt",
            context={"overdue": overdue, "due_soon": due_soon, "today": today},
        )
    return sent


def send_weekly_digests(*, today: dt.date) -> int:
    """E-mail PCC office staff a digest of their own force's register."""
    from soteria.access import can
    from soteria.models import Role
    from soteria.notify import send_notice

    sent = 0
    memberships = (
        Membership.objects.filter(role=Role.PCC_STAFF, force__isnull=False, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "force")
    )
    rows_by_force: dict[int, tuple] = {}
    for membership in memberships:
        force, user = membership.force, membership.user
        if not can(user, "view_recommendations", force):
            continue
        if force.pk not in rows_by_force:
            rows = register_rows(force=force, today=today)
            rows_by_force[force.pk] = (rows, due_lists(rows=rows, force=force, today=today))
        rows, lists = rows_by_force[force.pk]
        flagged = [r for r in rows if r.flags]
        sent += send_notice(
            user=user,
            subject=f"Weekly recommendations digest: {force.name}",
            template="email/recommendation_digest.txt",
            context={
                "force": force,
                "counts": status_counts(rows),
                "flagged": flagged,
                "today": today,
                **lists,
            },
        )
    return sent
