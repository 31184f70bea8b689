"""Reading snapshots for pages and exports: tiles, RAG status, formatted values, tables.

Nothing here computes a KPI from records: it reads KpiSnapshot rows (already
disclosure-controlled) and the force's targets, in a fixed number of queries.

Long because it is one reading, in order: periods, targets, the RAG judgement and the tile.
"""

from dataclasses import dataclass, field

from soteria.models import Force, FrameworkElement, Pillar
from soteria.periods import Period

from ..engine.formatting import format_change, format_value
from ..engine.models import Kpi, KpiSnapshot, OffenceGroup
from . import headlines, windows
from .comparisons import comparators, comparison_line, comparison_notes
from .models import KpiStepChange, KpiTarget
from .periods import PeriodRefused, default_period, resolve_period

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
    "windows",
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
    value: float  # in the units people read and set targets in (percent, not fraction)
    amber_margin: float
    source: str  # who set it and from when, or "catalogue default"
    offence_group: str = OffenceGroup.ALL


@dataclass(frozen=True)
class Judgement:
    """A RAG status with the words that explain it on the tile and the drill-down."""

    rag: str
    label: str
    reason: str = ""

    @property
    def text(self) -> str:
        return f"{self.label} — {self.reason}" if self.reason else self.label


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
    judgement: Judgement | None = None
    target_text: str = ""
    spc: object = None  # the SPC reading of the quarter (engine.spc.Verdict), when asked for
    comparators: list[dict] = field(default_factory=list)
    comparison_notes: str = ""

    @property
    def rag_label(self) -> str:
        return self.judgement.label if self.judgement else RAG_LABELS[self.rag]

    @property
    def rag_reason(self) -> str:
        return self.judgement.reason if self.judgement else ""

    @property
    def basis_text(self) -> str:
        """What the figure counts, over the window the tile reads (a disparity: the rolling
        year, not "the quarter")."""
        return windows.basis_text(self.kpi, self.snapshot)

    @property
    def direction_text(self) -> str:
        """How the figure is judged: a disparity against no gap (1), not a direction."""
        return windows.DISPARITY_DIRECTION if windows.is_disparity(self.kpi) else ""


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
    """The quarter asked for if it can be shown, else the default (see resolve_period)."""
    try:
        return resolve_period(requested, available)
    except PeriodRefused:
        return default_period(available)


def targets_by_kpi(*, force: Force) -> dict[int, list[KpiTarget]]:
    targets: dict[int, list[KpiTarget]] = {}
    for target in KpiTarget.objects.filter(force=force).select_related("set_by"):
        targets.setdefault(target.kpi_id, []).append(target)
    return targets


def target_for(
    kpi: Kpi, targets: list[KpiTarget], period: Period, offence: str = OffenceGroup.ALL
) -> Target | None:
    """The force's target for the offence group in force for the quarter, else the
    catalogue's default or threshold (which holds for every group). A target set for one
    group never stands in for another's: see KpiTarget."""
    current = [t for t in targets if t.effective_from <= period.slug and t.offence_group == offence]
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
            offence,
        )
    if kpi.default_target is not None:
        return Target(kpi.default_target, 0, "Catalogue default target", offence)
    if kpi.threshold is not None:
        return Target(kpi.threshold, 0, "Catalogue threshold", offence)
    return None


def target_group(snapshot: dict | None, offence: str) -> str:
    """The offence group whose target judges a tile: that of the figure shown, which for
    evidence returns and panels (reported once) is all RASSO whatever the view."""
    return snapshot["offence_group"] if snapshot else offence


def target_value_text(kpi: Kpi, value: float) -> str:
    """A target as people set it: 7 for a percentage KPI reads "7%"."""
    if kpi.unit == Kpi.Unit.PERCENT:
        return f"{value:g}%"
    return format_value(kpi, stored_target(kpi, value))


def target_text(
    kpi: Kpi, target: Target | None, targets: list[KpiTarget], period: Period, offence: str
) -> str:
    """What a tile says about its target, naming the offence group it was set for; where the
    group has none but All RASSO has, says that the All RASSO target is not applied."""
    label = OffenceGroup(offence).label
    if target is not None:
        return f"Target {target_value_text(kpi, target.value)} ({label})"
    if offence != OffenceGroup.ALL:
        every = target_for(kpi, targets, period, OffenceGroup.ALL)
        if every is not None:
            return (
                f"No target set for {label.lower()}; the All RASSO target "
                f"({target_value_text(kpi, every.value)}) is not applied to it"
            )
    return ""


def scaled(kpi: Kpi, value: float | None) -> float | None:
    """A stored value in the units people read and set targets in (percent, not fraction)."""
    if value is None:
        return None
    return value * 100 if kpi.unit == Kpi.Unit.PERCENT else value


