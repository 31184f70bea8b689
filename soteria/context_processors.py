from dataclasses import dataclass

from django.urls import Resolver404, resolve, reverse

from .access import areas_for, describe_roles, visible_force


@dataclass
class NavItem:
    label: str
    url: str
    active: bool


def navigation(request):
    """The areas of the force in the URL that the user may open (none for a force not theirs)."""
    slug = None
    try:
        slug = resolve(request.path_info).kwargs.get("force_slug")
    except Resolver404:
        pass
    user = getattr(request, "user", None)
    force = visible_force(user, slug) if slug and user is not None else None
    if force is None:
        return {"nav_force_slug": None, "nav_force": None, "nav_items": [], "nav_roles": []}
    items = []
    for label, name in areas_for(user, force):
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
