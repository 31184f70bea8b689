from django.shortcuts import render

from soteria.access import can, get_force_for_user
from soteria.models import FrameworkElement

from .. import charts
from ..models import OffenceGroup
from ..services import readings

KIND_LABELS = [
    (FrameworkElement.Kind.AIM, "Aims"),
    (FrameworkElement.Kind.PRINCIPLE, "Principles"),
    (FrameworkElement.Kind.ORGANISATIONAL, "In-force organisational improvement principles"),
]


def flight_deck(request, force_slug):
    """The NOM flight deck: every KPI for one quarter, grouped by aim/principle or by pillar."""
    force = get_force_for_user(request, force_slug)
    available = readings.available_periods(force=force)
    period = readings.choose_period(request.GET.get("period"), available)
    offence = readings.parse_offence(request.GET.get("offence"))
    grouping = "pillars" if request.GET.get("group") == "pillars" else "framework"
    deck = readings.flight_deck(force=force, period=period, offence=offence)
    for tile in deck["tiles"]:
        tile.spark = charts.sparkline([s["value"] if s else None for s in tile.trend])

    tiles = deck["tiles"]
    if grouping == "pillars":
        groups = [
            (
                "Pillars",
                [
                    (
                        p,
                        f"Pillar {p.number}: {p.name}",
                        [t for t in tiles if t.kpi.pillar_id == p.pk],
                    )
                    for p in deck["pillars"]
                ],
            )
        ]
    else:
        groups = [
            (
                label,
                [
                    (e, e.title, [t for t in tiles if t.kpi.element_id == e.pk])
                    for e in deck["elements"]
                    if e.kind == kind
                ],
            )
            for kind, label in KIND_LABELS
        ]
    period_choices = (
        available if period in available else sorted([*available, period], reverse=True)
    )
    return render(
        request,
        "kpis/flight_deck/flight_deck.html",
        {
            "force": force,
            "period": period,
            "periods": period_choices,
            "offence": offence,
            "offence_label": OffenceGroup(offence).label,
            "offences": OffenceGroup.choices,
            "grouping": grouping,
            "groups": groups,
            "whole_system": [t for t in tiles if t.kpi.whole_system],
            "has_data": any(t.snapshot for t in tiles),
            "can_set_targets": can(request.user, "set_targets", force),
        },
    )
