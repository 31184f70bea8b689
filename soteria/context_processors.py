from dataclasses import dataclass

from django.urls import Resolver404, resolve, reverse

from .access import (
    areas_for,
    describe_roles,
    own_forces,
    seated_forces,
    seated_in,
    seated_only,
    visible_force,
)
from .models import Force
from .notifications import unread_count


@dataclass
class NavItem:
    label: str
    url: str
    active: bool


def navigation(request):
    """The areas of the force in the URL that the user may open (none for a force not theirs);
    on a page of no force (the user's work, notifications), those of the user's one force.
    And the count of unread notifications, for the bell."""
    context = _areas(request)
    user = getattr(request, "user", None)
    context["nav_unread"] = unread_count(user) if user is not None else 0
    # Someone who only sits on panels has no national pages to open.
    context["nav_seats_only"] = user is not None and seated_only(user)
    return context


def _areas(request):
    slug = None
    try:
        slug = resolve(request.path_info).kwargs.get("force_slug")
    except Resolver404:
        pass
    user = getattr(request, "user", None)
    if slug is None and getattr(user, "is_authenticated", False):
        mine = own_forces(user) or seated_forces(user)
        if len(mine) == 1:
            slug = mine[0].slug
    force = visible_force(user, slug) if slug and user is not None else None
    areas = areas_for(user, force) if force is not None else []
    if force is None and slug and user is not None:
        # An external panel member sees the force only through the panels they sit on.
        force = Force.objects.filter(slug=slug).first()
        if force is None or not seated_in(user, "view_panels", force):
            force = None
        areas = [("Scrutiny panels", "panels:list")]
    if force is None:
        return {"nav_force_slug": None, "nav_force": None, "nav_items": [], "nav_roles": []}
    items = []
    for label, name in areas:
        url = reverse(name, kwargs={"force_slug": force.slug})
        home = name == "force-home"
        active = request.path == url if home else request.path.startswith(url)
        items.append(NavItem(label, url, active))
    return {
        "nav_force_slug": force.slug,
        "nav_force": force,
        "nav_items": items,
        "nav_roles": describe_roles(user, force),
    }
