"""The one place that decides what a user may see and do. It denies by default.

Every view and every export fetches forces and force-owned objects through
these helpers. A user who is not a member of a force gets a 404 for its pages,
never a page; a member whose role does not allow an action gets a 403.

Actions are named verbs; ``ACTIONS`` maps each to the roles that may perform it
within their own force. An action missing from the table is refused to
everyone but a superuser (a national administrator). ``SEATED_ACTIONS`` grants a
role actions only on the records it holds a seat on (an external panel member's
panels), never on the force as a whole.
"""

from collections.abc import Iterable
from functools import cache

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest

from .models import Force, Membership, Pillar, Role

R = Role
EVERY_FORCE_ROLE = frozenset(
    {
        R.CHIEF_OFFICER,
        R.SOTERIA_LEAD,
        R.PILLAR_LEAD,
        R.ANALYST,
        R.PANEL_MEMBER,
        R.PCC_STAFF,
        R.ADMINISTRATOR,
    }
)
LEADERSHIP = frozenset({R.CHIEF_OFFICER, R.SOTERIA_LEAD, R.PCC_STAFF, R.ADMINISTRATOR})
PANEL_READERS = frozenset(
    {R.PANEL_MEMBER, R.CHIEF_OFFICER, R.SOTERIA_LEAD, R.PCC_STAFF, R.ADMINISTRATOR}
)

ACTIONS: dict[str, frozenset[str]] = {
    # Seeing a force at all: its home page, flight deck and drill-downs.
    "view": EVERY_FORCE_ROLE | {R.NATIONAL_VIEWER},
    # Crime-outcome imports.
    "import": frozenset({R.ANALYST, R.ADMINISTRATOR}),
    "view_imports": frozenset({R.ANALYST, R.SOTERIA_LEAD, R.ADMINISTRATOR}),
    # Evidence returns.
    "edit_evidence": frozenset({R.PILLAR_LEAD, R.ADMINISTRATOR}),
    "review_evidence": frozenset({R.SOTERIA_LEAD, R.ADMINISTRATOR}),
    "view_unapproved_evidence": LEADERSHIP | {R.PILLAR_LEAD},
    "view_evidence": EVERY_FORCE_ROLE,
    # Scrutiny panels.
    "view_panels": PANEL_READERS,
    "view_panel_actions": PANEL_READERS | {R.PILLAR_LEAD},  # pillar leads: their pillars' only
    "record_panel": frozenset({R.PANEL_MEMBER, R.ADMINISTRATOR}),
    "finalise_panel": frozenset({R.PANEL_MEMBER, R.ADMINISTRATOR}),  # chairs only: see panels
    # Changing who chairs a panel: these roles, and the chair themselves (see panels).
    "appoint_panel_chair": frozenset({R.SOTERIA_LEAD, R.ADMINISTRATOR}),
    # HMICFRS recommendations and the inspection response record.
    "view_recommendations": EVERY_FORCE_ROLE,
    "edit_recommendations": frozenset({R.PCC_STAFF, R.SOTERIA_LEAD, R.ADMINISTRATOR}),
    "sign_off_recommendations": frozenset({R.CHIEF_OFFICER, R.ADMINISTRATOR}),
    # The PCC office's own response to recommendations addressed to PCCs or national bodies.
    "respond_as_pcc": frozenset({R.PCC_STAFF, R.ADMINISTRATOR}),
    "add_inspection": frozenset({R.PCC_STAFF, R.ADMINISTRATOR}),
    # The inspection response record: a chief officer approves the chief constable's response
    # in a draft; the PCC office publishes it and starts new versions.
    "approve_response_record": frozenset({R.CHIEF_OFFICER, R.ADMINISTRATOR}),
    "publish_response_record": frozenset({R.PCC_STAFF, R.ADMINISTRATOR}),
    # KPI targets.
    "set_targets": frozenset({R.SOTERIA_LEAD, R.CHIEF_OFFICER, R.ADMINISTRATOR}),
    # National data (the Home Office outcomes table, peer groups): no force role holds these;
    # only national roles do (NATIONAL_ACTIONS) and national administrators.
    "import_national": frozenset(),
    "view_national_imports": frozenset(),
    "edit_peer_groups": frozenset(),
    # The quarterly board pack (a board paper: OFFICIAL-SENSITIVE) and KPI commentary.
    "board_pack": LEADERSHIP | {R.ANALYST},
    "write_commentary": frozenset({R.SOTERIA_LEAD, R.PILLAR_LEAD, R.ADMINISTRATOR}),
}
# Roles that act only on the records they hold a seat on, and the actions they hold there. A
# model names the path from a row to its seats in SEAT_FIELD; a seat has a ``user`` and an
# ``active`` flag. External panel members (ISVAs, CPS, academics, the third sector) read the
# panels they sit on; no page of the force as a whole.
SEATED_ACTIONS: dict[str, frozenset[str]] = {
    R.EXTERNAL_PANEL_MEMBER: frozenset({"view_panels", "view_panel_actions"}),
}
# Actions a pillar lead holds only for their own pillars: can(..., pillar=) checks the pillar,
# and scoped() keeps the rows whose pillar (the model's PILLAR_FIELD) is one of theirs.
PILLAR_ACTIONS = frozenset({"edit_evidence", "view_panel_actions", "write_commentary"})
# The action needed to see a force-owned record of each app wherever it is shown, including
# from another app's page (a recommendation linked to a scrutiny-panel action).
VIEW_ACTIONS: dict[str, str] = {
    "kpis": "view",
    "panels": "view_panels",
    "recommendations": "view_recommendations",
}
# Roles held nationally (no force) and the actions they grant in every force.
NATIONAL_ACTIONS: dict[str, frozenset[str]] = {
    R.NATIONAL_VIEWER: frozenset({"view"}),
    R.NATIONAL_ANALYST: frozenset({"view", "import_national", "view_national_imports"}),
    R.ADMINISTRATOR: frozenset(ACTIONS),
}


