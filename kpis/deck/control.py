"""SPC for pages: a KPI's quarterly series read from its snapshots, cut at step changes,
and the drill-down's table of it.

The flight deck's tiles and the drill-down's chart both judge the same series the same
way (the last ``HISTORY_QUARTERS`` quarters; only values computed with enough data, in
quarters that have ended),
so a tile never says something its drill-down does not show.
"""

from dataclasses import replace

from soteria.models import Force
from soteria.periods import Period

from ..engine import spc
from ..engine.formatting import format_value
from ..engine.models import Kpi, KpiSnapshot, OffenceGroup
from .models import KpiStepChange
from .readings import flight_deck, pick, readable

HISTORY_QUARTERS = 20
# A rank, a date or a yes/no is not a measurement whose variation SPC describes.
SPC_UNITS = {Kpi.Unit.COUNT, Kpi.Unit.PERCENT, Kpi.Unit.DAYS, Kpi.Unit.RATIO, Kpi.Unit.SCORE}
SERIES_FIELDS = ("kpi_id", "period", "offence_group", "definition_version", "status", "value")


def applies(kpi: Kpi) -> bool:
    return kpi.unit in SPC_UNITS


def trimmed(points: list[tuple[Period, dict | None]]) -> list[tuple[Period, dict | None]]:
    """The points from the first quarter with a snapshot on."""
    first = next((i for i, (_, s) in enumerate(points) if s), len(points))
    return points[first:]


def series_group(points: list[tuple[Period, dict | None]], offence: str) -> str:
    """The offence group the series really is: evidence and panel KPIs are all RASSO only."""
    return next((s["offence_group"] for _, s in reversed(points) if s), offence)


def chart_for(
    kpi: Kpi, points: list[tuple[Period, dict | None]], step_changes=()
) -> spc.Chart | None:
    """The XmR chart of the series, segmented at the step changes marked for it and at
    any change of definition version. None for units SPC does not apply to."""
    if not applies(kpi) or not points:
        return None
    # A quarter still in progress holds partial figures: drawn, never judged.
    values = [s["value"] if readable(s) and not p.in_progress else None for p, s in points]
    position = {p: i for i, (p, _) in enumerate(points)}
    breaks: dict[int, str] = {}
    for step in sorted(step_changes, key=lambda s: s.period):
        start = Period.parse(step.period)
        if start <= points[0][0]:
            breaks[0] = f"the step change in {start.label}"
        elif start in position:
            breaks[position[start]] = f"the step change in {start.label}"
    version = None
    for i, (p, s) in enumerate(points):
        if values[i] is None:
            continue
        if version is not None and s["definition_version"] != version and i not in breaks:
            breaks[i] = f"definition version {s['definition_version']} ({p.label})"
        version = s["definition_version"]
    return spc.xmr(values, polarity=kpi.polarity, breaks=breaks)


def shown_limits(kpi: Kpi, segment: spc.Segment) -> tuple[float | None, float | None]:
    """A segment's limits as pages show them: no KPI is below zero, and no rate (a
    fraction) above one, so a limit beyond those reads as the bound itself."""
    if not segment.judged:
        return None, None
    return _bounded(kpi, segment.lower, segment.upper)


def _bounded(kpi: Kpi, lower: float, upper: float) -> tuple[float, float]:
    return max(lower, 0.0), min(upper, 1.0) if kpi.unit == Kpi.Unit.PERCENT else upper


def tile_verdicts(
    *, force: Force, period: Period, offence: str, kpis: list[Kpi]
) -> dict[int, spc.Verdict]:
    """Each KPI's SPC reading of the quarter, over the drill-down's history, in two
    queries whatever the number of KPIs: the series' values, and the force's step changes."""
    periods = period.trailing(HISTORY_QUARTERS)
    slugs = [p.slug for p in periods]
    groups = {offence, OffenceGroup.ALL}
    by_kpi: dict[tuple[int, str], list[dict]] = {}
    for row in KpiSnapshot.objects.filter(
        force=force, period__in=slugs, offence_group__in=groups
    ).values(*SERIES_FIELDS):
        by_kpi.setdefault((row["kpi_id"], row["period"]), []).append(row)
    steps: dict[tuple[int, str], list[KpiStepChange]] = {}
    for step in KpiStepChange.objects.filter(force=force, offence_group__in=groups):
        steps.setdefault((step.kpi_id, step.offence_group), []).append(step)
    verdicts = {}
    for kpi in kpis:
        if not applies(kpi):
            continue
        # The same snapshot the tile shows for each quarter (readings.pick).
        picked = [pick(by_kpi.get((kpi.pk, slug), ()), offence) for slug in slugs]
        points = trimmed(list(zip(periods, picked, strict=True)))
        group = series_group(points, offence)
        chart = chart_for(kpi, points, steps.get((kpi.pk, group), []))
        verdict = chart.verdict() if chart else None
        if verdict:
            verdicts[kpi.pk] = verdict
    return verdicts


