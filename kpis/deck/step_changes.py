"""Marking a step change in the process behind a KPI, from which its SPC limits restart."""

from soteria.models import Force
from soteria.periods import Period

from ..engine.models import Kpi
from .models import KpiStepChange


def mark_step_change(
    *, force: Force, kpi: Kpi, offence_group: str, period: Period, reason: str, by
) -> KpiStepChange:
    """Record that the KPI's process changed from a quarter on, and who said so."""
    step = KpiStepChange(
        force=force,
        kpi=kpi,
        offence_group=offence_group,
        period=period.slug,
        reason=reason.strip(),
        marked_by=by,
    )
    step.full_clean()
    step.save()
    return step


def remove_step_change(*, step_change: KpiStepChange, by) -> None:
    """Take a step change back; the audit history keeps it and who removed it."""
    step_change._history_user = by
    step_change.delete()