def _memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_soteria_memberships", None)
    if cached is None:
        # Each membership comes with its force (so a member's own force needs no query of
        # its own); pillars are read only for pillar leads, so only theirs are fetched.
        cached = list(Membership.objects.filter(user=user).select_related("force"))
        leads = [m for m in cached if m.role == R.PILLAR_LEAD]
        if leads:
            prefetch_related_objects(leads, "pillars")
        user._soteria_memberships = cached
    return cached


def is_national_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active) or any(
        m.is_national and m.role == R.ADMINISTRATOR for m in _memberships(user)
    )


def can_nationally(user, action: str) -> bool:
    """May the user perform a national action (one on data that belongs to no force)?

    Only national administrators and national roles granted it in NATIONAL_ACTIONS: a force
    role never holds a national action, whatever its force-level actions."""
    if is_national_admin(user):
        return True
    return any(
        m.is_national and action in NATIONAL_ACTIONS.get(m.role, ()) for m in _memberships(user)
    )


def own_forces(user) -> list[Force]:
    """The forces a user may view as a member (not through a national role): a cross-force
    page highlights them. No query beyond the memberships."""
    return [
        m.force
        for m in _memberships(user)
        if not m.is_national and m.role in ACTIONS["view"] and not is_national_admin(user)
    ]


def require_national(request: HttpRequest, action: str) -> None:
    """403 unless the user holds the national action (every page needs login first)."""
    if not can_nationally(request.user, action):
        raise PermissionDenied


def roles_for(user, force: Force) -> set[str]:
    """The roles a user holds in a force, national roles included."""
    roles = set()
    for m in _memberships(user):
        if m.force_id == force.pk or m.is_national:
            roles.add(m.role)
    return roles


