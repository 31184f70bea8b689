from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from soteria.access import can, get_force_for_user

from ...engine.models import Kpi
from .. import commentary, periods, readings


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label="What this shows and what we are doing",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=commentary.MAX_LENGTH,
    )


@require_POST
def kpi_commentary(request, force_slug, kpi_slug):
    """The Soteria lead or the KPI's pillar lead writes the quarter's commentary."""
    force = get_force_for_user(request, force_slug)
    kpi = get_object_or_404(Kpi.objects.select_related("pillar"), slug=kpi_slug)
    if not can(request.user, "write_commentary", force, pillar=kpi.pillar):
        raise PermissionDenied
    try:
        period = periods.resolve_period(
            request.GET.get("period"), readings.available_periods(force=force)
        )
    except periods.PeriodRefused as refusal:
        raise Http404(str(refusal)) from refusal
    form = CommentaryForm(request.POST)
    back = reverse("kpis:kpi-detail", args=[force.slug, kpi.slug])
    back += f"?period={period.slug}&offence={readings.parse_offence(request.GET.get('offence'))}"
    if not form.is_valid():
        messages.error(request, "The commentary was not saved: " + form.errors.as_text())
        return redirect(back)
    try:
        commentary.write_commentary(
            force=force, kpi=kpi, period=period, text=form.cleaned_data["text"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, "The commentary was not saved: " + " ".join(error.messages))
    else:
        messages.success(request, "Commentary saved.")
    return redirect(back + "#commentary")
