"""The deck's downloads as tidy tables: the drill-down of one KPI and the whole deck.

Values are the stored ones (rates as fractions, shown as percentages by the XLSX number
format); a suppressed count is an empty cell with a flag column beside it. What the table
is about (force, quarter, window, definition, source, suppression rule, data as at)
goes in a second table: the ZIP's about.csv, the workbook's second sheet (or, for a
plain CSV, the data as at in as_at columns: soteria/exports.py).
"""

from django.conf import settings

from soteria.exports import Table
from soteria.models import Force
from soteria.periods import Period

from ..engine.models import Kpi, OffenceGroup
from . import control, headlines
from .comparisons import is_current
from .readings import readable, stored_target

PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE: do not share outside the force"
QUARTER_WINDOW = "quarter"
DRILLDOWN_COLUMNS = [
    "force",
    "kpi",
    "offence_group",
    "table",
    "period",
    "quarter",
    "in_progress",
    "window",
    "group",
    "value",
    "value_suppressed",
    "numerator",
    "numerator_suppressed",
    "denominator",
    "denominator_suppressed",
    "ci_low",
    "ci_high",
    "ratio_to_reference",
    "ratio_low",
    "ratio_high",
    "reference_group",
    "status",
    "spc_mean",
    "spc_lower_limit",
    "spc_upper_limit",
    "spc_special_cause",
]


def suppression_rule(threshold: int | None = None) -> str:
    threshold = threshold or settings.DISCLOSURE_THRESHOLD
    return (
        f"Counts from 1 to {threshold - 1} in any breakdown are suppressed (shown as "
        f'"<{threshold}" on the page, an empty cell flagged "primary" here), and so is a 0 '
        'where that protects one; further counts are withheld (flagged "secondary") where '
        "they would let a hidden count be worked out. A financial year to date of one to "
        "three quarters shows only what its quarters show: a count hidden in any of them is "
        'withheld (flagged "secondary") whatever its size.'
    )


def value_kind(kpi: Kpi) -> str:
    return {
        Kpi.Unit.PERCENT: "percent",
        Kpi.Unit.RATIO: "decimal",
        Kpi.Unit.DAYS: "decimal",
        Kpi.Unit.COUNT: "decimal",
        Kpi.Unit.RANK: "integer",
    }.get(kpi.unit, "decimal")


def drilldown_table(*, force: Force, kpi: Kpi, period: Period, offence: str, detail: dict) -> Table:
    """One row per observation: every quarter of the trend, every group of every breakdown."""
    rows = []
    base = [force.slug, kpi.slug, offence]
    for p, s in detail["points"]:
        rows.append(
            [
                *base,
                "trend",
                p.slug,
                p.status_label,
                p.in_progress,
                s["window_label"]
                if s and s.get("window", QUARTER_WINDOW) != QUARTER_WINDOW
                else QUARTER_WINDOW,
                "All",
                *_figures(s),
                "",
                s["status"] if s else "no-data",
            ]
        )
    current = detail["current"] or {}
    for breakdown in detail["breakdowns"]:
        for r in breakdown["rows"]:
            numerator_flag = r.get("numerator_flag", "")
            denominator_flag = r.get("denominator_flag", "")
            suppressed = r.get("suppressed") or numerator_flag or denominator_flag
            rows.append(
                [
                    *base,
                    f"breakdown-{breakdown['dimension']}".replace("_", "-"),
                    period.slug,
                    period.status_label,
                    period.in_progress,
                    detail.get("window_label") or breakdown.get("window", QUARTER_WINDOW),
                    r["label"],
                    None if suppressed else r.get("value"),
                    suppressed or "",
                    None if numerator_flag else r.get("numerator"),
                    numerator_flag,
                    None if denominator_flag else r.get("denominator"),
                    denominator_flag,
                    None if suppressed else r.get("ci_low"),
                    None if suppressed else r.get("ci_high"),
                    1.0 if r.get("reference") else (None if suppressed else r.get("ratio")),
                    None if suppressed else r.get("ratio_low"),
                    None if suppressed else r.get("ratio_high"),
                    bool(r.get("reference")),
                    "ok",
                ]
            )
    rows += _comparison_rows(base, period, current)
    spc_columns = _spc_columns(kpi, detail)
    rows = [
        [*row, *(spc_columns[i] if i < len(spc_columns) else SPC_NONE)]
        for i, row in enumerate(rows)
    ]
    kinds = {"numerator": "integer", "denominator": "integer"}
    if kpi.unit in (Kpi.Unit.PERCENT,):
        kinds.update(
            value="percent",
            ci_low="percent",
            ci_high="percent",
            spc_mean="percent",
            spc_lower_limit="percent",
            spc_upper_limit="percent",
        )
    kinds.update(ratio_to_reference="decimal", ratio_low="decimal", ratio_high="decimal")
    return Table("Data", DRILLDOWN_COLUMNS, rows, kinds)


