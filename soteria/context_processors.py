from django.urls import Resolver404, resolve

from .access import seated_only


def navigation(request):
    """The force in the URL (if any) so the navigation can link to that force's areas, and
    whether the user sees only the records they hold a seat on (an external panel member)."""
    slug = None
    try:
        slug = resolve(request.path_info).kwargs.get("force_slug")
    except Resolver404:
        pass
    return {"nav_force_slug": slug, "nav_seats_only": seated_only(request.user)}
