"""Small helpers shared by the recommendation services."""

from soteria.models import Force, Membership


def display_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def force_members(*, force: Force):
    """Users who belong to the force: the people an owner can be chosen from."""
    from django.contrib.auth import get_user_model

    ids = Membership.objects.filter(force=force).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .order_by("first_name", "last_name", "username")
    )


CHANGE_REASON_LENGTH = 100  # django-simple-history's history_change_reason column


def audit_note(text: str) -> str:
    """An audit note that fits the history's change-reason column."""
    if len(text) <= CHANGE_REASON_LENGTH:
        return text
    return text[: CHANGE_REASON_LENGTH - 1] + "…"


def unlink(*, link, name: str, by) -> None:
    """Delete one of a response's links (to a record or to a page) and say so in the
    response's history. Call inside a transaction."""
    response = link.response
    link.delete()
    response._change_reason = audit_note(f"Link to {name} removed by {display_name(by)}")
    response.save()
