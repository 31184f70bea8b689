"""Synthetic evidence returns for the demo data set, in every workflow state."""

import datetime as dt

from django.utils import timezone

from soteria.models import Force
from soteria.periods import Period

from ...engine.models import Kpi
from ...engine.snapshots import queue_snapshots
from ..models import (
    EvidenceReturn,
)
from .due_dates import default_due_date, is_due
from .returns import (
    _stamp,
    approve_return,
    evidence_kpis,
    evidence_pillars,
    find_return,
    return_for_changes,
    save_return,
    start_return,
    submit_return,
)

Status = EvidenceReturn.Status

DEMO_NARRATIVE = (
    "SYNTHETIC DEMO DATA. {pillar} figures for {period}, checked against the unit's "
    "tracker by the pillar lead. Generated for the demonstration; not a real force's return."
)


def _demo_figures(kpi: Kpi, rng, period: Period) -> dict:
    if kpi.value_kind == Kpi.ValueKind.FRACTION:
        low = 18 if kpi.min_denominator else 20
        denominator = int(rng.integers(low, 90))
        share = {"down": 0.2, "up": 0.7}.get(kpi.polarity, 0.5) + rng.normal(0, 0.08)
        return {
            "denominator": denominator,
            "numerator": int(min(denominator, max(0, round(denominator * share)))),
        }
    if kpi.value_kind == Kpi.ValueKind.DATE:
        return {"date": period.end - dt.timedelta(days=int(rng.integers(20, 300)))}
    if kpi.value_kind == Kpi.ValueKind.YESNO:
        return {"yes_no": bool(rng.random() < 0.75)}
    if kpi.unit == Kpi.Unit.DAYS:
        return {"number": round(float(rng.uniform(2, 40)), 1)}
    return {"number": float(rng.integers(0, 40))}


def _keep_parts_within_wholes(figures: dict, kpis: list[Kpi], rng) -> None:
    """A count that is part of another (upheld reviews of requests) is drawn within it."""
    by_pk = {k.pk: k for k in kpis}
    for kpi in kpis:
        whole = by_pk.get(kpi.part_of_id)
        if whole is None or kpi.slug not in figures or whole.slug not in figures:
            continue
        total = int(figures[whole.slug]["number"])
        figures[kpi.slug] = {"number": float(rng.integers(0, total + 1))}


def _backdate(ret: EvidenceReturn, period: Period, rng) -> None:
    """Demo returns were submitted around their due date, not today (most on time)."""
    submitted = default_due_date(period) + dt.timedelta(days=int(rng.integers(-12, 4)))
    when = timezone.make_aware(dt.datetime.combine(submitted, dt.time(10, 30)))
    changes = {"first_submitted_at": when, "submitted_at": when}
    if ret.approved_at:
        changes["approved_at"] = when + dt.timedelta(days=int(rng.integers(2, 9)))
    EvidenceReturn.objects.filter(pk=ret.pk).update(**changes)


def load_demo_returns(*, forces: list[Force], seed: int) -> dict[str, int]:
    """SYNTHETIC evidence returns for the demo forces: three approved quarters, then a
    latest quarter with returns in every state (and two not started). Idempotent."""
    import numpy as np
    from django.contrib.auth import get_user_model

    User = get_user_model()
    rng = np.random.default_rng(seed)
    latest = Period.latest_complete()
    created = 0
    # Latest quarter, by pillar number: the state each return is left in (None: not started).
    latest_states = {1: "submitted", 2: None, 3: "draft", 4: "returned", 5: None, 6: "approved"}
    for force in forces:
        prefix = force.slug.split("-")[0][:5]
        lead = User.objects.filter(username=f"{prefix}-pillar-lead").first()
        reviewer = User.objects.filter(username=f"{prefix}-soteria-lead").first()
        if lead is None or reviewer is None:
            continue
        touched: set[Period] = set()
        for period in latest.trailing(4):
            for pillar in evidence_pillars():
                state = "approved" if period != latest else latest_states.get(pillar.number)
                if state is None or find_return(force=force, pillar=pillar, period=period):
                    continue
                ret = start_return(force=force, pillar=pillar, period=period, by=lead)
                figures = {
                    kpi.slug: _demo_figures(kpi, rng, period)
                    for kpi in evidence_kpis(pillar=pillar)
                    if is_due(kpi, period) or state == "draft"
                }
                _keep_parts_within_wholes(figures, evidence_kpis(pillar=pillar), rng)
                if state == "draft":  # half-finished
                    figures = dict(list(figures.items())[: max(1, len(figures) // 2)])
                narrative = DEMO_NARRATIVE.format(pillar=pillar, period=period.label)
                save_return(evidence_return=ret, values=figures, narrative=narrative, by=lead)
                created += 1
                if state == "draft":
                    continue
                if state == "approved" and period != latest:
                    # History, not news: approved without telling anyone (no notifications).
                    ret.status = Status.APPROVED
                    ret.submitted_by = lead
                    ret.reviewed_by = reviewer
                    ret.approved_at = timezone.now()
                    _stamp(ret, by=reviewer, reason="Approved (synthetic demo data)")
                    touched.add(period)
                    _backdate(ret, period, rng)
                    continue
                submit_return(evidence_return=ret, by=lead)
                if state == "returned":
                    return_for_changes(
                        evidence_return=ret,
                        by=reviewer,
                        comment="SYNTHETIC: please add how the sickness figure was checked.",
                    )
                elif state == "approved":
                    approve_return(
                        evidence_return=ret,
                        by=reviewer,
                        comment="SYNTHETIC: well evidenced; keep the HR extract with it.",
                    )
                _backdate(ret, period, rng)
        queue_snapshots(force=force, periods=sorted(touched))
    return {"evidence returns (synthetic)": created}
