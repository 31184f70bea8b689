"""Evidence returns: due dates, the workflow, the Soteria lead's grid, reminders and the
evidence KPI source that feeds approved figures into snapshots.

Workflow: draft → submitted → returned (with a reviewer's comment) → resubmitted →
approved. Only drafts and returned returns can be changed; an approved return is
locked until the Soteria lead reopens it, which is recorded in its history.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import holidays
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from soteria import access
from soteria.history import HistoryRow, history_rows
from soteria.models import Force, Membership, Pillar, Role
from soteria.notify import send_notice
from soteria.periods import Period

from ..models import (
    EvidenceAttachment,
    EvidenceReminder,
    EvidenceReturn,
    EvidenceValue,
    Kpi,
    KpiSnapshot,
)
from ..stats import wilson_interval
from .snapshots import KpiResult

WORKING_DAYS_TO_RETURN = 20
REMINDER_DAYS_BEFORE = 5
OVERDUE_REMINDER_EVERY_DAYS = 7
# Quarters in which a less-than-quarterly figure is due (the financial year ends in Q4).
DUE_QUARTERS = {
    Kpi.Frequency.QUARTERLY: (1, 2, 3, 4),
    Kpi.Frequency.SIX_MONTHLY: (2, 4),
    Kpi.Frequency.YEARLY: (4,),
}
# How many quarters an approved figure stays current on the flight deck.
CURRENT_FOR_QUARTERS = {
    Kpi.Frequency.QUARTERLY: 1,
    Kpi.Frequency.SIX_MONTHLY: 2,
    Kpi.Frequency.YEARLY: 4,
}
Status = EvidenceReturn.Status


# Due dates ---------------------------------------------------------------------------


@cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    # England and Wales share one list of bank holidays (subdivision "ENG" = "WLS").
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (weekends and bank holidays skipped)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def default_due_date(period: Period) -> dt.date:
    return add_working_days(period.end, WORKING_DAYS_TO_RETURN)


def is_due(kpi: Kpi, period: Period) -> bool:
    """Must this KPI be reported in this quarter's return?"""
    return period.quarter in DUE_QUARTERS.get(kpi.frequency, (1, 2, 3, 4))


def frequency_note(kpi: Kpi) -> str:
    if kpi.frequency == Kpi.Frequency.YEARLY:
        return "Yearly: due in the Q4 return"
    if kpi.frequency == Kpi.Frequency.SIX_MONTHLY:
        return "Six-monthly: due in the Q2 and Q4 returns"
    return "Quarterly"


# Catalogue ---------------------------------------------------------------------------


def evidence_kpis(*, pillar: Pillar | None = None) -> list[Kpi]:
    qs = Kpi.objects.filter(source=Kpi.Source.EVIDENCE).order_by("order")
    if pillar is not None:
        qs = qs.filter(pillar=pillar)
    return list(qs)


def evidence_pillars() -> list[Pillar]:
    return list(Pillar.objects.filter(kpis__source=Kpi.Source.EVIDENCE).distinct())


# Reading -----------------------------------------------------------------------------


def find_return(*, force: Force, pillar: Pillar, period: Period) -> EvidenceReturn | None:
    return (
        EvidenceReturn.objects.select_related("entered_by", "submitted_by", "reviewed_by")
        .filter(force=force, pillar=pillar, period=period.slug)
        .first()
    )


def values_by_slug(evidence_return: EvidenceReturn | None) -> dict[str, EvidenceValue]:
    if evidence_return is None or evidence_return.pk is None:
        return {}
    return {v.kpi.slug: v for v in evidence_return.values.select_related("kpi")}


def previous_values(
    *, force: Force, pillar: Pillar, period: Period
) -> tuple[EvidenceReturn | None, dict[str, EvidenceValue]]:
    """Last quarter's return for the same pillar and its values, to show beside each field."""
    previous = find_return(force=force, pillar=pillar, period=period.previous())
    return previous, values_by_slug(previous)


def return_url(evidence_return: EvidenceReturn) -> str:
    return reverse(
        "kpis:evidence-return",
        kwargs={
            "force_slug": evidence_return.force.slug,
            "period": evidence_return.period,
            "pillar": evidence_return.pillar.number,
        },
    )


