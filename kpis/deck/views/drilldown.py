from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from soteria.access import can, get_force_for_user
from soteria.exports import export_response

from ...engine import windows as engine_windows
from ...engine.as_at import kpi_data_as_at
from ...engine.models import Kpi, OffenceGroup
from .. import exports, periods, readings
from ..commentary import commentary_for
from ..detail import kpi_detail as build_detail
from ..forms import step_change_form
from ..windows import default_kind
from .flight_deck import DECK_CACHE_SECONDS, cached_periods, deck_version
from .refusals import refuse_download, refuse_period


def _scope(request, force_slug, kpi_slug):
    force = get_force_for_user(request, force_slug)
    kpi = get_object_or_404(Kpi.objects.select_related("element", "pillar"), slug=kpi_slug)
    version = deck_version(force)
    return force, kpi, cached_periods(force, version), version


def _detail(request, force, kpi, period, version):
    """The drill-down's figures, sections and charts, kept under the deck's data version.

    They are built from the force's snapshots, targets and step changes only, all three in the
    version, so a recompute, a new target or a step change builds them afresh. What depends on
    the reader (the step-change form, commentary, permissions) is never cached.
    """
    offence = readings.parse_offence(request.GET.get("offence"))
    window = engine_windows.parse_kind(request.GET.get("window"), default=default_kind(kpi))
    key = f"kpi-detail:{force.pk}:{kpi.pk}:{period.slug}:{offence}:{window}:{version}"
    detail = cache.get(key)
    if detail is None:
        detail = build_detail(force=force, kpi=kpi, period=period, offence=offence, window=window)
        cache.set(key, detail, DECK_CACHE_SECONDS)
    return offence, detail


def kpi_detail(request, force_slug, kpi_slug, step_form=None):
    """One KPI as a board paper: trend with control limits, breakdowns, definition, downloads."""
    force, kpi, available, version = _scope(request, force_slug, kpi_slug)
    try:
        period = periods.resolve_period(request.GET.get("period"), available)
    except periods.PeriodRefused as refusal:
        return refuse_period(request, refusal, available)
    offence, detail = _detail(request, force, kpi, period, version)
    can_mark = can(request.user, "set_targets", force)
    if can_mark and step_form is None:
        step_form, _ = step_change_form(force=force, kpi=kpi, offence=offence)
    figures = [
        {
            "id": f"chart-{s.slug}",
            "data_id": f"chart-{s.slug}-data",
            "spec": {"data": s.figure["data"], "layout": s.figure["layout"]},
        }
        if s.figure
        else None
        for s in detail["sections"]
    ]
    return render(
        request,
        "kpis/deck/drilldown/kpi_detail.html",
        {
            "force": force,
            "period": period,
            "periods": periods.selectable_periods(available) or [period],
            "offence": offence,
            "offence_label": OffenceGroup(offence).label,
            "offences": OffenceGroup.choices,
            "window_choices": [
                (kind, f"{name}: {engine_windows.Window(kind, period).label}")
                for kind, name in engine_windows.KINDS.items()
            ],
            **detail,
            "sections": list(zip(detail["sections"], figures, strict=True)),
            "can_mark_step_changes": can_mark,
            "step_form": step_form,
            "commentary": commentary_for(force=force, kpi=kpi, period=period),
            "can_comment": can(request.user, "write_commentary", force, pillar=kpi.pillar),
        },
    )


def kpi_download(request, force_slug, kpi_slug, fmt):
    """The drill-down's figures as one tidy table (CSV, ending with its as-at columns), with
    what it is about beside it (ZIP: data.csv and about.csv; XLSX: a Data and an About sheet)."""
    if fmt not in ("csv", "xlsx", "zip"):
        raise Http404("No such format")
    force, kpi, available, version = _scope(request, force_slug, kpi_slug)
    try:
        period = periods.resolve_period(request.GET.get("period"), available)
    except periods.PeriodRefused as refusal:
        page = reverse("kpis:kpi-detail", args=[force.slug, kpi.slug])
        return refuse_download(request, refusal, available, page)
    offence, detail = _detail(request, force, kpi, period, version)
    scope = {"force": force, "kpi": kpi, "period": period, "offence": offence, "detail": detail}
    data = exports.drilldown_table(**scope)
    about = exports.drilldown_about(**scope)
    title = f"{kpi.name} · {force.name} · {period.status_label} · {OffenceGroup(offence).label}"
    name = f"{force.slug}-{kpi.slug}-{period.slug}-{offence}"
    if detail["windowed"]:
        title += f" · {detail['window_label']}"
        name += f"-{detail['window']}"
    as_at = kpi_data_as_at(force=force)
    return export_response(data, about, as_at, name=name, fmt=fmt, title=title)
