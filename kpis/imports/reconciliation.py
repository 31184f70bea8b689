"""Reconciliation: the quarters where a force's own records and its Home Office published
figure disagree about charges by more than the tolerance.

Read from the charge-rate snapshots (pages never compute from records): each stores the
force's own-records charges and outcomes (numerator, denominator) and, in its comparison,
the Home Office table's charges and outcomes for the force (closed basis), both counting
outcomes given in the quarter. A quarter is listed when the charge rates differ by more
than ``settings.RECONCILIATION_TOLERANCE_POINTS`` percentage points, or the charge counts by
more than ``settings.RECONCILIATION_TOLERANCE_PERCENT`` per cent of the published count.
A difference is a data-quality reading (records updated since the return, outcomes
recorded differently), not performance.
"""

from dataclasses import dataclass, field

from django.conf import settings

from soteria.models import Force
from soteria.periods import Period

from ..engine.formatting import format_percent
from ..engine.models import KpiSnapshot, OffenceGroup

ORDER = {OffenceGroup.RAPE: 0, OffenceGroup.OTHER: 1, OffenceGroup.ALL: 2}


@dataclass
class Difference:
    period: Period
    offence: str
    own_charges: int
    own_outcomes: int
    published_charges: int
    published_outcomes: int
    reasons: list[str] = field(default_factory=list)

    @property
    def own_rate(self) -> float:
        return self.own_charges / self.own_outcomes

    @property
    def published_rate(self) -> float:
        return self.published_charges / self.published_outcomes

    @property
    def points(self) -> float:
        return (self.own_rate - self.published_rate) * 100

    @property
    def charge_difference(self) -> int:
        return self.own_charges - self.published_charges

    @property
    def offence_label(self) -> str:
        return OffenceGroup(self.offence).label

    @property
    def own_rate_text(self) -> str:
        return format_percent(self.own_rate)

    @property
    def published_rate_text(self) -> str:
        return format_percent(self.published_rate)


@dataclass
class Reconciliation:
    differences: list[Difference]
    compared: int  # force-quarter-offence readings with both figures
    not_compared: int  # with only one (no published figure, or a withheld own count)
    points_tolerance: float
    percent_tolerance: float
    has_records: bool


def exceeds(difference: Difference, *, points: float, percent: float) -> list[str]:
    """Which tolerances a reading breaks, in words (empty: within both)."""
    reasons = []
    if abs(difference.points) > points:
        reasons.append(f"charge rates differ by {abs(difference.points):.1f} points")
    published = difference.published_charges
    gap = abs(difference.charge_difference)
    if (published and gap / abs(published) * 100 > percent) or (not published and gap):
        share = f" ({gap / abs(published) * 100:.0f}% of published)" if published else ""
        reasons.append(f"charge counts differ by {gap:,}{share}")
    return reasons


def reconcile(*, force: Force) -> Reconciliation:
    points = float(settings.RECONCILIATION_TOLERANCE_POINTS)
    percent = float(settings.RECONCILIATION_TOLERANCE_PERCENT)
    rows = KpiSnapshot.objects.filter(
        force=force, kpi__slug="charge-rate", provenance__source="records"
    ).values("period", "offence_group", "numerator", "denominator", "comparison")
    differences, compared, not_compared, seen = [], 0, 0, False
    for row in rows:
        seen = True
        published = row["comparison"] or {}
        if (
            row["numerator"] is None
            or not row["denominator"]
            or published.get("force_numerator") is None
            or not published.get("force_denominator")
        ):
            not_compared += 1
            continue
        compared += 1
        difference = Difference(
            period=Period.parse(row["period"]),
            offence=row["offence_group"],
            own_charges=int(row["numerator"]),
            own_outcomes=int(row["denominator"]),
            published_charges=int(published["force_numerator"]),
            published_outcomes=int(published["force_denominator"]),
        )
        difference.reasons = exceeds(difference, points=points, percent=percent)
        if difference.reasons:
            differences.append(difference)
    differences.sort(key=lambda d: (-d.period.year, -d.period.quarter, ORDER[d.offence]))
    return Reconciliation(differences, compared, not_compared, points, percent, seen)
