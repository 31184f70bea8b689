"""Reading snapshots for pages and exports: tiles, RAG status, formatted values, tables.

Nothing here computes a KPI from records: it reads KpiSnapshot rows (already
disclosure-controlled) and the force's targets, in a fixed number of queries.
"""

import datetime as dt
from dataclasses import dataclass, field

from soteria.models import Force, FrameworkElement, Pillar
from soteria.periods import Period

from ..models import Kpi, KpiSnapshot, KpiTarget, OffenceGroup

TREND_QUARTERS = 8
SNAPSHOT_FIELDS = (
    "kpi_id",
    "period",
    "offence_group",
    "definition_version",
    "status",
    "value",
    "numerator",
    "denominator",
    "ci_low",
    "ci_high",
    "suppressed",
    "comparison",
    "provenance",
    "computed_at",
)
RAG_LABELS = {
    "green": "Green: on target",
    "amber": "Amber: close to target",
    "red": "Red: off target",
    "grey": "Grey: insufficient data",
    "": "No target set",
    "none": "No data yet",
}
WITHHELD = "withheld"


def small(threshold: int) -> str:
    return f"<{threshold}"


@dataclass
class Target:
    value: float
    amber_margin: float
    source: str  # who set it and from when, or "catalogue default"


@dataclass
class Tile:
    kpi: Kpi
    snapshot: dict | None
    trend: list[dict | None]
    target: Target | None
    rag: str
    display: str
    comparison: str
    change: str
    periods: list[Period] = field(default_factory=list)

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]


def parse_offence(value: str | None) -> str:
    return value if value in OffenceGroup.values else OffenceGroup.ALL


