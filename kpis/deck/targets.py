"""Setting a force's target for a KPI, recording who set it and from which quarter."""

from soteria.models import Force
from soteria.periods import Period

from ..engine.models import Kpi
from .models import KpiTarget


def set_target(
    *,
    force: Force,
    kpi: Kpi,
    value: float,
    effective_from: Period,
    by,
    amber_margin: float = 0,
    note: str = "",
) -> KpiTarget:
    """Set (or replace) the force's target for a KPI from a quarter onwards."""
    target, _ = KpiTarget.objects.update_or_create(
        force=force,
        kpi=kpi,
        effective_from=effective_from.slug,
        defaults={"value": value, "amber_margin": amber_margin, "note": note, "set_by": by},
    )
    target.full_clean()
    return target
