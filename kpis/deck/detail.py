"""The drill-down: one KPI, its trend, breakdowns, definition and national position.

The sections here are the tables the page shows and the CSV and XLSX downloads hold.

Long because it is one page's sections, in the order the page shows them: each short
builder is only ever read beside the others.
"""

from dataclasses import dataclass

from soteria.models import Force
from soteria.periods import Period

from ..engine.formatting import (
    format_count,
    format_interval,
    format_percent,
    format_ratio,
    format_value,
)
from ..engine.models import Kpi, KpiSnapshot, OffenceGroup
from ..engine.windows import QUARTER, Window
from . import control, headlines, windows
from .captions import tile_caption
from .comparisons import comparators, national_rows, sources_rows, value_source
from .models import KpiStepChange
from .readings import (
    SNAPSHOT_FIELDS,
    WITHHELD,
    comparison_text,
    display_text,
    judge,
    limits_of,
    pick,
    small,
    target_for,
    target_group,
    target_text,
    target_value_text,
    targets_by_kpi,
)

# Drill-downs that link to the relationship-by-characteristic cross-tab.
CROSSTAB_FROM = ("charge-volume", "charge-rate", "charge-rate-by-relationship")
HISTORY_QUARTERS = control.HISTORY_QUARTERS  # the SPC reading on the tiles uses the same


