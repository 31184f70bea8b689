"""A force's response: editing the plan, actions, progress updates, evidence and sign-off."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from soteria.models import Force, Role
from soteria.notifications import holders, notify

from ..models import (
    Action,
    ActionStatus,
    Evidence,
    ProgressUpdate,
    Rag,
    Recommendation,
    Response,
    Status,
)
from .common import audit_note, display_name


def has_evidence(*, response: Response) -> bool:
    return Evidence.objects.filter(update__response=response).exists()


def action_has_evidence(*, action: Action) -> bool:
    return Evidence.objects.filter(update__action=action).exists()


def get_response(*, force: Force, recommendation: Recommendation) -> Response | None:
    return Response.objects.filter(force=force, recommendation=recommendation).first()


def ensure_response(*, force: Force, recommendation: Recommendation) -> Response:
    response, _ = Response.objects.get_or_create(force=force, recommendation=recommendation)
    return response


@transaction.atomic
def update_response(
    *,
    response: Response,
    by,
    owner,
    pillars,
    status: str,
    rag: str,
    planned_closedown: dt.date | None,
    chief_constable_response: str | None = None,
    pcc_response: str | None = None,
) -> Response:
    """Edit a response's plan; a text left as None is left as it is.

    Completion goes through ``sign_off`` only."""
    if status == Status.COMPLETE and response.status != Status.COMPLETE:
        raise ValidationError({"status": "Only a chief officer's sign-off marks this complete."})
    if response.status == Status.COMPLETE and status != Status.COMPLETE:
        raise ValidationError(
            {"status": "Reopen the recommendation to change a signed-off status."}
        )
    response.owner = owner
    response.status = status
    response.rag = rag
    response.planned_closedown = planned_closedown
    if chief_constable_response is not None:
        response.chief_constable_response = chief_constable_response
    if pcc_response is not None:
        response.pcc_response = pcc_response
    response.full_clean()
    note = f"Edited by {display_name(by)}"
    pillars = list(pillars)
    old = set(response.pillars.values_list("pk", flat=True)) if response.pk else set()
    if old != {p.pk for p in pillars}:
        names = ", ".join(f"Pillar {p.number}" for p in sorted(pillars, key=lambda p: p.number))
        note += f"; pillars now: {names or 'none'}"
    response._change_reason = audit_note(note)
    response.save()
    response.pillars.set(pillars)
    return response


def open_actions(*, response: Response) -> list[Action]:
    return list(
        response.actions.filter(status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS])
    )


@transaction.atomic
def sign_off(*, response: Response, by, note: str = "") -> Response:
    """Sign the recommendation off as complete and green: a chief officer for one addressed to
    forces, the PCC office for its own response to one addressed to PCCs or national bodies.

    Refused without evidence, and while any improvement action is still open.
    """
    if response.status == Status.COMPLETE:
        raise ValidationError("This recommendation is already signed off.")
    if not has_evidence(response=response):
        raise ValidationError(
            "It cannot be marked complete without evidence: add a progress update with "
            "the evidence attached first."
        )
    still_open = open_actions(response=response)
    if still_open:
        listed = "; ".join(f"“{a.title}” ({a.get_status_display()})" for a in still_open)
        count = len(still_open)
        raise ValidationError(
            f"It cannot be signed off while {count} action{'s are' if count > 1 else ' is'} "
            f"open: {listed}. Complete or cancel {'them' if count > 1 else 'it'} first."
        )
    if Evidence.objects.filter(update__response=response, uploaded_by=by).exists():
        raise ValidationError(
            "You added evidence for this recommendation, so another chief officer must sign "
            "it off: no one signs off their own evidence."
        )
    response.status = Status.COMPLETE
    response.rag = Rag.GREEN
    response.signed_off_by = by
    response.signed_off_at = timezone.now()
    response.sign_off_note = note
    response.full_clean()
    signed = f"Signed off as complete by {display_name(by)}"
    response._change_reason = audit_note(f"{signed}: {note}" if note else signed)
    response.save()
    rec = response.recommendation
    notify(
        by=by,
        recipients=[
            *holders(force=response.force, role=Role.PCC_STAFF),
            *(a.owner for a in response.actions.select_related("owner")),
        ],
        force=response.force,
        action="view_recommendations",
        verb="recommendation signed off",
        text=f"{display_name(by)} signed off recommendation {rec.number} of “{rec.inspection.title}” "
        f"({response.force.name}) as complete" + (f": {note}" if note else "."),
        link=response.get_absolute_url(),
    )
    return response


@transaction.atomic
def reopen(*, response: Response, by, reason: str) -> Response:
    if response.status != Status.COMPLETE:
        raise ValidationError("Only a completed recommendation can be reopened.")
    response.status = Status.IN_PROGRESS
    response.rag = ""  # green no longer holds: whoever picks it up rates it again
    response.signed_off_by = None
    response.signed_off_at = None
    response.sign_off_note = ""
    response._change_reason = audit_note(f"Reopened by {display_name(by)}: {reason}")
    response.save()
    return response


@transaction.atomic
def set_kpis(*, response: Response, by, kpis) -> Response:
    """Link the response to KPIs; the change is audited as a note on the response's history."""
    kpis = list(kpis)
    if set(response.kpis.values_list("pk", flat=True)) == {k.pk for k in kpis}:
        return response
    response.kpis.set(kpis)
    names = "; ".join(k.name for k in kpis) or "none"
    response._change_reason = audit_note(f"Linked KPIs set by {display_name(by)}: {names}")
    response.save()
    return response


