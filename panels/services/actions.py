"""Actions raised at meetings: raise, move on, carry forward, and who may own them."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from kpis.engine.snapshots import queue_snapshots
from soteria.access import ACTIONS, can
from soteria.models import Force, Pillar
from soteria.periods import Period

from ..models import Action, CaseReview, Meeting
from .permissions import _require_draft


def raise_action(
    *,
    meeting: Meeting,
    by,
    title: str,
    owner,
    due_date: dt.date,
    pillar: Pillar,
    case: CaseReview | None = None,
    description: str = "",
) -> Action:
    _require_draft(meeting)
    if case is not None and case.meeting_id != meeting.pk:
        raise ValidationError({"case": "Choose a case reviewed at this meeting."})
    if not can(owner, "view_panel_actions", meeting.panel.force, pillar=pillar):
        raise ValidationError(
            {
                "owner": "The owner must be someone who can see this force's panel actions: "
                "a pillar lead owns actions of their own pillars only."
            }
        )
    action = Action(
        meeting=meeting,
        case=case,
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
        pillar=pillar,
    )
    action.full_clean()
    action.save()
    return action


def update_action(
    *, action: Action, by, status: str, progress_note: str = "", due_date: dt.date | None = None
) -> Action:
    """Move an action on; actions stay editable after their meeting is finalised."""

    today = timezone.localdate()
    action.status = status
    action.progress_note = progress_note
    if due_date is not None:
        action.due_date = due_date
    if status == Action.Status.CLOSED:
        action.closed_on = action.closed_on or today
    else:
        action.closed_on = None
    action.full_clean()
    action.save()
    queue_snapshots(force=action.meeting.panel.force, periods=[Period.containing(today)])
    return action


def agenda_actions(meeting: Meeting) -> list[Action]:
    """Actions carried forward to a meeting: raised earlier and still open on its date."""
    return list(
        Action.objects.filter(meeting__panel=meeting.panel, meeting__date__lt=meeting.date)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=meeting.date))
        .select_related("owner", "pillar", "meeting", "case")
        .order_by("due_date", "pk")
    )


def owner_choices(force: Force):
    """People who may own a panel action: active members of the force who can see its panel
    actions (pillar leads among them, for their own pillars: raise_action checks the pillar)."""
    return users_with_roles(force, ACTIONS["view_panel_actions"])


def users_with_roles(force: Force, roles: Iterable[str]):
    """Active users holding one of the roles in the force, by name."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__force=force, memberships__role__in=roles)
        .distinct()
        .order_by("first_name", "username")
    )
