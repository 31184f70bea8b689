"""Who may do what: chairs finalise and reopen, and only draft records can be changed."""

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


def _require_chair(*, user, meeting: Meeting) -> None:
    if not may_finalise(user=user, meeting=meeting):
        raise PermissionDenied("Only the chair of this panel may finalise or reopen its meetings.")


def _require_draft(meeting: Meeting) -> None:
    if meeting.is_finalised:
        raise ValidationError(
            "This meeting's record is finalised and locked. The chair must reopen it to correct it."
        )
