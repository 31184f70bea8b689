"""The national overview page: for national roles, every force against England and Wales;
a force's own users read the same page with their force highlighted. The figures are the
published Home Office table's, the same for everyone (cross-force pages show only published,
aggregated values)."""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from soteria.access import can_nationally, own_forces
from soteria.models import Force

from ..engine.record_kpis import batch_versions
from . import charts, services

CACHE_SECONDS = 60 * 60

SORTS = {
    "value": lambda r: (-r.value, r.force),
    "value-asc": lambda r: (r.value, r.force),
    "force": lambda r: r.force,
    "outcomes": lambda r: (-r.denominator, r.force),
    "judgement": lambda r: ({"lower": 0, "same": 1, "higher": 2}[r.judgement.direction], r.value),
}


def _choice(request, name: str, allowed, default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def national_overview(request):
    national = can_nationally(request.user, "view")
    mine = own_forces(request.user)
    if not national and not mine:
        raise PermissionDenied
    kpi = _choice(request, "kpi", services.KPIS, "charge-rate")
    offence = _choice(request, "offence", services.OFFENCES, "rape")
    window = _choice(request, "window", services.WINDOWS, "year")
    sort = _choice(request, "sort", SORTS, "value")
    available = services.available_periods()
    complete = [p for p in available if not p.in_progress]
    period = (complete or available or [None])[0]
    requested = request.GET.get("period")
    if requested and available:
        chosen = next((p for p in available if p.slug == requested), None)
        if chosen is None:
            messages.warning(
                request,
                f"There is no Home Office table for “{requested[:40]}”: showing {period.label}.",
            )
        else:
            period = chosen
    context = {
        "kpis": services.KPIS,
        "offences": services.OFFENCES,
        "windows": services.WINDOWS,
        "available": available,
        "kpi": kpi,
        "offence": offence,
        "window": window,
        "sort": sort,
        "national": national,
        "mine": mine,
        "source": services.SOURCE,
    }
    if period is None:
        return render(request, "kpis/national/overview.html", context)
    context["period"] = period
    # What the page shows depends only on the national table (its batches' version, one
    # query), the choices and the reader's own forces: it is kept under a key made of them.
    mine_names = sorted(f.name for f in mine)
    version = batch_versions(force=Force(pk=0))[1]
    key = (
        "national-overview:"
        + hashlib.sha1(
            repr((version, kpi, offence, window, period.slug, sort, mine_names)).encode()
        ).hexdigest()
    )
    body = cache.get(key)
    if body is None:
        body = render_to_string(
            "kpis/national/overview_body.html",
            {**context, **_overview_context(kpi, offence, period, window, sort, mine_names)},
        )
        cache.set(key, body, CACHE_SECONDS)
    # Rendered from an autoescaped template (overview_body.html).
    context["body"] = mark_safe(body)
    return render(request, "kpis/national/overview.html", context)


def _overview_context(kpi, offence, period, window, sort, mine_names) -> dict:
    overview = services.national_overview(
        kpi=kpi, offence=offence, period=period, window=window, mine=set(mine_names)
    )
    overview.rows.sort(key=SORTS[sort])
    for row in overview.rows + overview.left_out:
        row.svg = charts.trend_svg(row.trend, overview.national_trend)
    return {
        "overview": overview,
        "figure": charts.funnel_figure(overview),
        "lower": overview.judged("lower"),
        "higher": overview.judged("higher"),
        "my_rows": [r for r in overview.rows + overview.left_out if r.mine],
        "trend_rows": sorted(overview.rows + overview.left_out, key=lambda r: r.force),
    }