def available_periods(*, force: Force) -> list[Period]:
    """Quarters with snapshots for the force, newest first."""
    slugs = (
        KpiSnapshot.objects.filter(force=force)
        .order_by()
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted({Period.parse(s) for s in slugs}, reverse=True)


def choose_period(requested: str | None, available: list[Period]) -> Period:
    if requested:
        try:
            return Period.parse(requested)
        except ValueError:
            pass
    return available[0] if available else Period.latest_complete()


def targets_by_kpi(*, force: Force) -> dict[int, list[KpiTarget]]:
    targets: dict[int, list[KpiTarget]] = {}
    for target in KpiTarget.objects.filter(force=force).select_related("set_by"):
        targets.setdefault(target.kpi_id, []).append(target)
    return targets


def target_for(kpi: Kpi, targets: list[KpiTarget], period: Period) -> Target | None:
    """The force's target in force for the quarter, else the catalogue's default or threshold."""
    current = [t for t in targets if t.effective_from <= period.slug]
    if current:
        chosen = max(current, key=lambda t: (t.effective_from, t.set_at))
        who = (
            chosen.set_by.get_full_name() or chosen.set_by.username if chosen.set_by else "unknown"
        )
        since = Period.parse(chosen.effective_from).label
        return Target(
            chosen.value,
            chosen.amber_margin,
            f"Set by {who} on {chosen.set_at:%-d %b %Y}, from {since}",
        )
    if kpi.default_target is not None:
        return Target(kpi.default_target, 0, "Catalogue default target")
    if kpi.threshold is not None:
        return Target(kpi.threshold, 0, "Catalogue threshold")
    return None


def scaled(kpi: Kpi, value: float | None) -> float | None:
    """A stored value in the units people read and set targets in (percent, not fraction)."""
    if value is None:
        return None
    return value * 100 if kpi.unit == Kpi.Unit.PERCENT else value


def rag_status(kpi: Kpi, snapshot: dict | None, target: Target | None) -> str:
    if snapshot is None:
        return "none"
    if snapshot["status"] != KpiSnapshot.Status.OK or snapshot["value"] is None:
        return "grey"
    if target is None or kpi.polarity == Kpi.Polarity.NONE:
        return ""
    value = scaled(kpi, snapshot["value"])
    if kpi.polarity == Kpi.Polarity.UP:
        gap = target.value - value
    else:
        gap = value - target.value
    if gap <= 0:
        return "green"
    return "amber" if gap <= target.amber_margin else "red"


def format_value(kpi: Kpi, value: float | None, provenance: dict | None = None) -> str:
    if provenance and provenance.get("display"):
        return str(provenance["display"])
    if value is None:
        return "–"
    unit = kpi.unit
    if unit == Kpi.Unit.PERCENT:
        return f"{value * 100:.1f}%"
    if unit == Kpi.Unit.RATIO:
        return f"{value:.2f}"
    if unit == Kpi.Unit.DAYS:
        return f"{value:,.0f} days" if value >= 10 else f"{value:.1f} days"
    if unit == Kpi.Unit.RANK:
        return ordinal(int(value))
    if unit == Kpi.Unit.YESNO:
        return "Yes" if value else "No"
    if unit == Kpi.Unit.DATE:
        return dt.date.fromordinal(int(value)).strftime("%-d %b %Y")
    if unit == Kpi.Unit.COUNT and value != int(value):
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def comparison_text(kpi: Kpi, snapshot: dict | None) -> str:
    if not snapshot or not snapshot.get("comparison"):
        return ""
    comparison = snapshot["comparison"]
    if kpi.unit == Kpi.Unit.RANK:
        rate = comparison.get("value")
        national = f"; national rate {rate * 100:.1f}%" if rate is not None else ""
        return f"of {comparison.get('forces', 43)} forces{national}"
    value = comparison.get("value")
    if value is None:
        return ""
    text = f"{comparison.get('label', 'National')}: {format_value(kpi, value)}"
    if comparison.get("peer_value") is not None:
        text += f" · {comparison['peer_label']}: {format_value(kpi, comparison['peer_value'])}"
    return text


def change_text(kpi: Kpi, current: dict | None, previous: dict | None) -> str:
    if not current or not previous or current["value"] is None or previous["value"] is None:
        return ""
    delta = scaled(kpi, current["value"]) - scaled(kpi, previous["value"])
    if abs(delta) < 1e-9:
        return "No change on the previous quarter"
    unit = " points" if kpi.unit == Kpi.Unit.PERCENT else ""
    if kpi.unit == Kpi.Unit.RANK:
        return f"{'Down' if delta > 0 else 'Up'} {abs(delta):.0f} places on the previous quarter"
    digits = 2 if kpi.unit == Kpi.Unit.RATIO else 1 if abs(delta) < 10 else 0
    return f"{'Up' if delta > 0 else 'Down'} {abs(delta):.{digits}f}{unit} on the previous quarter"


def pick(rows: list[dict], offence: str) -> dict | None:
    """The snapshot for the offence group asked for, else the all-RASSO one (evidence returns
    and panels report once for all RASSO); the newest definition version wins."""
    best = None
    for row in rows:
        rank = (row["offence_group"] == offence, row["definition_version"])
        if row["offence_group"] not in (offence, OffenceGroup.ALL):
            continue
        if best is None or rank > best[0]:
            best = (rank, row)
    return best[1] if best else None


def flight_deck(*, force: Force, period: Period, offence: str) -> dict:
    """Every KPI as a tile for one quarter and offence group, with its 8-quarter trend."""
    periods = period.trailing(TREND_QUARTERS)
    kpis = list(Kpi.objects.select_related("element", "pillar").order_by("order"))
    rows = KpiSnapshot.objects.filter(
        force=force,
        period__in=[p.slug for p in periods],
        offence_group__in={offence, OffenceGroup.ALL},
    ).values(*SNAPSHOT_FIELDS)
    by_kpi: dict[tuple[int, str], list[dict]] = {}
    for row in rows:
        by_kpi.setdefault((row["kpi_id"], row["period"]), []).append(row)
    targets = targets_by_kpi(force=force)
    tiles = []
    for kpi in kpis:
        trend = [pick(by_kpi.get((kpi.pk, p.slug), []), offence) for p in periods]
        snapshot = trend[-1]
        target = target_for(kpi, targets.get(kpi.pk, []), period)
        tiles.append(
            Tile(
                kpi=kpi,
                snapshot=snapshot,
                trend=trend,
                target=target,
                rag=rag_status(kpi, snapshot, target),
                display=format_value(kpi, snapshot["value"], snapshot["provenance"])
                if snapshot
                else "No data yet",
                comparison=comparison_text(kpi, snapshot),
                change=change_text(kpi, snapshot, trend[-2]),
                periods=periods,
            )
        )
    return {
        "tiles": tiles,
        "elements": list(FrameworkElement.objects.all()),
        "pillars": list(Pillar.objects.all()),
    }


# --- the drill-down: one KPI, its trend, breakdowns, definition and national position ------

HISTORY_QUARTERS = 20


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
    if value is None:
        return "–"
    return f"{value:,.0f}"


def percent_text(value) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def ratio_text(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def kpi_detail(*, force: Force, kpi: Kpi, period: Period, offence: str) -> dict:
    from .. import charts

    rows = KpiSnapshot.objects.filter(
        force=force, kpi=kpi, offence_group__in={offence, OffenceGroup.ALL}
    ).values(*SNAPSHOT_FIELDS, "breakdowns")
    by_period: dict[str, list[dict]] = {}
    for row in rows:
        by_period.setdefault(row["period"], []).append(row)
    periods = period.trailing(HISTORY_QUARTERS)
    first = next((i for i, p in enumerate(periods) if p.slug in by_period), len(periods) - 1)
    periods = periods[first:]
    points = [(p, pick(by_period.get(p.slug, []), offence)) for p in periods]
    current = points[-1][1]
    targets = targets_by_kpi(force=force).get(kpi.pk, [])
    target = target_for(kpi, targets, period)
    national = None
    if kpi.slug != "national-position":
        national = pick(
            list(
                KpiSnapshot.objects.filter(
                    force=force,
                    kpi__slug="national-position",
                    period=period.slug,
                    offence_group__in={offence, OffenceGroup.ALL},
                ).values(*SNAPSHOT_FIELDS)
            ),
            offence,
        )
    threshold = (current or {}).get("provenance", {}).get("params", {}).get(
        "disclosure_threshold"
    ) or _threshold()
    rag = rag_status(kpi, current, target)
    sections = [
        _definition_section(kpi, current, target, threshold),
        _quarter_section(kpi, current, target, rag, national),
        _trend_section(kpi, points, target, charts),
    ]
    if current:
        for breakdown in current.get("breakdowns") or []:
            sections.append(_breakdown_section(kpi, breakdown, threshold, charts))
    return {
        "kpi": kpi,
        "current": current,
        "target": target,
        "rag": rag,
        "rag_label": RAG_LABELS[rag],
        "display": format_value(kpi, current["value"], current["provenance"])
        if current
        else "No data yet",
        "sections": sections,
        "threshold": threshold,
        "targets": targets,
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
        ["Target or threshold", f"{target.value:g} ({target.source})" if target else "None set"],
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


def _quarter_section(kpi, current, target, rag, national) -> Section:
    if not current:
        return Section("quarter", "This quarter", ["Item", "Value"], [["Value", "No data yet"]])
    interval = (
        f"{format_value(kpi, current['ci_low'])} to {format_value(kpi, current['ci_high'])}"
        if current["ci_low"] is not None and current["ci_high"] is not None
        else "–"
    )
    numerator_is_rate = kpi.unit == Kpi.Unit.RATIO
    rows = [
        ["Value", format_value(kpi, current["value"], current["provenance"])],
        ["Status", dict(KpiSnapshot.Status.choices)[current["status"]]],
        [
            kpi.numerator_label or "Numerator",
            percent_text(current["numerator"])
            if numerator_is_rate
            else count_text(current["numerator"], "", 0),
        ],
        [
            kpi.denominator_label or "Denominator",
            percent_text(current["denominator"])
            if numerator_is_rate
            else count_text(current["denominator"], "", 0),
        ],
        ["95% interval", interval],
        ["RAG", RAG_LABELS[rag]],
    ]
    detail = (current.get("provenance") or {}).get("detail") or {}
    if detail.get("lowest_group"):
        rows.append(
            ["Lowest group", f"{detail['lowest_group']} against {detail['reference_group']}"]
        )
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
    comparison = comparison_text(kpi, current)
    if comparison:
        rows.append(["National comparison", comparison])
    if national and national["value"] is not None:
        rows.append(
            [
                "National position (charge rate)",
                f"{ordinal(int(national['value']))} of {national['comparison'].get('forces', 43)} forces",
            ]
        )
    elif kpi.slug != "national-position":
        rows.append(
            ["National position (charge rate)", "No Home Office table for this quarter yet"]
        )
    return Section("quarter", "This quarter", ["Item", "Value"], rows)


def _trend_section(kpi, points, target, charts) -> Section:
    rows = []
    for p, s in points:
        if not s:
            rows.append([p.label, "No data yet", "–", "–", "–", "–"])
            continue
        interval = (
            f"{format_value(kpi, s['ci_low'])} to {format_value(kpi, s['ci_high'])}"
            if s["ci_low"] is not None and s["ci_high"] is not None
            else "–"
        )
        is_ratio = kpi.unit == Kpi.Unit.RATIO
        rows.append(
            [
                p.label,
                format_value(kpi, s["value"], s["provenance"]),
                percent_text(s["numerator"]) if is_ratio else count_text(s["numerator"], "", 0),
                percent_text(s["denominator"]) if is_ratio else count_text(s["denominator"], "", 0),
                interval,
                dict(KpiSnapshot.Status.choices)[s["status"]],
            ]
        )
    figure = charts.trend_figure(kpi, points, target)
    return Section(
        "trend",
        "Trend",
        ["Quarter", "Value", "Numerator", "Denominator", "95% interval", "Status"],
        rows,
        figure=figure,
        note=figure["method"],
    )


def _breakdown_section(kpi, breakdown, threshold, charts) -> Section:
    rows = []
    public = breakdown.get("public")
    is_rate = breakdown["kind"] == "rate"
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
            count_text(r["numerator"], r.get("numerator_flag", ""), threshold),
            count_text(r["denominator"], r.get("denominator_flag", ""), threshold),
            percent_text(r["value"]),
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
                else ("yes" if r.get("compared") else r.get("note") or "not compared"),
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
        f"breakdown-{breakdown['dimension']}".replace("_", "-"),
        breakdown["label"],
        columns,
        rows,
        figure=figure,
    )


def data_version(*, force: Force) -> tuple:
    """What the force's pages depend on, in one query: its snapshots and its targets.

    Any recompute or new target changes it, so cached pages keyed on it are never stale.
    Plain SQL because it runs on every flight deck request and the ORM's compilation of
    five subqueries costs more than the query itself.
    """
    from django.db import connection

    snapshots, targets = KpiSnapshot._meta.db_table, KpiTarget._meta.db_table
    with connection.cursor() as cursor:
        # One pass over the force's snapshots for all three (separate subqueries let the
        # planner walk the whole primary key backwards for MAX(id)).
        cursor.execute(
            f"SELECT COUNT(*), MAX(id), MAX(computed_at),"
            f" (SELECT COUNT(*) FROM {targets} WHERE force_id = %s),"
            f" (SELECT MAX(set_at) FROM {targets} WHERE force_id = %s)"
            f" FROM {snapshots} WHERE force_id = %s",
            [force.pk] * 3,
        )
        row = cursor.fetchone()
    return (*row, Period.latest_complete().slug)
