"""The Soteria lead's grid: every pillar's return for each quarter, and who holds it."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from soteria import access
from soteria.models import Force, Membership, Pillar, Role
from soteria.periods import Period

from ..models import (
    EvidenceReturn,
)
from .due_dates import default_due_date
from .returns import days_overdue, evidence_pillars, lateness_days, person

Status = EvidenceReturn.Status


@dataclass
class GridCell:
    pillar: Pillar
    period: Period
    evidence_return: EvidenceReturn | None
    status: str  # a Status value, or "not_started" / "hidden"
    status_label: str
    due_date: dt.date
    days_late: int
    holder: str
    visible: bool = True
    days_overdue: int = 0

    @property
    def is_missing(self) -> bool:
        return self.status == "not_started"

    @property
    def is_overdue(self) -> bool:
        """Past its due date and with the pillar lead: not yet submitted, or sent back."""
        return bool(self.days_overdue)


@dataclass
class Grid:
    periods: list[Period]
    rows: list[tuple[Pillar, list[GridCell]]]
    counts: dict[str, int] = field(default_factory=dict)


def pillar_leads(force: Force) -> dict[int, list[str]]:
    """Names of the pillar leads of each pillar in the force, by pillar id."""
    leads: dict[int, list[str]] = defaultdict(list)
    memberships = Membership.objects.filter(force=force, role=Role.PILLAR_LEAD).select_related(
        "user"
    )
    for membership in memberships.prefetch_related("pillars"):
        if not membership.user.is_active:
            continue
        for pillar in membership.pillars.all():
            leads[pillar.pk].append(person(membership.user))
    return leads


def _holder(cell_status: str, evidence_return, leads: list[str]) -> str:
    lead_names = ", ".join(sorted(leads)) or "no pillar lead assigned"
    if cell_status in (Status.SUBMITTED, Status.RESUBMITTED):
        return "Soteria lead (for review)"
    if cell_status == Status.APPROVED:
        return "—"
    if evidence_return is not None and evidence_return.entered_by is not None:
        return person(evidence_return.entered_by)
    return lead_names


def return_grid(*, force: Force, periods: list[Period], viewer, today: dt.date) -> Grid:
    """Pillars × quarters: each return's status, lateness and who holds it."""
    sees_unapproved = access.can(viewer, "view_unapproved_evidence", force)
    returns = {
        (r.pillar_id, r.period): r
        for r in EvidenceReturn.objects.filter(
            force=force, period__in=[p.slug for p in periods]
        ).select_related("entered_by")
    }
    leads = pillar_leads(force) if sees_unapproved else {}
    counts = {"not_started": 0, "awaiting_review": 0, "overdue": 0, "approved": 0}
    rows = []
    for pillar in evidence_pillars():
        cells = []
        for period in periods:
            ret = returns.get((pillar.pk, period.slug))
            status = ret.status if ret else "not_started"
            label = ret.get_status_display() if ret else "Not started"
            if ret and ret.status == Status.DRAFT and ret.entered_by_id is None:
                status, label = "not_started", "Not started"  # only its due date was set
            due = ret.due_date if ret else default_due_date(period)
            submitted = ret.first_submitted_at if ret else None
            late = lateness_days(due_date=due, submitted_at=submitted, today=today)
            overdue = days_overdue(ret, due_date=due, today=today)
            visible = sees_unapproved or status == Status.APPROVED
            if not visible:
                status, label, late, overdue = "hidden", "Not yet approved", 0, 0
            cell = GridCell(
                pillar=pillar,
                period=period,
                evidence_return=ret if visible else None,
                status=status,
                status_label=label,
                due_date=due,
                days_late=late,
                days_overdue=overdue,
                holder=_holder(status, ret, leads.get(pillar.pk, [])) if visible else "",
                visible=visible,
            )
            cells.append(cell)
            if status == "not_started" and due < today:
                counts["not_started"] += 1
            if status in (Status.SUBMITTED, Status.RESUBMITTED):
                counts["awaiting_review"] += 1
            if status == Status.APPROVED:
                counts["approved"] += 1
            if cell.is_overdue:
                counts["overdue"] += 1
        rows.append((pillar, cells))
    return Grid(periods=periods, rows=rows, counts=counts)
