from django import template

register = template.Library()


@register.filter
def person(user, empty: str = "—") -> str:
    """A user's full name, else their username; ``empty`` when there is nobody."""
    if user is None or user == "":
        return empty
    return user.get_full_name() or user.username