def person(user) -> str:
    if user is None:
        return "someone no longer registered"
    return user.get_full_name() or user.username


def lateness_days(*, due_date: dt.date, submitted_at: dt.datetime | None, today: dt.date) -> int:
    """Days late: first submission after the due date, or not yet submitted and past it."""
    if submitted_at is not None:
        return max(0, (timezone.localdate(submitted_at) - due_date).days)
    return max(0, (today - due_date).days)


# Writing -----------------------------------------------------------------------------


def _stamp(evidence_return: EvidenceReturn, *, by, reason: str | None = None) -> None:
    evidence_return._history_user = by
    evidence_return._change_reason = reason or ""
    evidence_return.full_clean()
    evidence_return.save()


def start_return(*, force: Force, pillar: Pillar, period: Period, by) -> EvidenceReturn:
    """The force's return for this pillar and quarter, created as a draft if it is new."""
    existing = find_return(force=force, pillar=pillar, period=period)
    if existing is not None:
        return existing
    evidence_return = EvidenceReturn(
        force=force, pillar=pillar, period=period.slug, due_date=default_due_date(period)
    )
    evidence_return.entered_by = by
    try:
        with transaction.atomic():
            _stamp(evidence_return, by=by, reason="Started")
    except IntegrityError:  # someone else started it a moment ago
        return find_return(force=force, pillar=pillar, period=period)
    return evidence_return


def set_due_date(*, force: Force, pillar: Pillar, period: Period, due_date: dt.date, by):
    """The Soteria lead moves a return's due date (starting the return if need be)."""
    if due_date <= period.end:
        raise ValidationError(f"The due date must be after the end of {period.label}.")
    evidence_return = find_return(force=force, pillar=pillar, period=period)
    if evidence_return is None:
        evidence_return = EvidenceReturn(force=force, pillar=pillar, period=period.slug)
    elif evidence_return.is_approved:
        raise ValidationError("An approved return's due date cannot be changed.")
    evidence_return.due_date = due_date
    _stamp(evidence_return, by=by, reason=f"Due date set to {due_date.day} {due_date:%b %Y}")
    return evidence_return


VALUE_FIELDS = ("number", "numerator", "denominator", "date", "yes_no", "comment")


def save_return(
    *, evidence_return: EvidenceReturn, values: dict[str, dict], narrative: str, by
) -> EvidenceReturn:
    """Save figures and narrative (as a draft or before submitting). Locked unless editable."""
    if not evidence_return.is_editable:
        raise ValidationError(
            f"This return is {evidence_return.get_status_display().lower()} and cannot be "
            "changed. An approved return must be reopened by the Soteria lead first."
        )
    kpis = {k.slug: k for k in evidence_kpis(pillar=evidence_return.pillar)}
    existing = values_by_slug(evidence_return)
    with transaction.atomic():
        for slug, data in values.items():
            if slug not in kpis:
                raise ValidationError(f"{slug} is not an evidence KPI of this pillar.")
            wanted = {n: data.get(n, "" if n == "comment" else None) for n in VALUE_FIELDS}
            value = existing.get(slug)
            if value is None:
                if all(v in (None, "") for v in wanted.values()):
                    continue
                value = EvidenceValue(evidence_return=evidence_return, kpi=kpis[slug])
            elif all(getattr(value, n) == v for n, v in wanted.items()):
                continue
            for name, new in wanted.items():
                setattr(value, name, new)
            value._history_user = by
            value.full_clean()
            value.save()
        if evidence_return.narrative != narrative or evidence_return.entered_by_id != by.pk:
            evidence_return.narrative = narrative
            evidence_return.entered_by = by
            _stamp(evidence_return, by=by)
    return evidence_return


def missing_for_submission(evidence_return: EvidenceReturn) -> list[str]:
    """What must be filled in before the return can be submitted, as KPI names."""
    period = Period.parse(evidence_return.period)
    values = values_by_slug(evidence_return)
    missing = [
        kpi.name
        for kpi in evidence_kpis(pillar=evidence_return.pillar)
        if is_due(kpi, period) and (kpi.slug not in values or values[kpi.slug].is_empty)
    ]
    if not evidence_return.narrative.strip():
        missing.append("the assurance narrative")
    return missing


