from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from .access import describe_roles, forces_for, get_force_for_user, seated_forces
from .models import FrameworkElement, Pillar


@login_not_required
@never_cache
def health(request):
    """For the container healthcheck: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    """Send a user straight to their force; list forces for those who see several. An external
    panel member, who sees no force as a whole, goes to the panels they sit on."""
    forces = list(forces_for(request.user))
    if len(forces) == 1:
        return redirect("force-home", force_slug=forces[0].slug)
    seated = seated_forces(request.user)
    if not forces and len(seated) == 1:
        return redirect("panels:list", force_slug=seated[0].slug)
    return render(request, "soteria/home.html", {"forces": forces, "seated_forces": seated})


def force_home(request, force_slug):
    """The NOM framework for a force: aims, principles and organisational principles, and pillars."""
    force = get_force_for_user(request, force_slug)
    # The KPIs come through the framework's reverse relations: soteria never imports kpis.
    kpis = Prefetch("kpis", to_attr="kpi_list")
    elements = list(FrameworkElement.objects.prefetch_related("objectives", "assurance", kpis))
    pillars = list(Pillar.objects.prefetch_related(kpis))
    sections = [
        (kind, label, [e for e in elements if e.kind == kind])
        for kind, label in (
            ("aim", "Aims"),
            ("principle", "Principles"),
            ("organisational", "In-force organisational improvement principles"),
        )
    ]
    return render(
        request,
        "soteria/force_home.html",
        {
            "force": force,
            "sections": sections,
            "pillars": pillars,
            "roles": describe_roles(request.user, force),
        },
    )
