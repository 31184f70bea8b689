"""Who may do what: chairs finalise and reopen, who chairs is changed only by the chair (or a
force Soteria lead or administrator), and only draft records can be changed."""

from django.core.exceptions import PermissionDenied, ValidationError

from soteria.access import can, is_national_admin

from ..models import Meeting, Panel


def is_chair(*, user, panel: Panel) -> bool:
    return panel.members.filter(user=user, is_chair=True, active=True).exists()


def may_finalise(*, user, meeting: Meeting) -> bool:
    """Chairs finalise their own panel's meetings; a national administrator may too."""
    if is_national_admin(user):
        return True
    return can(user, "finalise_panel", meeting.panel.force) and is_chair(
        user=user, panel=meeting.panel
    )


def may_change_chair(*, user, panel: Panel) -> bool:
    """The chair hands over; a force Soteria lead or an administrator appoints. A panel with
    no chair yet takes its first from anyone who may record the panel."""
    if can(user, "appoint_panel_chair", panel.force):
        return True
    if not panel.members.filter(is_chair=True, active=True).exists():
        return can(user, "record_panel", panel.force)
    return is_chair(user=user, panel=panel)


def _require_chair_change(*, user, panel: Panel) -> None:
    if not may_change_chair(user=user, panel=panel):
        raise PermissionDenied(
            "Only the chair, a force Soteria lead or an administrator may change who chairs."
        )


def _require_chair(*, user, meeting: Meeting) -> None:
    if not may_finalise(user=user, meeting=meeting):
        raise PermissionDenied("Only the chair of this panel may finalise or reopen its meetings.")


def _require_draft(meeting: Meeting) -> None:
    if meeting.is_finalised:
        raise ValidationError(
            "This meeting's record is finalised and locked. The chair must reopen it to correct it."
        )