def submit_return(*, evidence_return: EvidenceReturn, by) -> EvidenceReturn:
    if not evidence_return.is_editable:
        raise ValidationError("Only a draft or a returned return can be submitted.")
    missing = missing_for_submission(evidence_return)
    if missing:
        raise ValidationError("Before submitting, fill in: " + "; ".join(missing) + ".")
    resubmitting = evidence_return.status == Status.RETURNED
    now = timezone.now()
    evidence_return.status = Status.RESUBMITTED if resubmitting else Status.SUBMITTED
    evidence_return.submitted_by = by
    evidence_return.submitted_at = now
    evidence_return.first_submitted_at = evidence_return.first_submitted_at or now
    _stamp(evidence_return, by=by, reason="Resubmitted" if resubmitting else "Submitted")
    return evidence_return


def return_for_changes(*, evidence_return: EvidenceReturn, by, comment: str) -> EvidenceReturn:
    if not evidence_return.is_awaiting_review:
        raise ValidationError("Only a submitted return can be returned for changes.")
    if not comment.strip():
        raise ValidationError({"comment": "Say what needs changing."})
    evidence_return.status = Status.RETURNED
    evidence_return.reviewer_comment = comment.strip()
    evidence_return.reviewed_by = by
    _stamp(evidence_return, by=by, reason=f"Returned for changes: {comment.strip()}")
    return evidence_return


def approve_return(*, evidence_return: EvidenceReturn, by) -> EvidenceReturn:
    """Approve and lock the return, then recompute the force-quarter's snapshots."""
    from ..tasks import queue_snapshots

    if not evidence_return.is_awaiting_review:
        raise ValidationError("Only a submitted return can be approved.")
    evidence_return.status = Status.APPROVED
    evidence_return.reviewed_by = by
    evidence_return.approved_at = timezone.now()
    _stamp(evidence_return, by=by, reason="Approved")
    queue_snapshots(force=evidence_return.force, periods=_affected_periods(evidence_return))
    return evidence_return


def reopen_return(*, evidence_return: EvidenceReturn, by, reason: str) -> EvidenceReturn:
    """Unlock an approved return for changes; its figures leave the flight deck until re-approved."""
    from ..tasks import queue_snapshots

    if not evidence_return.is_approved:
        raise ValidationError("Only an approved return can be reopened.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the return is being reopened."})
    evidence_return.status = Status.RETURNED
    evidence_return.reviewer_comment = reason.strip()
    evidence_return.reviewed_by = by
    evidence_return.approved_at = None
    _stamp(evidence_return, by=by, reason=f"Reopened: {reason.strip()}")
    queue_snapshots(force=evidence_return.force, periods=_affected_periods(evidence_return))
    return evidence_return


def _affected_periods(evidence_return: EvidenceReturn) -> list[Period]:
    """This quarter, and the later ones a six-monthly or yearly figure stays current for."""
    period = Period.parse(evidence_return.period)
    longest = max(
        (
            CURRENT_FOR_QUARTERS[v.kpi.frequency]
            for v in evidence_return.values.select_related("kpi")
        ),
        default=1,
    )
    last = Period.current()
    return [p for p in (period.shift(i) for i in range(longest)) if p <= last]


def add_attachment(
    *, evidence_return: EvidenceReturn, upload, description: str, by
) -> EvidenceAttachment:
    if not evidence_return.is_editable:
        raise ValidationError("Files can only be added while the return is a draft or returned.")
    attachment = EvidenceAttachment(
        evidence_return=evidence_return,
        original_name=upload.name[:255],
        description=description,
        uploaded_by=by,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment._history_user = by
    attachment.save()
    return attachment


def remove_attachment(*, attachment: EvidenceAttachment, by) -> None:
    if not attachment.evidence_return.is_editable:
        raise ValidationError("Files cannot be removed from a submitted or approved return.")
    attachment._history_user = by
    stored = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))


# History for the return's page -----------------------------------------------

# Already told by "who" and the reason ("Submitted", "Approved"), so not repeated as changes.
WORKFLOW_FIELDS = {
    "First submitted at",
    "Submitted at",
    "Approved at",
    "Submitted by",
    "Reviewed by",
    "Entered by",
}


