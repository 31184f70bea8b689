"""Panels, their members and meetings: create, edit, finalise and reopen."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kpis.engine.snapshots import queue_snapshots
from soteria.access import ACTIONS, SEATED_ACTIONS, can, seated_in
from soteria.models import Force
from soteria.periods import Period

from ..models import Meeting, OrganisationType, Panel, PanelMember
from .actions import users_with_roles
from .permissions import _require_chair, _require_chair_change, _require_draft

SEATED_PANEL_ROLES = frozenset(
    r for r, actions in SEATED_ACTIONS.items() if "view_panels" in actions
)


def create_panel(*, force: Force, name: str, remit: str = "") -> Panel:
    panel = Panel(force=force, name=name, remit=remit)
    panel.full_clean()
    panel.save()
    return panel


def add_member(
    *,
    panel: Panel,
    by,
    name: str,
    organisation_type: str,
    organisation: str = "",
    user=None,
    is_chair: bool = False,
) -> PanelMember:
    """Seat a member; a new chair takes over from the old one."""
    if is_chair:
        _require_chair_change(user=by, panel=panel)
    if is_chair and user is None:
        raise ValidationError({"user": "A chair needs an account, to sign in and finalise."})
    _check_account(user=user, force=panel.force, is_chair=is_chair)
    member = PanelMember(
        panel=panel,
        name=name,
        organisation_type=organisation_type,
        organisation=organisation,
        user=user,
        is_chair=is_chair,
    )
    with transaction.atomic():
        if is_chair:
            for old in panel.members.filter(is_chair=True):
                old.is_chair = False
                old._change_reason = f"Chair handed over to {name}"
                old.save()
        member.full_clean()
        member.save()
    return member


def member_choices(force: Force):
    """Accounts that may sit on a panel: active members of the force who can see its panels,
    and external panel members (who see the panels they sit on only)."""
    return users_with_roles(force, ACTIONS["view_panels"] | SEATED_PANEL_ROLES)


def may_sit(*, user, force: Force) -> bool:
    return can(user, "view_panels", force) or seated_in(user, "view_panels", force)


def _check_account(*, user, force: Force, is_chair: bool) -> None:
    if user is None:
        return
    if not may_sit(user=user, force=force):
        raise ValidationError({"user": "That account cannot see this force's panels."})
    if is_chair and not can(user, "finalise_panel", force):
        raise ValidationError(
            {"user": "A chair finalises the record: choose an account that may finalise it."}
        )


def update_member(*, member: PanelMember, by, **fields) -> PanelMember:
    """Change a seat; making someone chair hands the chair over, a former member cannot chair."""
    was_chair, chair_user = member.is_chair, member.user_id
    for name, value in fields.items():
        setattr(member, name, value)
    if member.is_chair != was_chair or (was_chair and member.user_id != chair_user):
        _require_chair_change(user=by, panel=member.panel)
    if member.is_chair and (member.user is None or not member.active):
        raise ValidationError(
            {"is_chair": "A chair needs an account and must be a current member."}
        )
    if "user" in fields or member.is_chair != was_chair:
        _check_account(user=member.user, force=member.panel.force, is_chair=member.is_chair)
    with transaction.atomic():
        if member.is_chair:
            for old in member.panel.members.filter(is_chair=True).exclude(pk=member.pk):
                old.is_chair = False
                old._change_reason = f"Chair handed over to {member.name}"
                old.save()
        member.full_clean()
        member.save()
    return member


def create_meeting(
    *,
    panel: Panel,
    by,
    date: dt.date,
    attendees: Iterable = (),
    agenda: str = "",
    other_attendees: str = "",
    notes: str = "",
) -> Meeting:
    meeting = Meeting(
        panel=panel,
        date=date,
        agenda=agenda,
        other_attendees=other_attendees,
        notes=notes,
        created_by=by,
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        meeting.attendees.set(list(attendees))
    return meeting


def update_meeting(*, meeting: Meeting, by, attendees: Iterable | None = None, **fields) -> Meeting:
    _require_draft(meeting)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        if attendees is not None:
            meeting.attendees.set(list(attendees))
    return meeting


def finalise_problems(meeting: Meeting) -> list[str]:
    """What stops a meeting being finalised, in words a chair can act on."""
    problems = []
    if not meeting.attendees.exists():
        problems.append("Record who attended.")
    cases = list(meeting.cases.all())
    if not cases:
        problems.append("Add at least one case reviewed.")
    for case in cases:
        if not case.is_judged:
            problems.append(f"{case.label}: give a judgement and a comment.")
    return problems


def finalise_meeting(*, meeting: Meeting, by) -> Meeting:
    """Lock the record and queue a recompute of the force-quarter's KPIs."""

    _require_chair(user=by, meeting=meeting)
    _require_draft(meeting)
    problems = finalise_problems(meeting)
    if problems:
        raise ValidationError(problems)
    meeting.status = Meeting.Status.FINALISED
    meeting.finalised_at = timezone.now()
    meeting.finalised_by = by
    meeting._change_reason = "Finalised by the chair"
    meeting.save()
    queue_snapshots(force=meeting.panel.force, periods=_affected_periods(meeting))
    return meeting


def _affected_periods(meeting: Meeting) -> list[Period]:
    """The meeting's quarter, and the current one: its actions count as open until closed."""
    return sorted({meeting.period, Period.containing(timezone.localdate())})


def reopen_meeting(*, meeting: Meeting, by, reason: str) -> Meeting:
    """A correction: the chair reopens a finalised record, giving a reason that stays in its history."""

    _require_chair(user=by, meeting=meeting)
    if not meeting.is_finalised:
        raise ValidationError("This meeting is still a draft.")
    if not reason.strip():
        raise ValidationError({"reason": "Say what needs correcting."})
    meeting.status = Meeting.Status.DRAFT
    meeting.finalised_at = None
    meeting.finalised_by = None
    meeting._change_reason = f"Reopened for correction: {reason.strip()}"
    meeting.save()
    queue_snapshots(force=meeting.panel.force, periods=_affected_periods(meeting))
    return meeting


def organisation_mix(panel: Panel) -> Counter:
    return Counter(
        dict(OrganisationType.choices)[m.organisation_type] for m in panel.members.all() if m.active
    )