def stored_target(kpi: Kpi, value: float) -> float:
    """A target (or margin) in the snapshot's own scale: the one place where a percentage
    target people enter (7 for 7%) meets the fractions the engine stores (0.07)."""
    return value / 100 if kpi.unit == Kpi.Unit.PERCENT else value


def judge(
    kpi: Kpi,
    snapshot: dict | None,
    target: Target | None,
    *,
    in_progress: bool = False,
    limits: tuple[float, float] | None = None,
) -> Judgement:
    """RAG against the target as Fingertips and NHS "Making Data Count" assurance judge it.

    Where the figure has a 95% interval, it is green or red only if the whole interval lies
    on one side of the target; otherwise amber, "cannot yet tell". A figure without an
    interval (counts, days, medians) but with SPC process limits (``limits``, the latest
    segment's, as the tile's SPC reading has them) is judged the same way against those
    limits, as Making Data Count's assurance icons are: green or red only where they lie
    wholly on one side of the target. Where this quarter's value is outside its limits (a
    special cause), the limits no longer describe it and it is judged by its value, as is
    a figure with neither interval nor limits: amber within the target's margin. A quarter
    in progress is not judged: its counts are partial. A charge rate gap (a disparity) is
    judged by its own reading, against no gap rather than a target. A missing-data share
    withheld by disclosure control is judged by the range its small count puts it in
    (headlines.Withheld.bounds); one the force's extract does not supply is not applicable.
    """
    if snapshot is None or snapshot["status"] == KpiSnapshot.Status.NO_DATA:
        return Judgement("none", RAG_LABELS["none"])
    if headlines.is_not_supplied(snapshot):
        return Judgement(
            "na", headlines.NOT_SUPPLIED_LABEL, headlines.not_supplied_reason(snapshot)
        )
    withheld = headlines.withheld(snapshot)
    if withheld is not None and withheld.bounds is None:
        return Judgement("grey", "Grey: withheld", withheld.reason)
    if headlines.headline_withheld(snapshot):  # the caption says why
        return Judgement("grey", "Grey: withheld")
    if withheld is None and (
        snapshot["status"] != KpiSnapshot.Status.OK or snapshot["value"] is None
    ):
        return Judgement("grey", RAG_LABELS["grey"])
    # A disparity is judged against no gap, not a target; a partial year is not judged.
    reading = windows.disparity_reading(snapshot) if windows.is_disparity(kpi) else None
    if reading and not in_progress:
        return Judgement(*reading)
    if kpi.polarity == Kpi.Polarity.NONE:
        return Judgement("", "No judgement", "this KPI has no direction of good")
    if target is None:
        return Judgement("", RAG_LABELS[""])
    if in_progress:
        return Judgement("", "Not judged", "the quarter is still in progress")
    goal = stored_target(kpi, target.value)
    up = kpi.polarity == Kpi.Polarity.UP
    if withheld is not None:
        return _judge_range(withheld, goal, up, target_value_text(kpi, target.value))
    low, high = snapshot.get("ci_low"), snapshot.get("ci_high")
    # A target at the end of the scale (100% to reach, 0% to keep to) can be met but never
    # shown met with confidence, since the interval always reaches past it: judged by value.
    at_scale_end = kpi.unit == Kpi.Unit.PERCENT and (goal >= 1 if up else goal <= 0)
    if low is not None and high is not None and not at_scale_end:
        interval = f"the 95% interval {format_value(kpi, low)}–{format_value(kpi, high)}"
        goal_text = f"the {target_value_text(kpi, target.value)} target"
        if low > goal or high < goal:
            better = (low > goal) == up
            side = "above" if low > goal else "below"
            rag = "green" if better else "red"
            return Judgement(rag, RAG_LABELS[rag], f"{interval} is wholly {side} {goal_text}")
        return Judgement("amber", "Amber: cannot yet tell", f"{interval} includes {goal_text}")
    value = snapshot["value"]
    outside = ""
    if limits is not None and None not in limits and not at_scale_end:
        span = f"the process limits {format_value(kpi, limits[0])}–{format_value(kpi, limits[1])}"
        goal_text = f"the {target_value_text(kpi, target.value)} target"
        if limits[0] <= value <= limits[1]:
            if limits[0] > goal or limits[1] < goal:
                better = (limits[0] > goal) == up
                side = "above" if limits[0] > goal else "below"
                rag = "green" if better else "red"
                return Judgement(rag, RAG_LABELS[rag], f"{span} are wholly {side} {goal_text}")
            return Judgement("amber", "Amber: cannot yet tell", f"{span} include {goal_text}")
        # A special cause: the limits no longer describe this quarter, its value does.
        outside = f"this quarter is outside {span}, so it is judged by its value"
    gap = goal - value if up else value - goal
    if gap <= 0:
        return Judgement("green", RAG_LABELS["green"], outside)
    if gap <= stored_target(kpi, target.amber_margin):
        return Judgement("amber", RAG_LABELS["amber"], outside)
    return Judgement("red", RAG_LABELS["red"], outside)


