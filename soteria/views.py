from django.shortcuts import redirect, render

from kpis.models import Kpi

from .access import describe_roles, forces_for, get_force_for_user
from .models import FrameworkElement, Pillar


def home(request):
    """Send a user straight to their force; list forces for those who see several."""
    forces = list(forces_for(request.user))
    if len(forces) == 1:
        return redirect("force-home", force_slug=forces[0].slug)
    return render(request, "soteria/home.html", {"forces": forces})


def force_home(request, force_slug):
    """The NOM framework for a force: aims, principles and organisational principles, and pillars."""
    force = get_force_for_user(request, force_slug)
    kpis = list(Kpi.objects.select_related("pillar", "element").order_by("order"))
    elements = list(FrameworkElement.objects.prefetch_related("objectives", "assurance"))
    for element in elements:
        element.kpi_list = [k for k in kpis if k.element_id == element.pk]
    pillars = list(Pillar.objects.all())
    for pillar in pillars:
        pillar.kpi_list = [k for k in kpis if k.pillar_id == pillar.pk]
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


def csrf_failure(request, reason=""):
    """The styled page for a form refused by CSRF protection (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)