def verdicts_for(*, force: Force, period: Period, offence: str):
    """``readings.flight_deck``'s hook: the tiles' SPC readings, with each judged segment's
    limits as pages show them (a count is never below zero, a rate never above 100%), so a
    tile's RAG and its SPC reading come from one chart. A quarter in progress has none."""

    def verdicts(kpis: list[Kpi]) -> dict[int, spc.Verdict]:
        if period.in_progress:
            return {}
        found = tile_verdicts(force=force, period=period, offence=offence, kpis=kpis)
        by_pk = {k.pk: k for k in kpis}
        return {pk: shown_verdict(by_pk[pk], verdict) for pk, verdict in found.items()}

    return verdicts


def judged_deck(*, force: Force, period: Period, offence: str) -> dict:
    """``readings.flight_deck`` with each tile's SPC reading, judged as every page and
    download judges it (the deck, its CSV, the board pack)."""
    return flight_deck(
        force=force,
        period=period,
        offence=offence,
        verdicts_for=verdicts_for(force=force, period=period, offence=offence),
    )


def shown_verdict(kpi: Kpi, verdict: spc.Verdict) -> spc.Verdict:
    """The reading with its limits as pages show them (see ``shown_limits``)."""
    if verdict.lower is None or verdict.upper is None:
        return verdict
    lower, upper = _bounded(kpi, verdict.lower, verdict.upper)
    return replace(verdict, lower=lower, upper=upper)


def series_quarters(*, force: Force, kpi: Kpi, offence: str) -> tuple[str, list[Period]]:
    """The offence group of the KPI's series for an offence filter, and its quarters with a
    snapshot, oldest first (one query): where a step change can be marked."""
    rows = set(
        KpiSnapshot.objects.filter(
            force=force, kpi=kpi, offence_group__in={offence, OffenceGroup.ALL}
        ).values_list("period", "offence_group")
    )
    group = offence if any(g == offence for _, g in rows) else OffenceGroup.ALL
    return group, sorted(Period.parse(p) for p, g in rows if g == group)


def spc_table(kpi: Kpi, points, chart: spc.Chart, step_changes) -> tuple[list, list, str]:
    """The drill-down's SPC table (columns, rows, note): each quarter's centre line, limits
    and special cause, as the trend chart draws them."""
    rows = []
    for i, (p, _) in enumerate(points):
        segment = chart.segment_at(i)
        value = chart.values[i]
        lower, upper = shown_limits(kpi, segment)
        rows.append(
            [
                p.status_label,
                "–" if value is None else format_value(kpi, value),
                "–" if segment.mean is None else format_value(kpi, segment.mean),
                "–" if lower is None else format_value(kpi, lower),
                "–" if upper is None else format_value(kpi, upper),
                "Not judged: quarter in progress"
                if p.in_progress
                else _signal_text(chart.signal(i), value, segment),
            ]
        )
    notes = [_segment_text(points, chart, segment) for segment in chart.segments]
    notes += [f"step change from {Period.parse(s.period).label}: {s.reason}" for s in step_changes]
    verdict = chart.verdict()
    return (
        [
            "Quarter",
            "Value",
            "Centre line (mean)",
            "Lower process limit",
            "Upper process limit",
            "Special cause",
        ],
        rows,
        " ".join(
            [
                f"Latest quarter: {verdict.detail}" if verdict else "",
                "Special causes: a quarter outside the process limits; 2 of 3 quarters in a "
                "row close to a limit (beyond two sigma) on one side; a run of "
                f"{spc.RUN} or more quarters on one side of the mean; a trend of {spc.TREND} "
                "or more quarters each rising or each falling. Quarters with too little "
                "data are not judged.",
                "Segments: " + "; ".join(notes) + ".",
            ]
        ).strip(),
    )


def _segment_text(points, chart: spc.Chart, segment: spc.Segment) -> str:
    span = f"{points[segment.start][0].label} to {points[segment.stop - 1][0].status_label}"
    if segment.judged:
        known = [
            points[i][0] for i in range(segment.start, segment.stop) if chart.values[i] is not None
        ]
        text = (
            f"{span}: limits from {segment.baseline} quarters "
            f"({known[0].label} to {known[segment.baseline - 1].label})"
        )
        if segment.provisional:
            text += f", provisional until there are {spc.BASELINE}"
    else:
        quarters = "quarter" if segment.points == 1 else "quarters"
        text = f"{span}: {segment.points} {quarters} with data, too few for limits"
    return text + (f", from {segment.reason}" if segment.reason else "")


def _signal_text(signal, value, segment) -> str:
    if value is None:
        return "Not judged"
    if not segment.judged:
        return "Too few points to judge"
    if signal is None:
        return "Common cause"
    kind = {
        spc.IMPROVEMENT: "Improvement",
        spc.CONCERN: "Concern",
        spc.NEITHER: "Neither improvement nor concern",
    }[signal.kind]
    return f"{kind}: {signal.description}"