@dataclass
class Section:
    """A table on the drill-down page; the CSV and XLSX downloads are these same tables."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    figure: dict | None = None
    note: str = ""


def count_text(value, flag: str, threshold: int) -> str:
    if flag == "primary":
        return small(threshold)
    if flag == "secondary":
        return WITHHELD
    return format_count(value)


def percent_text(value) -> str:
    return format_percent(value)


def ratio_text(value) -> str:
    return format_ratio(value)


def kpi_detail(
    *, force: Force, kpi: Kpi, period: Period, offence: str, window: str = QUARTER
) -> dict:
    """The drill-down's figures over the window asked for (windows.window_view): the
    quarter, or for a windowed KPI the rolling year or the financial year to date ending
    with each quarter of the trend."""
    from . import charts

    window = window if windows.is_windowed(kpi) else QUARTER
    rows = KpiSnapshot.objects.filter(
        force=force, kpi=kpi, offence_group__in={offence, OffenceGroup.ALL}
    ).values(*SNAPSHOT_FIELDS, "breakdowns", "window_breakdowns")
    by_period: dict[str, list[dict]] = {}
    for row in rows:
        by_period.setdefault(row["period"], []).append(row)
    periods = period.trailing(HISTORY_QUARTERS)
    first = next((i for i, p in enumerate(periods) if p.slug in by_period), len(periods) - 1)
    periods = periods[first:]
    raw = [(p, pick(by_period.get(p.slug, []), offence)) for p in periods]
    # A disparity is read over the window throughout; another KPI's headline, trend and
    # Home Office comparisons stay quarterly, and its breakdowns read the window.
    headline = window if windows.is_disparity(kpi) else QUARTER
    points = [(p, windows.window_view(s, headline, p)) for p, s in raw]
    current = points[-1][1]
    shown = windows.window_view(raw[-1][1], window, period)
    window_label = Window(window, period).label
    targets = targets_by_kpi(force=force).get(kpi.pk, [])
    group = target_group(current, offence)
    target = target_for(kpi, targets, period, group)
    threshold = (current or {}).get("provenance", {}).get("params", {}).get(
        "disclosure_threshold"
    ) or _threshold()
    series_group = control.series_group(points, offence)
    step_changes = list(
        KpiStepChange.objects.filter(
            force=force, kpi=kpi, offence_group=series_group
        ).select_related("marked_by")
    )
    for step in step_changes:
        step.period_label = Period.parse(step.period).label
    # Control limits read the quarterly headline; overlapping windows (a disparity's rolling
    # years) are not independent. The window chosen for breakdowns does not change them.
    quarters = headline == QUARTER
    # A characteristic the force's extract has never carried has nothing to chart or judge.
    shown_points = [s for _, s in points if s]
    never_supplied = bool(shown_points) and all(map(headlines.is_not_supplied, shown_points))
    charted = quarters and not never_supplied
    spc_chart = control.chart_for(kpi, points, step_changes) if charted else None
    # Judged as its tile is: with the chart's process limits where the figure has no interval.
    verdict = spc_chart.verdict() if spc_chart and not period.in_progress else None
    limits = limits_of(control.shown_verdict(kpi, verdict)) if verdict else None
    judgement = judge(kpi, current, target, in_progress=period.in_progress, limits=limits)
    rag = judgement.rag
    sections = [
        _definition_section(kpi, current, target, threshold),
        _quarter_section(
            kpi, current, target, judgement, "" if headline == QUARTER else window_label
        ),
        _trend_section(kpi, points, target, charts, spc_chart=spc_chart, chart=not never_supplied),
        *([_spc_section(kpi, points, spc_chart, step_changes)] if spc_chart else []),
        *_comparison_sections(kpi, current),
        *_comparators_section(kpi, current, points, force, charts),
    ]
    # Cross-tabs (relationship by characteristic) have their own page and downloads.
    breakdowns = [
        b
        for b in (shown or {}).get("breakdowns") or []
        if isinstance(b, dict) and isinstance(b.get("rows"), list) and not b.get("crosses")
    ]
    for breakdown in breakdowns:
        sections.append(_breakdown_section(kpi, breakdown, threshold, charts, window_label))
    return {
        "kpi": kpi,
        "current": current,
        "target": target,
        "rag": rag,
        "rag_label": judgement.label,
        "rag_reason": judgement.reason,
        "target_text": target_text(kpi, target, targets, period, group),
        "display": display_text(kpi, current),
        "caption": tile_caption(kpi, current, offence),
        "sections": sections,
        "threshold": threshold,
        "targets": targets,
        "spc": spc_chart.verdict() if spc_chart else None,
        "step_changes": step_changes,
        "spc_chart": spc_chart,
        "series_group": series_group,
        "points": points,
        "judgement": judgement,
        "window": window,
        "window_label": window_label,
        "windowed": windows.is_windowed(kpi),
        # The headline reads the window only for a disparity; another KPI's is the quarter's.
        "headline_windowed": headline != QUARTER,
        "breakdowns": breakdowns,
        "crosstab": kpi.slug in CROSSTAB_FROM,
    }


def _threshold() -> int:
    from django.conf import settings

    return settings.DISCLOSURE_THRESHOLD


def _definition_section(kpi: Kpi, current, target, threshold) -> Section:
    provenance = (current or {}).get("provenance") or {}
    rows = [
        ["Definition", kpi.definition],
        ["Numerator", kpi.numerator or "–"],
        ["Denominator", kpi.denominator or "–"],
        ["Counts", kpi.get_basis_display()],
        ["Direction", kpi.get_polarity_display()],
        [
            "Target or threshold",
            f"{target_value_text(kpi, target.value)} for "
            f"{OffenceGroup(target.offence_group).label} ({target.source})"
            if target
            else "None set",
        ],
        ["Data source", kpi.get_source_display()],
        ["NOM aim or principle", kpi.element.title],
        ["Pillar", str(kpi.pillar)],
        [
            "Definition version",
            str(current["definition_version"]) if current else str(kpi.version),
        ],
        [
            "Disclosure control",
            f'Counts from 1 to {threshold - 1} shown as "<{threshold}"; '
            "further counts withheld where they would reveal one",
        ],
    ]
    params = provenance.get("params") or {}
    if kpi.slug == "repeat-suspect-share" and params:
        rows.append(
            [
                "Repeat suspect",
                f"Named in {params['repeat_reports']} or more RASSO reports within "
                f"{params['repeat_years']} years",
            ]
        )
    if provenance.get("summary"):
        rows.append(["Provenance", provenance["summary"]])
    if provenance.get("narrative"):
        rows.append(["Narrative", provenance["narrative"]])
    if provenance.get("url"):
        rows.append(["Source record", provenance["url"]])
    if current:
        rows.append(["Computed", f"{current['computed_at']:%-d %b %Y %H:%M}"])
    return Section("definition", "Definition", ["Item", "Detail"], rows)


def _quarter_section(kpi, current, target, judgement, window_label="") -> Section:
    title = f"This window: {window_label}" if window_label else "This quarter"
    if not current:
        return Section("quarter", title, ["Item", "Value"], [["Value", "No data yet"]])
    interval = format_interval(kpi, current["ci_low"], current["ci_high"])
    numerator_is_rate = kpi.unit == Kpi.Unit.RATIO
    withheld = headlines.withheld(current)
    rows = [
        ["Value", display_text(kpi, current)],
        ["Status", dict(KpiSnapshot.Status.choices)[current["status"]]],
        [
            kpi.numerator_label or "Numerator",
            percent_text(current["numerator"]) if numerator_is_rate else _headline_count(current),
        ],
        [
            kpi.denominator_label or "Denominator",
            percent_text(current["denominator"])
            if numerator_is_rate
            else count_text(current["denominator"], "", 0),
        ],
        ["95% interval", interval],
        ["RAG", judgement.text],
    ]
    if withheld is not None:
        rows.append(["Withheld", withheld.reason.capitalize()])
    if headlines.partly_supplied(current):
        rows.append(
            [
                "Left out",
                "Offences from extracts without this column: counted neither as recorded "
                "nor as missing",
            ]
        )
    detail = (current.get("provenance") or {}).get("detail") or {}
    if detail.get("gap_group"):
        lead = "Largest significant gap" if detail.get("significant") else "Largest gap"
        rows.append([lead, f"{detail['gap_group']} against {detail['reference_group']}"])
    if windows.is_disparity(kpi) and current.get("status") != KpiSnapshot.Status.NO_DATA:
        rows.append(["Groups left out", windows.left_out_text(detail) or "None"])
    if "above_threshold" in detail:
        rows.append(
            [f"Investigators above {detail['threshold']:g} cases", str(detail["above_threshold"])]
        )
    if detail.get("median_age_days") is not None:
        rows.append(["Median time open", f"{detail['median_age_days']:,.0f} days"])
    if "lower_quartile" in detail:
        rows.append(
            [
                "Quartiles",
                f"{detail['lower_quartile']:,.0f} to {detail['upper_quartile']:,.0f} days",
            ]
        )
    source = value_source(kpi, current)
    if source:
        rows.append(["Value source", source])
    comparison = comparison_text(kpi, current)
    if comparison:
        rows.append(["National comparison", comparison])
    return Section("quarter", title, ["Item", "Value"], rows)


def _headline_count(snapshot: dict) -> str:
    """The headline's count, or "<5" / "withheld" where disclosure control withheld it."""
    withheld = headlines.withheld(snapshot)
    if withheld is not None:
        return count_text(None, withheld.numerator_flag, withheld.threshold)
    return count_text(snapshot["numerator"], "", 0)