def can(user, action: str, force: Force, *, pillar: Pillar | None = None) -> bool:
    """May the user perform the action in this force (and, for pillar leads, this pillar)?"""
    if is_national_admin(user):
        return True
    allowed = ACTIONS.get(action, frozenset())
    for m in _memberships(user):
        if m.is_national:
            if action in NATIONAL_ACTIONS.get(m.role, ()):
                return True
            continue
        if m.force_id != force.pk or m.role not in allowed:
            continue
        if m.role == R.PILLAR_LEAD and pillar is not None and action in PILLAR_ACTIONS:
            if pillar.pk not in {p.pk for p in m.pillars.all()}:
                continue
        return True
    return False


def view_action(model: type[Model]) -> str:
    """The action that lets a user see records of this model; an unlisted app is refused."""
    return VIEW_ACTIONS.get(model._meta.app_label, "unlisted")


def pillars_led(user, force: Force) -> set[int]:
    """Pillar ids a user leads in a force (every pillar for a national administrator)."""
    if is_national_admin(user):
        return set(Pillar.objects.values_list("pk", flat=True))
    return {
        p.pk
        for m in _memberships(user)
        if m.force_id == force.pk and m.role == R.PILLAR_LEAD
        for p in m.pillars.all()
    }


def forces_for(user, action: str = "view") -> QuerySet[Force]:
    """The forces in which the user may perform the action; empty by default."""
    if is_national_admin(user):
        return Force.objects.all()
    memberships = _memberships(user)
    if any(m.is_national and action in NATIONAL_ACTIONS.get(m.role, ()) for m in memberships):
        return Force.objects.all()
    allowed = ACTIONS.get(action, frozenset())
    ids = {m.force_id for m in memberships if not m.is_national and m.role in allowed}
    return Force.objects.filter(pk__in=ids)


def scoped(qs: QuerySet, user, action: str = "view", *, force_field: str | None = None) -> QuerySet:
    """Restrict a queryset of force-owned rows to those the user may act on; none by default.

    The model names the path to its force in ``force_field`` (a class attribute
    ``FORCE_FIELD``, default ``"force"``). A model whose rows belong to a pillar names it
    in ``PILLAR_FIELD``: for PILLAR_ACTIONS a pillar lead then gets only their pillars' rows.
    A model whose rows have seats names them in ``SEAT_FIELD``: a seated role then gets the
    rows on which it holds an active seat.
    """
    model = qs.model
    path = force_field or getattr(model, "FORCE_FIELD", "force")
    memberships = _memberships(user)
    if is_national_admin(user) or any(
        m.is_national and action in NATIONAL_ACTIONS.get(m.role, ()) for m in memberships
    ):
        return qs
    allowed = ACTIONS.get(action, frozenset())
    pillar_path = getattr(model, "PILLAR_FIELD", None) if action in PILLAR_ACTIONS else None
    seat_path = getattr(model, "SEAT_FIELD", None)
    rows = Q(pk__in=[])
    for m in memberships:
        if m.is_national:
            continue
        if m.role in allowed:
            if m.role == R.PILLAR_LEAD and pillar_path:
                pillars = [p.pk for p in m.pillars.all()]
                rows |= Q(**{path: m.force_id, f"{pillar_path}__in": pillars})
            else:
                rows |= Q(**{path: m.force_id})
        elif seat_path and action in SEATED_ACTIONS.get(m.role, ()):
            seats = {path: m.force_id, f"{seat_path}__user": user, f"{seat_path}__active": True}
            rows |= Q(pk__in=model.objects.filter(**seats).values("pk"))
    return qs.filter(rows)


def seated_in(user, action: str, force: Force) -> bool:
    """Does the user hold a seated role in the force that grants the action on its seats?"""
    return any(
        m.force_id == force.pk and action in SEATED_ACTIONS.get(m.role, ())
        for m in _memberships(user)
    )


def seated_forces(user) -> list[Force]:
    """The forces in which the user holds a seated role."""
    return [m.force for m in _memberships(user) if m.role in SEATED_ACTIONS]


