from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from soteria.access import can, get_force_for_user
from soteria.periods import Period

from ...engine.models import Kpi, OffenceGroup
from ..models import KpiTarget
from ..targets import set_target, target_quarters


class TargetForm(forms.Form):
    """A target for one KPI and offence group from a quarter on. The form only validates."""

    kpi = forms.ModelChoiceField(
        queryset=Kpi.objects.exclude(polarity=Kpi.Polarity.NONE).order_by("order"),
        label="KPI",
        help_text="Only KPIs with a direction of good can have a target.",
    )
    offence_group = forms.ChoiceField(
        label="Offences",
        choices=OffenceGroup.choices,
        initial=OffenceGroup.ALL,
        help_text="A target judges only the offences it is set for: rape charge rates run "
        "well below those for other sexual offences. Evidence returns and panels report "
        "for all RASSO.",
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
    effective_from = forms.TypedChoiceField(
        label="From quarter", coerce=Period.parse, help_text="The first quarter it judges."
    )
    note = forms.CharField(
        label="Why this target", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, quarters: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].choices = [
            (p.slug, f"{p.status_label}: {p.start:%B} to {p.end:%B %Y}") for p in quarters
        ]

    def clean(self):
        cleaned = super().clean()
        kpi, value = cleaned.get("kpi"), cleaned.get("value")
        if kpi and value is not None and kpi.unit == Kpi.Unit.PERCENT and not 0 <= value <= 100:
            self.add_error("value", "A percentage target must be between 0 and 100.")
        group = cleaned.get("offence_group")
        if kpi and kpi.source != Kpi.Source.RECORDS and group != OffenceGroup.ALL:
            self.add_error(
                "offence_group",
                f"{kpi.name} comes from {kpi.get_source_display().lower()}s, which report for "
                "all RASSO: set its target for All RASSO.",
            )
        return cleaned


def target_list(request, force_slug):
    """The force's KPI targets (who set each and from when), and a form to set one."""
    force = get_force_for_user(request, force_slug)
    editable = can(request.user, "set_targets", force)
    quarters = target_quarters(force=force)
    if request.method == "POST":
        force = get_force_for_user(request, force_slug, "set_targets")
        form = TargetForm(request.POST, quarters=quarters)
        if form.is_valid():
            data = form.cleaned_data
            group = OffenceGroup(data["offence_group"])
            target = set_target(
                force=force,
                kpi=data["kpi"],
                offence_group=group,
                value=data["value"],
                amber_margin=data["amber_margin"],
                effective_from=data["effective_from"],
                note=data["note"],
                by=request.user,
            )
            messages.success(
                request,
                f"Target for {target.kpi.name} ({group.label}) set from "
                f"{data['effective_from'].label}.",
            )
            return redirect("kpis:targets", force_slug=force.slug)
    else:
        form = TargetForm(
            initial={"effective_from": Period.latest_complete().slug}, quarters=quarters
        )
    targets = list(
        KpiTarget.objects.filter(force=force)
        .select_related("kpi", "set_by")
        .order_by("kpi__order", "offence_group", "-effective_from")
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