SPC_NONE = [None, None, None, ""]


def _spc_columns(kpi: Kpi, detail: dict) -> list[list]:
    """The SPC centre line, limits and special cause of each trend quarter (the trend rows
    come first), as the drill-down's SPC table reads them; none where SPC does not apply."""
    chart = detail.get("spc_chart")
    if chart is None:
        return []
    points = detail["points"]
    _, texts, _ = control.spc_table(kpi, points, chart, detail.get("step_changes") or [])
    columns = []
    for i, _point in enumerate(points):
        segment = chart.segment_at(i)
        lower, upper = control.shown_limits(kpi, segment)
        columns.append([segment.mean, lower, upper, texts[i][5]])
    return columns


def _comparison_rows(base: list, period: Period, current: dict) -> list[list]:
    """The Home Office figures the force is compared with: its own published one, England
    and Wales, its region and its most similar forces (table "comparison"), each with its
    counts."""
    comparison = current.get("comparison")
    if not is_current(comparison):
        return []
    rows = []
    for prefix, label in (
        ("force_", f"{comparison['force']} (Home Office published)"),
        ("", comparison.get("label", "England and Wales")),
        ("peer_", comparison.get("peer_label", "Region")),
        ("similar_", comparison.get("similar_label", "Most similar forces")),
    ):
        if comparison.get(f"{prefix}value") is None:
            continue
        rows.append(
            [
                *base,
                "comparison",
                period.slug,
                period.status_label,
                period.in_progress,
                QUARTER_WINDOW,
                label,
                comparison[f"{prefix}value"],
                "",
                comparison.get(f"{prefix}numerator"),
                "",
                comparison.get(f"{prefix}denominator"),
                "",
                None,
                None,
                None,
                None,
                None,
                False,
                "ok",
            ]
        )
    return rows


def _figures(s: dict | None) -> list:
    if not s:
        return [None, "", None, "", None, "", None, None, None, None, None]
    withheld = headlines.withheld(s)  # a missing-data count disclosure control withheld
    flag = withheld.numerator_flag if withheld else ""
    return [
        s["value"],
        flag,
        s["numerator"],
        flag,
        s["denominator"],
        "",
        s["ci_low"],
        s["ci_high"],
        None,
        None,
        None,
    ]


def drilldown_about(
    *, force: Force, kpi: Kpi, period: Period, offence: str, detail: dict
) -> list[tuple[str, object]]:
    target = detail["target"]
    items = [
        ("Protective marking", PROTECTIVE_MARKING),
        ("Force", force.name),
        ("KPI", kpi.name),
        ("Quarter", period.status_label),
        ("Offence group", OffenceGroup(offence).label),
        (
            "Window",
            f"{detail['window_label']}, and the same window ending with each quarter of the trend"
            if detail.get("windowed")
            else "Trend: each quarter; breakdowns: as stated in the window column",
        ),
        ("Definition", kpi.definition),
        ("Numerator", kpi.numerator or ""),
        ("Denominator", kpi.denominator or ""),
        ("Direction", kpi.get_polarity_display()),
        ("Data source", kpi.get_source_display()),
        ("Units", _units(kpi)),
        ("Target", f"{target.value:g} ({target.source})" if target else "None set"),
        ("RAG", detail["judgement"].text),
        ("Suppression rule", suppression_rule(detail.get("threshold"))),
    ]
    if period.in_progress:
        items.append(("In progress", "This quarter is in progress: figures are partial."))
    provenance = (detail["current"] or {}).get("provenance") or {}
    if provenance.get("narrative"):
        items.append(("Assurance narrative", provenance["narrative"]))
    return items