@transaction.atomic
def add_action(*, response: Response, by, title: str, owner, due_date: dt.date) -> Action:
    action = Action(response=response, title=title, owner=owner, due_date=due_date)
    action.full_clean()
    action._change_reason = audit_note(f"Added by {display_name(by)}")
    action.save()
    if response.status == Status.NOT_STARTED:
        response.status = Status.IN_PROGRESS
        response._change_reason = audit_note("Work started: first action added")
        response.save()
    return action


@transaction.atomic
def update_action(
    *, action: Action, by, title: str, owner, due_date: dt.date, status: str
) -> Action:
    """Change an action; marking it complete needs evidence and records who did it."""
    if status == ActionStatus.COMPLETE and action.status != ActionStatus.COMPLETE:
        if not action_has_evidence(action=action):
            raise ValidationError(
                {
                    "status": "An action cannot be marked complete without evidence: add a "
                    "progress update on this action with the evidence attached first."
                }
            )
        action.completed_by = by
        action.completed_at = timezone.now()
        action._change_reason = audit_note(f"Marked complete by {display_name(by)}")
    elif status != ActionStatus.COMPLETE:
        action.completed_by = None
        action.completed_at = None
        action._change_reason = audit_note(f"Edited by {display_name(by)}")
    action.title = title
    action.owner = owner
    action.due_date = due_date
    action.status = status
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def add_update(
    *,
    response: Response,
    by,
    date: dt.date,
    text: str,
    action: Action | None = None,
    files=(),
) -> ProgressUpdate:
    """Record dated progress, with any evidence files (already validated by the form)."""
    if action is not None and action.response_id != response.pk:
        raise ValidationError({"action": "That action belongs to another recommendation."})
    update = ProgressUpdate(response=response, action=action, date=date, text=text, author=by)
    update.full_clean()
    update.save()
    for upload in files:
        evidence = Evidence(update=update, original_name=upload.name[:255], uploaded_by=by)
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
    if response.status == Status.NOT_STARTED:
        response.status = Status.IN_PROGRESS
        response._change_reason = audit_note("Work started: first progress update")
        response.save()
    if action is not None and action.status == ActionStatus.NOT_STARTED:
        action.status = ActionStatus.IN_PROGRESS
        action._change_reason = audit_note("Work started: first progress update")
        action.save()
    return update