def history(ret: EvidenceReturn | None, values: dict[str, EvidenceValue]) -> list[HistoryRow]:
    """The return's audit trail for its page, each figure's changes shown as people read them."""
    if ret is None:
        return []
    rows = []
    labels = dict(EvidenceReturn.Status.choices)
    for row in history_rows(ret):
        row.changes = [
            (label, labels.get(old, old), labels.get(new, new))
            if label == "Status"
            else (label, old, new)
            for label, old, new in row.changes
            if label not in WORKFLOW_FIELDS
        ]
        rows.append(row)
    for value in values.values():
        rows.extend(_value_history(value))
    rows.extend(_attachment_history(ret))
    return sorted(rows, key=lambda r: r.when, reverse=True)


def _attachment_history(ret) -> list[HistoryRow]:
    """Files added and removed, read from the audit table so removed files still show."""
    records = EvidenceAttachment.history.filter(evidence_return_id=ret.pk).select_related(
        "history_user"
    )
    actions = {"+": "Attached", "-": "Removed"}
    return [
        HistoryRow(
            when=record.history_date,
            who=_who(record.history_user),
            action=actions[record.history_type],
            subject=f"file “{record.original_name}”",
            changes=[],
            reason=record.description,
        )
        for record in records
        if record.history_type in actions
    ]


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user else "System"


def _value_history(value) -> list[HistoryRow]:
    rows, shown, note = [], "—", ""
    for record in value.history.select_related("history_user").order_by("history_date"):
        instance = record.instance
        instance.kpi = value.kpi
        changes = []
        if instance.display != shown:
            changes.append(("Figure", shown, instance.display))
        if instance.comment != note:
            changes.append(("Note", note or "—", instance.comment or "—"))
        shown, note = instance.display, instance.comment
        if not changes:
            continue
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=_who(record.history_user),
                action="Entered" if record.history_type == "+" else "Changed",
                subject=f"figure for {value.kpi.name}",
                changes=changes,
                reason="",
            )
        )
    return rows


