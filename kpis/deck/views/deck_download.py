from django.http import Http404
from django.urls import reverse

from soteria.access import get_force_for_user
from soteria.exports import export_response

from ...engine.as_at import kpi_data_as_at
from ...engine.models import OffenceGroup
from .. import control, exports, periods, readings
from .refusals import refuse_download


def deck_download(request, force_slug, fmt):
    """Every tile of the quarter as one tidy table, with what it is about beside it."""
    if fmt not in ("csv", "xlsx", "zip"):
        raise Http404("No such format")
    force = get_force_for_user(request, force_slug)
    available = readings.available_periods(force=force)
    try:
        period = periods.resolve_period(request.GET.get("period"), available)
    except periods.PeriodRefused as refusal:
        page = reverse("kpis:flight-deck", args=[force.slug])
        return refuse_download(request, refusal, available, page)
    offence = readings.parse_offence(request.GET.get("offence"))
    # Judged as the deck judges them: with the SPC limits where a figure has no interval.
    tiles = control.judged_deck(force=force, period=period, offence=offence)["tiles"]
    data = exports.deck_table(force=force, period=period, offence=offence, tiles=tiles)
    about = exports.deck_about(force=force, period=period, offence=offence)
    title = f"Flight deck · {force.name} · {period.status_label} · {OffenceGroup(offence).label}"
    name = f"{force.slug}-flight-deck-{period.slug}-{offence}"
    as_at = kpi_data_as_at(force=force)
    return export_response(data, about, as_at, name=name, fmt=fmt, title=title)
