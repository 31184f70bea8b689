"""Approved evidence into the flight deck: a KPI source for the snapshot engine (settings.KPI_SOURCES)."""

from django.utils import timezone

from soteria.models import Force
from soteria.periods import Period

from ...engine.models import Kpi, KpiSnapshot
from ...engine.snapshots import KpiResult
from ...engine.stats import wilson_interval
from ..models import (
    EvidenceReturn,
    EvidenceValue,
)
from .due_dates import CURRENT_FOR_QUARTERS
from .returns import person, return_url

Status = EvidenceReturn.Status


def evidence_results(*, force: Force, period: Period) -> list[KpiResult]:
    """KPI source: approved evidence figures for the force-quarter.

    A six-monthly figure stays current for two quarters and a yearly one for four,
    so the latest approved one within that window is used.
    """
    window = period.trailing(max(CURRENT_FOR_QUARTERS.values()))
    values = (
        EvidenceValue.objects.filter(
            evidence_return__force=force,
            evidence_return__status=Status.APPROVED,
            evidence_return__period__in=[p.slug for p in window],
            kpi__source=Kpi.Source.EVIDENCE,
        )
        .select_related(
            "kpi",
            "evidence_return__force",
            "evidence_return__pillar",
            "evidence_return__entered_by",
            "evidence_return__reviewed_by",
        )
        .order_by("-evidence_return__period")
    )
    chosen: dict[str, EvidenceValue] = {}
    for value in values:
        reported = Period.parse(value.evidence_return.period)
        age = window.index(period) - window.index(reported)
        if value.is_empty or age >= CURRENT_FOR_QUARTERS[value.kpi.frequency]:
            continue
        chosen.setdefault(value.kpi.slug, value)
    return [_result(value, period) for value in chosen.values()]


def _result(value: EvidenceValue, period: Period) -> KpiResult:
    kpi, ret = value.kpi, value.evidence_return
    approved = timezone.localtime(ret.approved_at)
    summary = (
        f"Entered by {person(ret.entered_by)}, approved by {person(ret.reviewed_by)} "
        f"on {approved.day} {approved:%b %Y}"
    )
    if ret.period != period.slug:
        summary += f" (reported in the {Period.parse(ret.period).label} return)"
    narrative = ret.narrative
    if value.comment:
        narrative = f"{value.comment}\n\n{narrative}" if narrative else value.comment
    result = KpiResult(
        kpi=kpi.slug,
        provenance={
            "summary": summary,
            "narrative": narrative,
            "url": return_url(ret),
            "source": "evidence",
            "reported_period": ret.period,
            "approved_at": ret.approved_at.isoformat() if ret.approved_at else None,
        },
    )
    kind = kpi.value_kind
    if kind == Kpi.ValueKind.FRACTION:
        result.numerator, result.denominator = value.numerator, value.denominator
        if value.denominator:
            # A rate is a fraction from the engine to the template, as the records source
            # stores it; only the formatter turns it into a percentage.
            result.value = value.numerator / value.denominator
            result.ci_low, result.ci_high = wilson_interval(value.numerator, value.denominator)
        else:
            result.status = KpiSnapshot.Status.NO_DATA
        if kpi.min_denominator and (value.denominator or 0) < kpi.min_denominator:
            result.status = KpiSnapshot.Status.INSUFFICIENT
    elif kind == Kpi.ValueKind.DATE:
        # The figure is the age in days at the quarter's end; the date itself is in provenance.
        result.value = float((period.end - value.date).days)
        result.provenance["date"] = value.date.isoformat()
    elif kind == Kpi.ValueKind.YESNO:
        result.value = 1.0 if value.yes_no else 0.0
    elif kpi.unit == Kpi.Unit.PERCENT and value.number is not None:
        result.value = value.number / 100  # entered as a percentage, stored as a fraction
    else:
        result.value = value.number
    return result