def _comparators_section(kpi, current, points, force, charts) -> list[Section]:
    """The force's published figure against England and Wales, its region and its most
    similar forces, with the judgement against each, and the trend of all four."""
    comparison = (current or {}).get("comparison")
    rows = comparators(kpi, comparison)
    if not rows:
        return []
    table = [
        [
            f"{force.name} (Home Office published)",
            format_percent(comparison["force_value"]),
            f"{comparison['force_numerator']:,}",
            f"{comparison['force_denominator']:,}",
            "",
            "",
        ]
    ]
    for row in rows:
        prefix = {"national": "", "region": "peer_", "similar": "similar_"}[row["key"]]
        numerator = comparison.get(f"{prefix}numerator")
        denominator = comparison.get(f"{prefix}denominator")
        table.append(
            [
                row["label"],
                row["rate"],
                "–" if numerator is None else f"{numerator:,}",
                "–" if denominator is None else f"{denominator:,}",
                str(comparison.get(f"{prefix}forces") or ""),
                row["words"],
            ]
        )
    note = (
        "Every figure is the Home Office outcomes table's, closed basis. "
        f"“Significantly” means {force.name}'s 95% Wilson interval lies wholly above or below "
        "the comparator's rate; otherwise the difference could be chance. The region counts "
        "every force of the region, "
        f"{force.name} included; the most similar forces do not include {force.name}."
    )
    similar = next((r for r in rows if r["key"] == "similar"), None)
    if similar and similar["members"]:
        note += f" {similar['label']}: {', '.join(similar['members'])}."
        left = comparison.get("similar_left_out") or []
        if left:
            note += f" Left out of its figure (no complete data): {', '.join(left)}."
    else:
        note += " No most-similar group is set for this force yet."
    return [
        Section(
            "comparators",
            "Compared with England and Wales, the region and the most similar forces",
            ["Comparator", "Rate", "Numerator", "Denominator", "Forces", f"{force.name} is"],
            table,
            figure=charts.comparison_figure(points, force.name),
            note=note,
        )
    ]


def _comparison_sections(kpi, current) -> list[Section]:
    """The own-records against published reading, and the national position where it applies."""
    sections = []
    sources = sources_rows(kpi, current)
    if sources:
        rows, note = sources
        sections.append(
            Section(
                "sources",
                "Own records against Home Office published figures",
                ["Source", "Value", "Numerator", "Denominator"],
                rows,
                note=note,
            )
        )
    national = national_rows(kpi, current)
    if national:
        sections.append(
            Section("national", "National position (charge rate)", ["Item", "Value"], national)
        )
    return sections