# The Soteria lead's grid -------------------------------------------------------------


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

    @property
    def is_missing(self) -> bool:
        return self.status == "not_started"

    @property
    def is_overdue(self) -> bool:
        """Past its due date and not yet submitted: the pillar lead still holds it."""
        return bool(self.days_late) and self.status in ("not_started", *EvidenceReturn.EDITABLE)


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
            visible = sees_unapproved or status == Status.APPROVED
            if not visible:
                status, label, late = "hidden", "Not yet approved", 0
            cell = GridCell(
                pillar=pillar,
                period=period,
                evidence_return=ret if visible else None,
                status=status,
                status_label=label,
                due_date=due,
                days_late=late,
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


# Reminders ---------------------------------------------------------------------------


def _reminder_periods(today: dt.date) -> list[Period]:
    # The last two complete quarters: the one being returned now and any still overdue.
    latest = Period.containing(today).previous()
    return [latest.previous(), latest]


def _pillar_lead_recipients(force: Force, pillar: Pillar) -> list:
    return [
        user
        for user in access.users_who_can("edit_evidence", force)
        if not access.is_national_admin(user)
        and pillar.pk in access.pillars_led(user, force)
        and access.can(user, "view_unapproved_evidence", force)
    ]


def _claim(user, key: str) -> bool:
    """Record that this e-mail is going out; False if it already went (job run twice)."""
    _, created = EvidenceReminder.objects.get_or_create(user=user, key=key)
    return created


def send_evidence_reminders(*, today: dt.date) -> int:
    """E-mail pillar leads whose return is due in 5 days, or overdue (first day, then weekly).

    A return counts as outstanding until it is submitted. Returns the number of e-mails sent.
    """
    sent = 0
    forces = Force.objects.filter(memberships__role=Role.PILLAR_LEAD).distinct()
    pillars = evidence_pillars()
    for force in forces:
        returns = {
            (r.pillar_id, r.period): r
            for r in EvidenceReturn.objects.filter(
                force=force, period__in=[p.slug for p in _reminder_periods(today)]
            )
        }
        for period in _reminder_periods(today):
            for pillar in pillars:
                ret = returns.get((pillar.pk, period.slug))
                if ret is not None and not ret.is_editable:
                    continue
                due = ret.due_date if ret else default_due_date(period)
                overdue_by = (today - due).days
                if (due - today).days == REMINDER_DAYS_BEFORE:
                    kind, subject = "due", f"Evidence return due in {REMINDER_DAYS_BEFORE} days"
                elif overdue_by > 0 and (overdue_by - 1) % OVERDUE_REMINDER_EVERY_DAYS == 0:
                    kind, subject = "overdue", "Evidence return overdue"
                else:
                    continue
                url = reverse(
                    "kpis:evidence-return",
                    kwargs={
                        "force_slug": force.slug,
                        "period": period.slug,
                        "pillar": pillar.number,
                    },
                )
                key = f"{kind}:{force.slug}:{period.slug}:{pillar.number}:{today.isoformat()}"
                for user in _pillar_lead_recipients(force, pillar):
                    if not _claim(user, key):
                        continue
                    sent += send_notice(
                        user=user,
                        subject=f"{subject}: {force.name}, {pillar}, {period.label}",
                        template="email/evidence_reminder.txt",
                        context={
                            "kind": kind,
                            "force": force,
                            "pillar": pillar,
                            "period": period,
                            "due_date": due,
                            "overdue_by": overdue_by,
                            "evidence_return": ret,
                            "url": url,
                        },
                    )
    return sent


def send_evidence_summaries(*, today: dt.date) -> int:
    """Weekly: each force Soteria lead gets the state of every return in their force."""
    sent = 0
    periods = _reminder_periods(today)
    for force in Force.objects.filter(memberships__role=Role.SOTERIA_LEAD).distinct():
        recipients = [
            user
            for user in access.users_who_can("review_evidence", force)
            if Role.SOTERIA_LEAD in access.roles_for(user, force)
            and not access.is_national_admin(user)
        ]
        for user in recipients:
            if not access.can(user, "view_unapproved_evidence", force):
                continue
            year, week, _ = today.isocalendar()
            if not _claim(user, f"summary:{force.slug}:{year}-W{week:02d}"):
                continue
            grid = return_grid(force=force, periods=periods, viewer=user, today=today)
            sent += send_notice(
                user=user,
                subject=f"Evidence returns this week: {force.name}",
                template="email/evidence_summary.txt",
                context={
                    "force": force,
                    "grid": grid,
                    "url": reverse("kpis:evidence", kwargs={"force_slug": force.slug}),
                },
            )
    return sent


# Into the flight deck ----------------------------------------------------------------


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
            "display": value.display,
            "reported_period": ret.period,
        },
    )
    kind = kpi.value_kind
    if kind == Kpi.ValueKind.FRACTION:
        result.numerator, result.denominator = value.numerator, value.denominator
        if value.denominator:
            result.value = 100 * value.numerator / value.denominator
            low, high = wilson_interval(value.numerator, value.denominator)
            result.ci_low, result.ci_high = 100 * low, 100 * high
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
    else:
        result.value = value.number
    return result


# Demo data ---------------------------------------------------------------------------

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

    from ..tasks import queue_snapshots

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
                if state == "draft":  # half-finished
                    figures = dict(list(figures.items())[: max(1, len(figures) // 2)])
                narrative = DEMO_NARRATIVE.format(pillar=pillar, period=period.label)
                save_return(evidence_return=ret, values=figures, narrative=narrative, by=lead)
                created += 1
                if state == "draft":
                    continue
                submit_return(evidence_return=ret, by=lead)
                if state == "returned":
                    return_for_changes(
                        evidence_return=ret,
                        by=reviewer,
                        comment="SYNTHETIC: please add how the sickness figure was checked.",
                    )
                elif state == "approved":
                    ret.status = Status.APPROVED
                    ret.reviewed_by = reviewer
                    ret.approved_at = timezone.now()
                    _stamp(ret, by=reviewer, reason="Approved (synthetic demo data)")
                    touched.add(period)
                _backdate(ret, period, rng)
        queue_snapshots(force=force, periods=sorted(touched))
    return {"evidence returns (synthetic)": created}
