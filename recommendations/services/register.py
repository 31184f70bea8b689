"""The PCC's register: every recommendation for a force, its flags, due lists and exports."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from soteria.exports import AsAt, Stamp, Table
from soteria.models import Force, Pillar

from ..models import (
    CLOSED_STATUSES,
    Action,
    ActionStatus,
    Addressee,
    Inspection,
    ProgressUpdate,
    Recommendation,
    Response,
    Status,
)
from .common import display_name
from .inspections import recommendations_for

STALE_AFTER_DAYS = 90
EVIDENCE_MAX_AGE_DAYS = 365
DUE_SOON_DAYS = 30
REMINDER_DAYS = 7


@dataclass
class Flag:
    code: str
    label: str


@dataclass
class RegisterRow:
    recommendation: Recommendation
    response: Response | None
    status: str
    status_label: str
    pillars: list[Pillar]
    owner: object
    target_date: dt.date | None
    last_update: dt.date | None
    latest_evidence: dt.date | None
    evidence_count: int
    flags: list[Flag] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def flag_codes(self) -> set[str]:
        return {f.code for f in self.flags}


FLAG_LABELS = {
    "no-evidence": "Complete without evidence",
    "overdue": "Past deadline",
    "stale": f"No update for {STALE_AFTER_DAYS} days",
    "old-evidence": "Evidence older than 12 months",
}


def row_flags(
    *,
    status: str,
    deadline: dt.date | None,
    last_activity: dt.date,
    latest_evidence: dt.date | None,
    evidence_count: int,
    today: dt.date,
) -> list[Flag]:
    """What the PCC office must look at: closed without evidence, late, quiet, stale evidence."""
    flags = []
    is_open = status not in CLOSED_STATUSES
    if status == Status.COMPLETE and not evidence_count:
        flags.append(Flag("no-evidence", FLAG_LABELS["no-evidence"]))
    if is_open and deadline and deadline < today:
        flags.append(Flag("overdue", FLAG_LABELS["overdue"]))
    if is_open and (today - last_activity).days > STALE_AFTER_DAYS:
        flags.append(Flag("stale", FLAG_LABELS["stale"]))
    if latest_evidence and (today - latest_evidence).days > EVIDENCE_MAX_AGE_DAYS:
        flags.append(Flag("old-evidence", FLAG_LABELS["old-evidence"]))
    return flags


def annotated_responses(*, force: Force) -> QuerySet[Response]:
    return (
        Response.objects.filter(force=force)
        .select_related("owner", "recommendation__inspection", "signed_off_by")
        .prefetch_related("pillars")
        .annotate(
            last_update=Max("updates__date"),
            latest_evidence=Max("updates__date", filter=Q(updates__evidence__isnull=False)),
            evidence_count=Count("updates__evidence", distinct=True),
        )
    )


def register_rows(
    *,
    force: Force,
    today: dt.date,
    inspection: Inspection | None = None,
    pillar: Pillar | None = None,
    owner=None,
    status: str = "",
    for_forces: bool = True,
) -> list[RegisterRow]:
    """Every recommendation addressed to forces, with the force's response and its flags
    (with ``for_forces=False``: those addressed to PCCs or national bodies, with the PCC
    office's response)."""
    recs = recommendations_for(force=force)
    if for_forces:
        recs = recs.filter(addressee=Addressee.FORCES)
    else:
        recs = recs.exclude(addressee=Addressee.FORCES)
    if inspection is not None:
        recs = recs.filter(inspection=inspection)
    responses = {r.recommendation_id: r for r in annotated_responses(force=force)}
    rows = []
    for rec in recs.order_by("-inspection__published", "inspection_id", "order"):
        response = responses.get(rec.pk)
        row_status = response.status if response else Status.NOT_STARTED
        pillars = list(response.pillars.all()) if response else []
        if status and row_status != status:
            continue
        if pillar is not None and pillar not in pillars:
            continue
        if owner is not None and (response is None or response.owner_id != owner.pk):
            continue
        last_update = response.last_update if response else None
        if last_update:
            last_activity = last_update
        elif response:
            last_activity = timezone.localdate(response.created_at)
        else:
            last_activity = rec.inspection.published
        latest_evidence = response.latest_evidence if response else None
        evidence_count = response.evidence_count if response else 0
        rows.append(
            RegisterRow(
                recommendation=rec,
                response=response,
                status=row_status,
                status_label=Status(row_status).label,
                pillars=pillars,
                owner=response.owner if response else None,
                target_date=(response.planned_closedown if response else None) or rec.deadline,
                last_update=last_update,
                latest_evidence=latest_evidence,
                evidence_count=evidence_count,
                flags=row_flags(
                    status=row_status,
                    deadline=rec.deadline,
                    last_activity=last_activity,
                    latest_evidence=latest_evidence,
                    evidence_count=evidence_count,
                    today=today,
                ),
            )
        )
    return rows


def status_counts(rows: list[RegisterRow]) -> list[tuple[str, str, int]]:
    counts = {s: 0 for s in Status.values}
    for row in rows:
        counts[row.status] += 1
    return [(s, Status(s).label, counts[s]) for s in Status.values]


def due_lists(*, rows: list[RegisterRow], force: Force, today: dt.date) -> dict[str, list]:
    """Overdue and due-soon recommendations (by planned closedown or deadline) and actions."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    open_rows = [r for r in rows if r.is_open and r.target_date]
    actions = list(
        Action.objects.filter(
            response__force=force,
            status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS],
            due_date__lte=soon,
        )
        .select_related("owner", "response__recommendation__inspection")
        .order_by("due_date")
    )
    return {
        "overdue": sorted((r for r in open_rows if r.target_date < today), key=_target),
        "due_soon": sorted((r for r in open_rows if today <= r.target_date <= soon), key=_target),
        "overdue_actions": [a for a in actions if a.due_date < today],
        "due_soon_actions": [a for a in actions if a.due_date >= today],
    }


def _target(row: RegisterRow):
    return row.target_date


# Exports ----------------------------------------------------------------------------------

EXPORT_HEADER = [
    "Inspection",
    "Published",
    "Recommendation",
    "Text",
    "Deadline",
    "Owner",
    "Pillars",
    "Status",
    "RAG",
    "Planned closedown",
    "Last update",
    "Evidence files",
    "Latest evidence",
    "Flags",
]


def export_rows(rows: list[RegisterRow]) -> list[list]:
    """The register as plain values: dates as dates, counts as numbers."""
    out = []
    for row in rows:
        rec, response = row.recommendation, row.response
        out.append(
            [
                rec.inspection.title,
                rec.inspection.published,
                rec.number,
                rec.text,
                rec.deadline,
                display_name(row.owner),
                "; ".join(f"Pillar {p.number}" for p in row.pillars),
                row.status_label,
                response.get_rag_display() if response else "",
                response.planned_closedown if response else None,
                row.last_update,
                row.evidence_count,
                row.latest_evidence,
                "; ".join(f.label for f in row.flags),
            ]
        )
    return out


EXPORT_WIDTHS = (40, 12, 8, 60, 12, 20, 20, 16, 8, 14, 12, 8, 14, 30)
EXPORT_DATES = ("Published", "Deadline", "Planned closedown", "Last update", "Latest evidence")


def register_table(rows: list[RegisterRow]) -> Table:
    """The register as one tidy table (cells neutralised as it is written: soteria.exports)."""
    return Table(
        "Recommendations",
        EXPORT_HEADER,
        export_rows(rows),
        kinds={column: "date" for column in EXPORT_DATES} | {"Evidence files": "integer"},
        widths=dict(zip(EXPORT_HEADER, EXPORT_WIDTHS, strict=True)),
    )


def register_about(*, force: Force, filters: dict) -> list[tuple[str, object]]:
    shown = {
        **filters,
        "owner": display_name(filters.get("owner")) if filters.get("owner") else None,
    }
    chosen = [f"{name}: {value}" for name, value in shown.items() if value]
    return [
        ("Force", force.name),
        ("Contents", "Every HMICFRS recommendation addressed to forces, with the force's response"),
        ("Filters", "; ".join(chosen) or "None: the whole register"),
        ("Dates", "Published, deadline, planned closedown, last update and latest evidence"),
    ]


def register_as_at(*, force: Force) -> AsAt:
    """The latest change to the register: a recommendation, response, action or update."""
    responses = Response.objects.filter(force=force).values("pk")
    latest = [
        Recommendation.history.filter(
            id__in=recommendations_for(force=force).values("pk")
        ).aggregate(at=Max("history_date"))["at"],
        Response.history.filter(force=force).aggregate(at=Max("history_date"))["at"],
        Action.history.filter(response_id__in=responses).aggregate(at=Max("history_date"))["at"],
        ProgressUpdate.history.filter(response_id__in=responses).aggregate(at=Max("history_date"))[
            "at"
        ],
    ]
    changed = max((moment for moment in latest if moment), default=None)
    return AsAt(
        (Stamp("register_changed", "Latest change to the register", "register changed", changed),)
    )