def seated_only(user) -> bool:
    """Is every role the user holds a seated one? Their pages are their seats' pages only."""
    memberships = _memberships(user)
    return (
        bool(memberships)
        and not is_national_admin(user)
        and all(m.role in SEATED_ACTIONS for m in memberships)
    )


def visible_force(user, force_slug: str) -> Force | None:
    """The force, if the user may see it; None for a force that is unknown or not theirs."""
    force = next(
        (m.force for m in _memberships(user) if not m.is_national and m.force.slug == force_slug),
        None,
    )
    if force is None:  # not a member: only a national role can still see it
        force = Force.objects.filter(slug=force_slug).first()
    if force is None or not can(user, "view", force):
        return None
    return force


def get_force_for_user(
    request: HttpRequest, force_slug: str, action: str = "view", *, seated: bool = False
) -> Force:
    """The force, if the user may see it (404 otherwise) and perform the action (403 otherwise).

    ``seated=True`` also admits a role that holds the action on its seats only (SEATED_ACTIONS):
    the view must then read every row through ``scoped()``.
    """
    force = visible_force(request.user, force_slug)
    if seated and action != "view":
        seat_force = force or Force.objects.filter(slug=force_slug).first()
        if seat_force is not None and seated_in(request.user, action, seat_force):
            return seat_force
    if force is None:
        raise Http404("No such force")
    if action != "view" and not can(request.user, action, force):
        raise PermissionDenied
    return force


# A force's areas as the navigation lists them, each with the action its page demands.
AREAS: tuple[tuple[str, str, str], ...] = (
    ("NOM framework", "force-home", "view"),
    ("Flight deck", "kpis:flight-deck", "view"),
    ("Problem profile", "kpis:problem-profile", "view"),
    ("Evidence returns", "kpis:evidence", "view_evidence"),
    ("Scrutiny panels", "panels:list", "view_panels"),
    ("Recommendations", "recommendations:register", "view_recommendations"),
    ("Data imports", "kpis:imports", "view_imports"),
)


def areas_for(user, force: Force) -> list[tuple[str, str]]:
    """The (label, URL name) of each area of the force the user may open."""
    return [(label, name) for label, name, action in AREAS if can(user, action, force)]


def get_for_user(
    request: HttpRequest, model: type[Model], pk, action: str = "view", **lookups
) -> Model:
    """A force-owned object by primary key: 404 for outsiders, 403 without the action."""
    path = getattr(model, "FORCE_FIELD", "force")
    visible = scoped(model.objects.all(), request.user, "view", force_field=path)
    if action != "view":  # a seated role sees only the rows it holds the action on
        visible = visible | scoped(model.objects.all(), request.user, action, force_field=path)
    try:
        obj = visible.get(pk=pk, **lookups)
    except (model.DoesNotExist, ValueError):
        raise Http404("Not found") from None
    if action != "view" and not _may(request.user, action, obj, path):
        raise PermissionDenied
    return obj


def _may(user, action: str, obj: Model, path: str) -> bool:
    """May the user perform the action on this object: in its force and for its pillar, or
    on a seat they hold on it."""
    model = type(obj)
    pillar_path = getattr(model, "PILLAR_FIELD", None)
    pillar = _follow(obj, pillar_path) if pillar_path else None
    force = _follow(obj, path)
    if can(user, action, force, pillar=pillar):
        return True
    return (
        seated_in(user, action, force)
        and scoped(model.objects.filter(pk=obj.pk), user, action, force_field=path).exists()
    )


def _follow(obj: Model, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


@cache
def role_labels() -> dict[str, str]:
    return dict(Role.choices)


def describe_roles(user, force: Force) -> list[str]:
    labels = role_labels()
    return sorted(labels[r] for r in roles_for(user, force))


def users_who_can(action: str, force: Force) -> Iterable:
    """Active users who may perform the action in the force (for reminders and digests)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    candidates = users.filter(memberships__force=force) | users.filter(
        memberships__force__isnull=True
    )
    return [u for u in candidates.distinct() if can(u, action, force)]
