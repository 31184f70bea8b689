import hashlib

from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from soteria.access import can, get_force_for_user
from soteria.models import FrameworkElement

from ...engine.as_at import kpi_data_as_at
from ...engine.models import Kpi, OffenceGroup
from .. import captions, charts, control, periods, readings
from .refusals import refuse_period

KIND_LABELS = [
    (FrameworkElement.Kind.AIM, "Aims"),
    (FrameworkElement.Kind.PRINCIPLE, "Principles"),
    (FrameworkElement.Kind.ORGANISATIONAL, "In-force organisational improvement principles"),
]
DECK_CACHE_SECONDS = 60 * 60
NATIONAL_SECTION = "National data: Home Office published figures"
NATIONAL_NOTE = (
    "Outcomes open data, closed basis (investigations closed in the quarter): the same "
    "figures for every force, whether or not it has imported its own records"
)


def flight_deck(request, force_slug):
    """The NOM flight deck: every KPI for one quarter, grouped by aim/principle or by pillar."""
    force = get_force_for_user(request, force_slug)
    version = deck_version(force)
    available = cached_periods(force, version)
    try:
        period = periods.resolve_period(request.GET.get("period"), available)
    except periods.PeriodRefused as refusal:
        return refuse_period(request, refusal, available)
    offence = readings.parse_offence(request.GET.get("offence"))
    grouping = "pillars" if request.GET.get("group") == "pillars" else "framework"
    key = f"flight-deck:{force.pk}:{period.slug}:{offence}:{grouping}:{version}"
    # The quarter/offence/grouping controls depend on nothing else either, so they are
    # kept with the deck: a cached view renders little more than the base template.
    cached = cache.get(key)
    if cached is None:
        period_choices = periods.selectable_periods(available) or [period]
        cached = (
            render_controls(
                periods=period_choices, period=period, offence=offence, grouping=grouping
            ),
            render_deck(force=force, period=period, offence=offence, grouping=grouping),
        )
        cache.set(key, cached, DECK_CACHE_SECONDS)
    controls, body = cached
    # Imports and approvals reach the deck only through a recompute, which changes the version.
    as_at = cache.get(f"flight-deck-as-at:{force.pk}:{version}")
    if as_at is None:
        as_at = kpi_data_as_at(force=force).text
        cache.set(f"flight-deck-as-at:{force.pk}:{version}", as_at, DECK_CACHE_SECONDS)
    return render(
        request,
        "kpis/deck/flight_deck/flight_deck.html",
        {
            "force": force,
            "period": period,
            "offence": offence,
            "offence_label": OffenceGroup(offence).label,
            # Both rendered from autoescaped templates (render_controls, render_deck).
            "controls": mark_safe(controls),
            "deck": mark_safe(body),
            "can_set_targets": can(request.user, "set_targets", force),
            "data_as_at": as_at,
        },
    )


def deck_version(force) -> str:
    """The deck only changes when a snapshot, a target or a step change does, so what it and
    the drill-down show is kept under a key made of their versions (one query); a recompute
    replaces it."""
    return hashlib.sha1(repr(readings.data_version(force=force)).encode()).hexdigest()


def cached_periods(force, version: str):
    available = cache.get(f"flight-deck-periods:{force.pk}:{version}")
    if available is None:
        available = readings.available_periods(force=force)
        cache.set(f"flight-deck-periods:{force.pk}:{version}", available, DECK_CACHE_SECONDS)
    return available


def render_controls(*, periods, period, offence, grouping) -> str:
    return render_to_string(
        "kpis/deck/flight_deck/controls.html",
        {
            "periods": periods,
            "period": period,
            "offence": offence,
            "offences": OffenceGroup.choices,
            "grouping": grouping,
        },
    )


def render_deck(*, force, period, offence, grouping) -> str:
    deck = control.judged_deck(force=force, period=period, offence=offence)
    tiles = deck["tiles"]
    for tile in tiles:
        tile.spark = charts.sparkline(
            [s["value"] if readings.readable(s) else None for s in tile.trend]
        )
        tile.caption = captions.tile_caption(tile.kpi, tile.snapshot, offence)
    # Home Office published figures (every force has them, records imported or not) are a
    # section of their own, after the framework or the pillars they would otherwise join.
    national = [t for t in tiles if t.kpi.source == Kpi.Source.HOME_OFFICE]
    tiles = [t for t in tiles if t.kpi.source != Kpi.Source.HOME_OFFICE]
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
    groups.append((NATIONAL_SECTION, [(None, NATIONAL_NOTE, national)]))
    return render_to_string(
        "kpis/deck/flight_deck/deck.html",
        {
            "force": force,
            "period": period,
            "offence": offence,
            "groups": groups,
            "whole_system": [t for t in tiles if t.kpi.whole_system],
            "has_data": any(t.snapshot for t in deck["tiles"]),
        },
    )
