"""Setting a force's target for a KPI, recording who set it and from which quarter."""

from soteria.models import Force
from soteria.periods import Period, period_range

from ..engine.models import Kpi, KpiSnapshot, OffenceGroup
from .models import KpiTarget

QUARTERS_AHEAD = 4
QUARTERS_BACK = 20


def target_quarters(*, force: Force) -> list[Period]:
    """The quarters a target may start from, newest first: from the force's first quarter
    with figures (or five years back) to a year ahead, so a target can be planned."""
    current = Period.current()
    first = (
        KpiSnapshot.objects.filter(force=force).order_by("period").values_list("period", flat=True)
    ).first()
    earliest = current.shift(-QUARTERS_BACK)
    if first is not None:
        earliest = min(earliest, Period.parse(first))
    return period_range(earliest, current.shift(QUARTERS_AHEAD))[::-1]


def set_target(
    *,
    force: Force,
    kpi: Kpi,
    offence_group: str = OffenceGroup.ALL,
    value: float,
    effective_from: Period,
    by,
    amber_margin: float = 0,
    note: str = "",
) -> KpiTarget:
    """Set (or replace) the force's target for a KPI and offence group from a quarter on."""
    target, _ = KpiTarget.objects.update_or_create(
        force=force,
        kpi=kpi,
        offence_group=offence_group,
        effective_from=effective_from.slug,
        defaults={"value": value, "amber_margin": amber_margin, "note": note, "set_by": by},
    )
    target.full_clean()
    return target
