from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from soteria.access import can, get_force_for_user
from soteria.periods import Period

from ...engine.models import Kpi
from ..models import KpiTarget
from ..targets import set_target


class TargetForm(forms.Form):
    """A target for one KPI from a quarter on. The form only validates."""

    kpi = forms.ModelChoiceField(
        queryset=Kpi.objects.exclude(polarity=Kpi.Polarity.NONE).order_by("order"),
        label="KPI",
        help_text="Only KPIs with a direction of good can have a target.",
    )
    value = forms.FloatField(
        label="Target", help_text="In the KPI's own units: per cent for percentages (5 means 5%)."
    )
    amber_margin = forms.FloatField(
        label="Amber margin",
        initial=0,
        min_value=0,
        help_text="How far on the wrong side of the target still counts as amber.",
    )
    effective_from = forms.CharField(
        label="From quarter", help_text="For example 2024-25-q1 (April to June 2024)."
    )
    note = forms.CharField(
        label="Why this target", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean_effective_from(self):
        try:
            return Period.parse(self.cleaned_data["effective_from"].strip().lower())
        except ValueError as error:
            raise forms.ValidationError(
                "Enter a quarter like 2024-25-q1: the financial year and the quarter (q1 to q4)."
            ) from error

    def clean(self):
        cleaned = super().clean()
        kpi, value = cleaned.get("kpi"), cleaned.get("value")
        if kpi and value is not None and kpi.unit == Kpi.Unit.PERCENT and not 0 <= value <= 100:
            self.add_error("value", "A percentage target must be between 0 and 100.")
        return cleaned


def target_list(request, force_slug):
    """The force's KPI targets (who set each and from when), and a form to set one."""
    force = get_force_for_user(request, force_slug)
    editable = can(request.user, "set_targets", force)
    if request.method == "POST":
        force = get_force_for_user(request, force_slug, "set_targets")
        form = TargetForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            target = set_target(
                force=force,
                kpi=data["kpi"],
                value=data["value"],
                amber_margin=data["amber_margin"],
                effective_from=data["effective_from"],
                note=data["note"],
                by=request.user,
            )
            messages.success(
                request, f"Target for {target.kpi.name} set from {data['effective_from'].label}."
            )
            return redirect("kpis:targets", force_slug=force.slug)
    else:
        form = TargetForm(initial={"effective_from": Period.latest_complete().slug})
    targets = list(
        KpiTarget.objects.filter(force=force)
        .select_related("kpi", "set_by")
        .order_by("kpi__order", "-effective_from")
    )
    for target in targets:
        target.period_label = Period.parse(target.effective_from).label
    defaults = [
        k
        for k in Kpi.objects.order_by("order")
        if k.default_target is not None or k.threshold is not None
    ]
    return render(
        request,
        "kpis/deck/targets/target_list.html",
        {
            "force": force,
            "form": form,
            "targets": targets,
            "defaults": defaults,
            "editable": editable,
        },
    )
