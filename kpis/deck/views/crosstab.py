"""The relationship-by-characteristic cross-tab: its page and its downloads."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from soteria.access import get_force_for_user
from soteria.exports import export_response

from ...engine import windows as engine_windows
from ...engine.as_at import kpi_data_as_at
from ...engine.models import OffenceGroup
from .. import crosstab, exports, periods, readings
from .flight_deck import cached_periods, deck_version
from .refusals import refuse_download, refuse_period

# A quarter of one force is too small for a cross-tab: it is computed over the rolling year
# (and so over a fourth quarter's year to date, the same four quarters), and for all RASSO
# only (split again between rape and other sexual offences, nearly every cell would be
# under 5, and protecting them would withhold most of the rest). A shorter year to date
# shows only what its quarters show, and no quarter has a cross-tab.
WINDOWS = (engine_windows.ROLLING_YEAR,)


def _choices(request):
    window = engine_windows.parse_kind(request.GET.get("window"))
    return {
        "offence": OffenceGroup.ALL,
        "window": window if window in WINDOWS else engine_windows.DEFAULT,
        "characteristic": crosstab.parse_characteristic(request.GET.get("characteristic")),
    }


def _asked_elsewhere(request) -> str:
    """The window asked for, when the cross-tab is not computed over it."""
    return {
        engine_windows.QUARTER: "a quarter",
        engine_windows.YEAR_TO_DATE: "a financial year to date",
    }.get(request.GET.get("window"), "")


def _crosstab(force, period, chosen) -> dict:
    return crosstab.relationship_crosstab(
        force=force, period=period, threshold=settings.DISCLOSURE_THRESHOLD, **chosen
    )


def relationship_crosstab(request, force_slug):
    """Charges of outcomes by relationship context and a victim characteristic, with totals."""
    force = get_force_for_user(request, force_slug)
    available = cached_periods(force, deck_version(force))
    try:
        period = periods.resolve_period(request.GET.get("period"), available)
    except periods.PeriodRefused as refusal:
        return refuse_period(request, refusal, available)
    chosen = _choices(request)
    return render(
        request,
        "kpis/deck/crosstab/relationship.html",
        {
            "force": force,
            "period": period,
            "periods": periods.selectable_periods(available) or [period],
            "offence_label": OffenceGroup(chosen["offence"]).label,
            "offence_asked": readings.parse_offence(request.GET.get("offence")),
            "characteristics": crosstab.CHARACTERISTICS.items(),
            "window_choices": [
                (kind, f"{name}: {engine_windows.Window(kind, period).label}")
                for kind, name in engine_windows.KINDS.items()
                if kind in WINDOWS
            ],
            "window_asked": _asked_elsewhere(request),
            "threshold": settings.DISCLOSURE_THRESHOLD,
            **chosen,
            "crosstab": _crosstab(force, period, chosen),
        },
    )


def relationship_crosstab_download(request, force_slug, fmt):
    """The cross-tab as a tidy table: CSV, XLSX, or ZIP with its about file."""
    if fmt not in ("csv", "xlsx", "zip"):
        raise Http404("No such format")
    force = get_force_for_user(request, force_slug)
    available = cached_periods(force, deck_version(force))
    try:
        period = periods.resolve_period(request.GET.get("period"), available)
    except periods.PeriodRefused as refusal:
        page = reverse("kpis:relationship-crosstab", args=[force.slug])
        return refuse_download(request, refusal, available, page)
    chosen = _choices(request)
    table = _crosstab(force, period, chosen)
    offence = chosen["offence"]
    data = crosstab.crosstab_table(force=force, period=period, offence=offence, crosstab=table)
    about = [
        ("Protective marking", exports.PROTECTIVE_MARKING),
        ("Force", force.name),
        ("Table", f"Relationship context by {table['characteristic_label'].lower()}"),
        ("Window", table["window_label"]),
        ("Offence group", OffenceGroup(offence).label),
        (
            "Counts",
            "Charges (outcome 1) of outcomes (1 to 22) given in the window; charge_rate is a "
            "fraction, empty where its charges or outcomes are suppressed",
        ),
        ("Suppression rule", exports.suppression_rule(settings.DISCLOSURE_THRESHOLD)),
    ]
    label = table["characteristic"].replace("_", "-")
    name = f"{force.slug}-relationship-by-{label}-{period.slug}-{offence}-{chosen['window']}"
    title = f"Relationship by {table['characteristic_label'].lower()} · {force.name} · {table['window_label']}"
    return export_response(
        data, about, kpi_data_as_at(force=force), name=name, fmt=fmt, title=title
    )