def _trend_section(kpi, points, target, charts, *, spc_chart=None, chart=True) -> Section:
    rows = []
    for p, s in points:
        if not s:
            rows.append([p.status_label, "No data yet", "–", "–", "–", "–"])
            continue
        interval = format_interval(kpi, s["ci_low"], s["ci_high"])
        is_ratio = kpi.unit == Kpi.Unit.RATIO
        rows.append(
            [
                s.get("window_label") if s.get("window") not in (None, QUARTER) else p.status_label,
                display_text(kpi, s)
                if headlines.is_not_supplied(s) or headlines.withheld(s)
                else format_value(kpi, s["value"], s["provenance"]),
                percent_text(s["numerator"]) if is_ratio else _headline_count(s),
                percent_text(s["denominator"]) if is_ratio else count_text(s["denominator"], "", 0),
                interval,
                dict(KpiSnapshot.Status.choices)[s["status"]],
            ]
        )
    figure = charts.trend_figure(kpi, points, target, spc_chart=spc_chart) if chart else None
    return Section(
        "trend",
        "Trend",
        ["Quarter or window", "Value", "Numerator", "Denominator", "95% interval", "Status"],
        rows,
        figure=figure,
        note=figure["method"]
        if figure
        else "Not supplied in any quarter shown: the force's extract does not carry this "
        "column, so there is nothing to chart.",
    )


def _spc_section(kpi, points, chart, step_changes) -> Section:
    """Each quarter's centre line, limits and special cause: what the trend chart draws."""
    columns, rows, note = control.spc_table(kpi, points, chart, step_changes)
    return Section("spc", "Statistical process control", columns, rows, note=note)


def _breakdown_section(kpi, breakdown, threshold, charts, window_label="") -> Section:
    rows = []
    public = breakdown.get("public")
    is_rate = breakdown.get("kind", "count") == "rate"
    label = breakdown.get("label") or breakdown.get("dimension", "").replace("_", " ").capitalize()
    if window_label and not public:
        label = f"{label}, {window_label}"
    breakdown = {
        **breakdown,
        "label": label,
        "rows": [{**r, "label": r.get("label", r.get("group", ""))} for r in breakdown["rows"]],
    }
    compare = any(r.get("reference") for r in breakdown["rows"]) and not public
    columns = [
        "Group",
        "Count" if not is_rate else "Numerator",
        "Of",
        "Rate" if is_rate else "Share",
        "95% interval",
    ]
    if compare:
        columns += ["Ratio to reference", "Ratio 95% interval", "Compared"]
    if public:
        columns = ["Force", "Charges", "Outcomes", "Charge rate", "Rank"]
    for r in breakdown["rows"]:
        if public:
            rows.append(
                [
                    r["label"],
                    count_text(r["numerator"], "", 0),
                    count_text(r["denominator"], "", 0),
                    percent_text(r["value"]),
                    r.get("note", ""),
                ]
            )
            continue
        interval = (
            f"{percent_text(r['ci_low'])} to {percent_text(r['ci_high'])}"
            if r.get("ci_low") is not None and r.get("ci_high") is not None
            else "–"
        )
        row = [
            r["label"],
            count_text(r.get("numerator"), r.get("numerator_flag", ""), threshold),
            count_text(r.get("denominator"), r.get("denominator_flag", ""), threshold),
            percent_text(r.get("value")),
            interval,
        ]
        if compare:
            ratio_interval = (
                f"{ratio_text(r['ratio_low'])} to {ratio_text(r['ratio_high'])}"
                if r.get("ratio_low") is not None
                else "–"
            )
            row += [
                "1.00 (reference)" if r.get("reference") else ratio_text(r.get("ratio")),
                ratio_interval,
                "reference group"
                if r.get("reference")
                else r.get("note") or ("compared" if r.get("compared") else "not compared"),
            ]
        rows.append(row)
    ratios = compare and kpi.unit == Kpi.Unit.RATIO
    figure = (
        None if public else charts.breakdown_figure(breakdown, threshold=threshold, ratios=ratios)
    )
    if public:
        figure = charts.breakdown_figure(
            {**breakdown, "rows": breakdown["rows"]}, threshold=threshold
        )
    return Section(
        f"breakdown-{breakdown.get('dimension', 'groups')}".replace("_", "-"),
        label,
        columns,
        rows,
        figure=figure,
        note=breakdown.get("note", ""),
    )
