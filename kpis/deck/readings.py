"""Reading snapshots for pages and exports: tiles, RAG status, formatted values, tables.

Nothing here computes a KPI from records: it reads KpiSnapshot rows (already
disclosure-controlled) and the force's targets, in a fixed number of queries.
"""

from dataclasses import dataclass, field

from soteria.models import Force, FrameworkElement, Pillar
from soteria.periods import Period

from ..engine.formatting import format_value
from ..engine.models import Kpi, KpiSnapshot, OffenceGroup
from .models import KpiStepChange, KpiTarget

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


def data_version(*, force: Force) -> tuple:
    """What the force's pages depend on, in one query: its snapshots, targets and step changes.

    Any recompute, new target or step change marked or removed changes it (a step change's
    audit history gains a row each time), so cached pages keyed on it are never stale.
    Plain SQL because it runs on every flight deck request and the ORM's compilation of
    five subqueries costs more than the query itself.
    """
    from django.db import connection

    snapshots, targets = KpiSnapshot._meta.db_table, KpiTarget._meta.db_table
    steps = KpiStepChange.history.model._meta.db_table
    with connection.cursor() as cursor:
        # One pass over the force's snapshots for all three (separate subqueries let the
        # planner walk the whole primary key backwards for MAX(id)).
        cursor.execute(
            f"SELECT COUNT(*), MAX(id), MAX(computed_at),"
            f" (SELECT COUNT(*) FROM {targets} WHERE force_id = %s),"
            f" (SELECT MAX(set_at) FROM {targets} WHERE force_id = %s),"
            f" (SELECT MAX(history_id) FROM {steps} WHERE force_id = %s)"
            f" FROM {snapshots} WHERE force_id = %s",
            [force.pk] * 4,
        )
        row = cursor.fetchone()
    return (*row, Period.latest_complete().slug)