def _units(kpi: Kpi) -> str:
    if kpi.unit == Kpi.Unit.PERCENT:
        return "value, ci_low and ci_high are fractions (0.131 = 13.1%)"
    return f"value in {kpi.get_unit_display()}"


DECK_COLUMNS = [
    "force",
    "period",
    "quarter",
    "window",
    "offence_group",
    "kpi",
    "kpi_name",
    "aim_or_principle",
    "pillar",
    "unit",
    "direction",
    "value",
    "numerator",
    "denominator",
    "ci_low",
    "ci_high",
    "status",
    "rag",
    "target",
    "home_office_force_value",
    "england_and_wales_value",
    "regional_value",
]
# Home Office comparisons are rates (the charge or withdrawal share) whatever the tile's unit.
DECK_COMPARISON_COLUMNS = ("home_office_force_value", "england_and_wales_value", "regional_value")


def deck_table(*, force: Force, period: Period, offence: str, tiles: list) -> Table:
    """Every tile of the quarter, one row each, with its stored figures."""
    rows, row_kinds = [], []
    for tile in tiles:
        kpi, s = tile.kpi, tile.snapshot or {}
        # A grey tile shows no value, so neither does its row: only the status says why.
        shown = readable(tile.snapshot) or {}
        kind = value_kind(kpi)
        row_kinds.append(
            {c: kind for c in ("value", "ci_low", "ci_high", "target")}
            | (
                {c: "percent" for c in DECK_COMPARISON_COLUMNS}
                if kpi.unit in (Kpi.Unit.PERCENT, Kpi.Unit.RANK)
                else {}
            )
        )
        comparison = s.get("comparison") or {}
        rows.append(
            [
                force.slug,
                period.slug,
                period.status_label,
                s.get("window_label") or QUARTER_WINDOW,
                offence,
                kpi.slug,
                kpi.name,
                kpi.element.title,
                str(kpi.pillar),
                kpi.unit,
                kpi.polarity,
                shown.get("value"),
                shown.get("numerator"),
                shown.get("denominator"),
                shown.get("ci_low"),
                shown.get("ci_high"),
                "withheld"
                if headlines.withheld(s or None) or headlines.headline_withheld(s or None)
                else s.get("status", "no-data"),
                tile.rag if tile.rag != "none" else "",
                stored_target(kpi, tile.target.value) if tile.target else None,
                comparison.get("force_value") if is_current(comparison) else None,
                comparison.get("value") if is_current(comparison) else None,
                comparison.get("peer_value") if is_current(comparison) else None,
            ]
        )
    kinds = {"numerator": "decimal", "denominator": "decimal"}
    return Table("Deck", DECK_COLUMNS, rows, kinds, row_kinds)


def deck_about(*, force: Force, period: Period, offence: str) -> list[tuple[str, object]]:
    return [
        ("Protective marking", PROTECTIVE_MARKING),
        ("Force", force.name),
        ("Quarter", period.status_label),
        ("Offence group", OffenceGroup(offence).label),
        ("Window", "quarter"),
        (
            "Units",
            "value, ci_low, ci_high and target in the stored scale: rates (unit percent) "
            "as fractions (0.131 = 13.1%); Home Office comparison values are rates",
        ),
        ("Suppression rule", suppression_rule()),
    ]
