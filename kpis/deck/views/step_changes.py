from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from soteria.access import get_for_user, get_force_for_user
from soteria.periods import Period

from ...engine.models import Kpi
from .. import readings
from ..forms import step_change_form
from ..models import KpiStepChange
from ..step_changes import mark_step_change, remove_step_change
from .drilldown import kpi_detail


def _back(force, kpi, request) -> str:
    query = request.GET.urlencode()
    url = reverse("kpis:kpi-detail", args=[force.slug, kpi.slug])
    return f"{url}{'?' + query if query else ''}#spc"


@require_POST
def step_change_add(request, force_slug, kpi_slug):
    """Mark a step change from the drill-down; the page again, with errors, when refused."""
    force = get_force_for_user(request, force_slug, "set_targets")
    kpi = get_object_or_404(Kpi, slug=kpi_slug)
    offence = readings.parse_offence(request.GET.get("offence"))
    form, group = step_change_form(force=force, kpi=kpi, offence=offence, data=request.POST)
    if form.is_valid():
        try:
            step = mark_step_change(
                force=force,
                kpi=kpi,
                offence_group=group,
                period=form.cleaned_data["period"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError:
            form.add_error("period", "A step change is already marked from this quarter.")
        else:
            messages.success(
                request,
                f"Step change marked from {Period.parse(step.period).label}: "
                "the limits are recalculated from that quarter.",
            )
            return redirect(_back(force, kpi, request))
    response = kpi_detail(request, force_slug, kpi_slug, step_form=form)
    response.status_code = 400
    return response


@require_POST
def step_change_remove(request, force_slug, kpi_slug, pk):
    """Take a step change back (the audit history keeps it)."""
    force = get_force_for_user(request, force_slug)
    step = get_for_user(request, KpiStepChange, pk, "set_targets", force=force, kpi__slug=kpi_slug)
    remove_step_change(step_change=step, by=request.user)
    messages.success(request, f"Step change from {Period.parse(step.period).label} removed.")
    return redirect(_back(force, step.kpi, request))
