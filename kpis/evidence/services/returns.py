"""Evidence returns: reading and writing a return, and its workflow.

Workflow: draft → submitted → returned (with a reviewer's comment) → resubmitted →
approved. Only drafts and returned returns can be changed; an approved return is
locked until the Soteria lead reopens it, which is recorded in its history.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from soteria.models import Force, Pillar, Role
from soteria.notifications import holders, notify
from soteria.periods import Period

from ...engine.models import Kpi
from ...engine.snapshots import queue_snapshots
from ..models import (
    EvidenceAttachment,
    EvidenceReturn,
    EvidenceValue,
)
from .due_dates import CURRENT_FOR_QUARTERS, default_due_date, is_due

Status = EvidenceReturn.Status

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
    """Last quarter's approved return for the same pillar and its values, to show beside each
    field. A draft's or a submitted return's figures are not yet the force's figures, so an
    unapproved return gives none."""
    previous = find_return(force=force, pillar=pillar, period=period.previous())
    if previous is None or not previous.is_approved:
        return None, {}
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


def days_overdue(
    evidence_return: EvidenceReturn | None, *, due_date: dt.date, today: dt.date
) -> int:
    """Days past its due date that a return has been with its pillar lead: not started, a
    draft, or sent back for changes (a returned return is outstanding again, however early it
    was first submitted). 0 for a return with the Soteria lead or approved."""
    if evidence_return is not None and not evidence_return.is_editable:
        return 0
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
        _check_parts(evidence_return, kpis)
        if evidence_return.narrative != narrative or evidence_return.entered_by_id != by.pk:
            evidence_return.narrative = narrative
            evidence_return.entered_by = by
            _stamp(evidence_return, by=by)
    return evidence_return


def _check_parts(evidence_return: EvidenceReturn, kpis: dict[str, Kpi]) -> None:
    """No count is more than the count it is part of (the catalogue's ``part_of``); raised
    inside the save's transaction, so nothing of the save is kept."""
    numbers = {v.kpi_id: v.number for v in evidence_return.values.all()}
    for kpi in kpis.values():
        whole = next((k for k in kpis.values() if k.pk == kpi.part_of_id), None)
        if whole is None:
            continue
        part, total = numbers.get(kpi.pk), numbers.get(whole.pk)
        if part is not None and total is not None and part > total:
            raise ValidationError(
                {kpi.slug: f"{kpi.name} ({part:g}) cannot be more than {whole.name} ({total:g})."}
            )


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


def _tell(evidence_return: EvidenceReturn, *, by, recipients, action: str, verb: str, text: str):
    notify(
        by=by,
        recipients=recipients,
        force=evidence_return.force,
        action=action,
        verb=verb,
        text=text,
        link=return_url(evidence_return),
    )


def _named(evidence_return: EvidenceReturn) -> str:
    period = Period.parse(evidence_return.period)
    return (
        f"the {period.label} evidence return for {evidence_return.pillar} "
        f"({evidence_return.force.name})"
    )


@transaction.atomic
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
    done = "resubmitted" if resubmitting else "submitted"
    _tell(
        evidence_return,
        by=by,
        recipients=holders(force=evidence_return.force, role=Role.SOTERIA_LEAD),
        action="review_evidence",
        verb=f"return {done}",
        text=f"{person(by)} {done} {_named(evidence_return)}: it awaits your approval.",
    )
    return evidence_return


@transaction.atomic
def return_for_changes(*, evidence_return: EvidenceReturn, by, comment: str) -> EvidenceReturn:
    if not evidence_return.is_awaiting_review:
        raise ValidationError("Only a submitted return can be returned for changes.")
    if not comment.strip():
        raise ValidationError({"comment": "Say what needs changing."})
    evidence_return.status = Status.RETURNED
    evidence_return.reviewer_comment = comment.strip()
    evidence_return.reviewed_by = by
    _stamp(evidence_return, by=by, reason=f"Returned for changes: {comment.strip()}")
    _tell(
        evidence_return,
        by=by,
        recipients=[evidence_return.submitted_by],
        action="view_unapproved_evidence",
        verb="return returned",
        text=f"{person(by)} sent {_named(evidence_return)} back for changes: {comment.strip()}",
    )
    return evidence_return


def why_cannot_approve(*, evidence_return: EvidenceReturn, by) -> str:
    """Separation of duties: no one approves a return they submitted or whose figures they
    entered (a user who is both pillar lead and Soteria lead, or a force administrator).
    Returns the reason, or "" if ``by`` may approve it."""
    if by.pk in (evidence_return.submitted_by_id, evidence_return.entered_by_id):
        did = "submitted" if by.pk == evidence_return.submitted_by_id else "entered"
        return (
            f"You {did} this return, so someone else must approve it: no one approves "
            "their own return."
        )
    return ""


@transaction.atomic
def approve_return(*, evidence_return: EvidenceReturn, by, comment: str = "") -> EvidenceReturn:
    """Approve and lock the return, then recompute the force-quarter's snapshots. The Soteria
    lead's comment, if any, is kept on the return and in its history."""

    if not evidence_return.is_awaiting_review:
        raise ValidationError("Only a submitted return can be approved.")
    own = why_cannot_approve(evidence_return=evidence_return, by=by)
    if own:
        raise ValidationError(own)
    comment = comment.strip()
    evidence_return.status = Status.APPROVED
    evidence_return.reviewer_comment = comment
    evidence_return.reviewed_by = by
    evidence_return.approved_at = timezone.now()
    _stamp(evidence_return, by=by, reason=f"Approved: {comment}" if comment else "Approved")
    _tell(
        evidence_return,
        by=by,
        recipients=[evidence_return.submitted_by],
        action="view_unapproved_evidence",
        verb="return approved",
        text=f"{person(by)} approved {_named(evidence_return)}"
        + (f", commenting: {comment}" if comment else "."),
    )
    queue_snapshots(force=evidence_return.force, periods=_affected_periods(evidence_return))
    return evidence_return


def reopen_return(*, evidence_return: EvidenceReturn, by, reason: str) -> EvidenceReturn:
    """Unlock an approved return for changes; its figures leave the flight deck until re-approved."""

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