def _judge_range(withheld: headlines.Withheld, goal: float, up: bool, goal_text: str) -> Judgement:
    """A withheld share, judged by the range its small count puts it in: green or red only
    where the whole range lies on one side of the target."""
    low, high = withheld.bounds
    words = f"{withheld.counts}, so {withheld.text}"
    if low > goal or high < goal:
        better = (low > goal) == up
        rag = "green" if better else "red"
        side = "above" if low > goal else "below"
        return Judgement(rag, RAG_LABELS[rag], f"{words}: {side} the {goal_text} target")
    return Judgement(
        "amber", "Amber: cannot yet tell", f"{words}, a range that includes the {goal_text} target"
    )


def limits_of(verdict) -> tuple[float, float] | None:
    """The process limits of an SPC reading (engine.spc.Verdict), when its segment has them."""
    if verdict is None or verdict.lower is None or verdict.upper is None:
        return None
    return verdict.lower, verdict.upper


def display_text(kpi: Kpi, snapshot: dict | None) -> str:
    """A tile's headline: the value only where there is one to read; a grey tile shows none."""
    if snapshot is None or snapshot["status"] == KpiSnapshot.Status.NO_DATA:
        return "No data yet"
    if headlines.is_not_supplied(snapshot):
        return headlines.NOT_SUPPLIED
    withheld = headlines.withheld(snapshot)
    if withheld is not None:
        return withheld.text
    if headlines.headline_withheld(snapshot):
        return headlines.WITHHELD
    if snapshot["status"] != KpiSnapshot.Status.OK or snapshot["value"] is None:
        return "Insufficient data"
    return format_value(kpi, snapshot["value"], snapshot["provenance"])


def comparison_text(kpi: Kpi, snapshot: dict | None) -> str:
    """What the tile compares the force with: its Home Office figure beside the national one."""
    return comparison_line(kpi, (snapshot or {}).get("comparison"))


IN_PROGRESS_CHANGE = "Quarter in progress: not compared with the previous quarter"


def readable(snapshot: dict | None) -> dict | None:
    """The snapshot if it has a value a reader may see (not grey, not "no data")."""
    if snapshot and snapshot["status"] == KpiSnapshot.Status.OK and snapshot["value"] is not None:
        return snapshot
    return None


def change_text(kpi: Kpi, current: dict | None, previous: dict | None) -> str:
    if not current or not previous:
        return ""
    return format_change(
        kpi,
        current["value"],
        previous["value"],
        current_provenance=current.get("provenance"),
        previous_provenance=previous.get("provenance"),
    )


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


def flight_deck(*, force: Force, period: Period, offence: str, verdicts_for=None) -> dict:
    """Every KPI as a tile for one quarter and offence group, with its 8-quarter trend.

    ``verdicts_for(kpis)`` (control.verdicts_for) gives each KPI's SPC reading, whose process
    limits judge the RAG of a figure that has no interval (see ``judge``)."""
    periods = period.trailing(TREND_QUARTERS)
    kpis = list(Kpi.objects.select_related("element", "pillar").order_by("order"))
    verdicts = verdicts_for(kpis) if verdicts_for else {}
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
        trend = windows.tile_trend(kpi, trend, periods)
        snapshot = trend[-1]
        group = target_group(snapshot, offence)
        kpi_targets = targets.get(kpi.pk, [])
        target = target_for(kpi, kpi_targets, period, group)
        verdict = None if windows.is_disparity(kpi) else verdicts.get(kpi.pk)
        judgement = judge(
            kpi, snapshot, target, in_progress=period.in_progress, limits=limits_of(verdict)
        )
        tiles.append(
            Tile(
                kpi=kpi,
                snapshot=snapshot,
                trend=trend,
                target=target,
                rag=judgement.rag,
                display=display_text(kpi, snapshot),
                comparison=comparison_text(kpi, snapshot),
                change=(IN_PROGRESS_CHANGE if readable(snapshot) else "")
                if period.in_progress
                else change_text(kpi, readable(snapshot), readable(trend[-2])),
                periods=periods,
                judgement=judgement,
                target_text=target_text(kpi, target, kpi_targets, period, group),
                spc=verdict,
                comparators=comparators(kpi, (snapshot or {}).get("comparison")),
                comparison_notes=comparison_notes((snapshot or {}).get("comparison")),
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
