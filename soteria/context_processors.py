from dataclasses import dataclass

from django.urls import Resolver404, resolve, reverse

from .access import areas_for, describe_roles, seated_in, visible_force
from .models import Force


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
