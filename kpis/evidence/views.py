"""Quarterly evidence returns: the Soteria lead's grid, a return's page, the pillar lead's
form, review, reopening and evidence files."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from soteria.access import can, get_force_for_user, pillars_led
from soteria.files import serve_private_file
from soteria.models import Pillar
from soteria.periods import Period

from . import services as service
from .forms import (
    AttachmentForm,
    DueDateForm,
    EvidenceReturnForm,
    ReopenForm,
    ReviewForm,
)
from .models import EvidenceAttachment

GRID_QUARTERS = 4


def _period(slug: str) -> Period:
    try:
        period = Period.parse(slug)
    except ValueError:
        raise Http404("No such quarter") from None
    if period > Period.current():
        raise Http404("That quarter has not started")
    return period


def ended_quarter(view):
    """A return is for a quarter that has ended: one still running (reachable only by typing
    its address) is refused with a message, back on the grid, before anything is read."""

    @wraps(view)
    def check(request, force_slug, period, pillar, **kwargs):
        quarter = _period(period)
        if quarter > Period.latest_complete():
            get_force_for_user(request, force_slug, "view_evidence")
            end = date_format(quarter.end, "j F Y")
            messages.error(
                request,
                f"{quarter.label} has not ended yet, so it has no return: its return opens "
                f"after {end}.",
            )
            return redirect("kpis:evidence", force_slug=force_slug)
        return view(request, force_slug, period, pillar, **kwargs)

    return check


def _context(request, force_slug: str, period_slug: str, pillar_number: int):
    """Force, quarter, pillar and return (or None), checked for what the viewer may see."""
    force = get_force_for_user(request, force_slug, "view_evidence")
    period = _period(period_slug)
    pillar = get_object_or_404(Pillar, number=pillar_number)
    kpis = service.evidence_kpis(pillar=pillar)
    if not kpis:
        raise Http404("This pillar has no evidence KPIs")
    evidence_return = service.find_return(force=force, pillar=pillar, period=period)
    sees_unapproved = can(request.user, "view_unapproved_evidence", force)
    if not sees_unapproved and (evidence_return is None or not evidence_return.is_approved):
        raise Http404("No approved return")
    return force, period, pillar, kpis, evidence_return


def _redirect_to_return(force, period, pillar, view="kpis:evidence-return"):
    return redirect(view, force_slug=force.slug, period=period.slug, pillar=pillar.number)


def evidence_grid(request, force_slug):
    force = get_force_for_user(request, force_slug, "view_evidence")
    latest = Period.latest_complete()
    try:
        last = min(_period(request.GET["to"]), latest) if "to" in request.GET else latest
    except Http404:
        last = latest
    periods = last.trailing(GRID_QUARTERS)
    grid = service.return_grid(
        force=force, periods=periods, viewer=request.user, today=timezone.localdate()
    )
    led = pillars_led(request.user, force)
    return render(
        request,
        "kpis/evidence/grid.html",
        {
            "force": force,
            "grid": grid,
            "earlier": last.shift(-GRID_QUARTERS),
            "later": min(last.shift(GRID_QUARTERS), latest) if last < latest else None,
            "led_pillars": led,
            "working_days": service.WORKING_DAYS_TO_RETURN,
            "sees_unapproved": can(request.user, "view_unapproved_evidence", force),
        },
    )


@ended_quarter
def evidence_return(request, force_slug, period, pillar):
    force, period, pillar, kpis, ret = _context(request, force_slug, period, pillar)
    values = service.values_by_slug(ret)
    _, previous = service.previous_values(force=force, pillar=pillar, period=period)
    rows = [
        {
            "kpi": kpi,
            "value": values.get(kpi.slug),
            "previous": previous.get(kpi.slug),
            "due": service.is_due(kpi, period),
            "frequency": service.frequency_note(kpi),
            "unreliable": bool(
                kpi.min_denominator
                and values.get(kpi.slug)
                and not values[kpi.slug].is_empty
                and values[kpi.slug].denominator < kpi.min_denominator
            ),
        }
        for kpi in kpis
    ]
    may_review = can(request.user, "review_evidence", force)
    awaiting_review = may_review and ret is not None and ret.is_awaiting_review
    own_return = (
        service.why_cannot_approve(evidence_return=ret, by=request.user) if awaiting_review else ""
    )
    return render(
        request,
        "kpis/evidence/return.html",
        {
            "force": force,
            "period": period,
            "pillar": pillar,
            "evidence_return": ret,
            "rows": rows,
            "attachments": list(ret.attachments.select_related("uploaded_by")) if ret else [],
            "may_edit": can(request.user, "edit_evidence", force, pillar=pillar)
            and (ret is None or ret.is_editable),
            "may_review": awaiting_review,
            "may_approve": awaiting_review and not own_return,
            "why_not_approve": own_return,
            "may_reopen": may_review and ret is not None and ret.is_approved,
            "review_form": ReviewForm(),
            "reopen_form": ReopenForm(),
            "default_due_date": service.default_due_date(period),
            "may_set_due_date": may_review and (ret is None or not ret.is_approved),
            "due_date_form": DueDateForm(
                initial={"due_date": ret.due_date if ret else service.default_due_date(period)}
            ),
            "missing": service.missing_for_submission(ret)
            if ret and ret.is_awaiting_review
            else [],
            "history": service.history(ret, values),
        },
    )


@ended_quarter
def evidence_edit(request, force_slug, period, pillar):
    force, period, pillar, kpis, ret = _context(request, force_slug, period, pillar)
    if not can(request.user, "edit_evidence", force, pillar=pillar):
        raise PermissionDenied
    if ret is not None and not ret.is_editable:
        messages.error(
            request,
            f"This return is {ret.get_status_display().lower()}, so it cannot be changed"
            + (
                " unless the Soteria lead reopens it."
                if ret.is_approved
                else " while it is reviewed."
            ),
        )
        return _redirect_to_return(force, period, pillar)
    previous_return, previous = service.previous_values(force=force, pillar=pillar, period=period)
    submitting = request.method == "POST" and request.POST.get("action") == "submit"
    form = EvidenceReturnForm(
        request.POST or None,
        kpis=kpis,
        period=period,
        values=service.values_by_slug(ret),
        previous=previous,
        previous_period=period.previous(),
        narrative=ret.narrative if ret else "",
        submitting=submitting,
    )
    if request.method == "POST" and form.is_valid():
        ret = ret or service.start_return(
            force=force, pillar=pillar, period=period, by=request.user
        )
        service.save_return(
            evidence_return=ret,
            values=form.values(),
            narrative=form.cleaned_data["narrative"],
            by=request.user,
        )
        if not submitting:
            messages.success(request, "Draft saved. You can come back and finish it at any time.")
            return _redirect_to_return(force, period, pillar, "kpis:evidence-edit")
        try:
            service.submit_return(evidence_return=ret, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _redirect_to_return(force, period, pillar, "kpis:evidence-edit")
        messages.success(request, "Return submitted to the Soteria lead for approval.")
        return _redirect_to_return(force, period, pillar)
    return render(
        request,
        "kpis/evidence/edit.html",
        {
            "force": force,
            "period": period,
            "pillar": pillar,
            "evidence_return": ret,
            "form": form,
            "previous_period": period.previous(),
            "previous_return": previous_return,
            "default_due_date": service.default_due_date(period),
            "attachments": list(ret.attachments.all()) if ret else [],
            "attachment_form": AttachmentForm(),
        },
    )


@require_POST
@ended_quarter
def evidence_review(request, force_slug, period, pillar):
    force, period, pillar, _, ret = _context(request, force_slug, period, pillar)
    if not can(request.user, "review_evidence", force):
        raise PermissionDenied
    if ret is None:
        raise Http404("No return")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                service.approve_return(
                    evidence_return=ret, by=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, "Return approved. The flight deck is being updated.")
            else:
                service.return_for_changes(
                    evidence_return=ret, by=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, "Return sent back to the pillar lead with your comment.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _redirect_to_return(force, period, pillar)


@require_POST
@ended_quarter
def evidence_due_date(request, force_slug, period, pillar):
    force, period, pillar, _, ret = _context(request, force_slug, period, pillar)
    if not can(request.user, "review_evidence", force):
        raise PermissionDenied
    form = DueDateForm(request.POST)
    if form.is_valid():
        try:
            service.set_due_date(
                force=force,
                pillar=pillar,
                period=period,
                due_date=form.cleaned_data["due_date"],
                by=request.user,
            )
            messages.success(request, "Due date changed.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(form.errors["due_date"]))
    return _redirect_to_return(force, period, pillar)


@require_POST
@ended_quarter
def evidence_reopen(request, force_slug, period, pillar):
    force, period, pillar, _, ret = _context(request, force_slug, period, pillar)
    if not can(request.user, "review_evidence", force):
        raise PermissionDenied
    if ret is None:
        raise Http404("No return")
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            service.reopen_return(
                evidence_return=ret, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "Return reopened: the pillar lead can now change it.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(form.errors["reason"]))
    return _redirect_to_return(force, period, pillar)


@require_POST
@ended_quarter
def attachment_upload(request, force_slug, period, pillar):
    force, period, pillar, kpis, ret = _context(request, force_slug, period, pillar)
    if not can(request.user, "edit_evidence", force, pillar=pillar):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _redirect_to_return(force, period, pillar, "kpis:evidence-edit")
    ret = ret or service.start_return(force=force, pillar=pillar, period=period, by=request.user)
    try:
        attachment = service.add_attachment(
            evidence_return=ret,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _redirect_to_return(force, period, pillar)
    messages.success(request, f"“{attachment.original_name}” attached.")
    return _redirect_to_return(force, period, pillar, "kpis:evidence-edit")


def _attachment(request, force_slug, period, pillar, attachment_id):
    force, period, pillar, _, ret = _context(request, force_slug, period, pillar)
    if ret is None:
        raise Http404("No return")
    attachment = get_object_or_404(EvidenceAttachment, pk=attachment_id, evidence_return=ret)
    return force, period, pillar, attachment


@ended_quarter
def attachment_download(request, force_slug, period, pillar, attachment_id):
    *_, attachment = _attachment(request, force_slug, period, pillar, attachment_id)
    return serve_private_file(attachment.file, download_name=attachment.original_name)


@require_POST
@ended_quarter
def attachment_delete(request, force_slug, period, pillar, attachment_id):
    force, period, pillar, attachment = _attachment(
        request, force_slug, period, pillar, attachment_id
    )
    if not can(request.user, "edit_evidence", force, pillar=pillar):
        raise PermissionDenied
    try:
        service.remove_attachment(attachment=attachment, by=request.user)
        messages.success(request, f"“{attachment.original_name}” removed.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _redirect_to_return(force, period, pillar, "kpis:evidence-edit")
