"""The inspection response record: read any version (prints cleanly), edit the draft, a chief
officer's approval, publishing with a confirmation, a new version, the Word file."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from soteria.access import can, get_force_for_user
from soteria.history import history_rows

from .. import services
from ..forms import PublishConfirmForm, RecordForm
from ..models import Addressee, Response
from .common import inspection_for, may_edit


def _current(force, inspection):
    return services.get_record(force=force, inspection=inspection) or services.new_record(
        force=force, inspection=inspection
    )


def _version(force, inspection, version):
    record = services.get_version(force=force, inspection=inspection, version=version)
    if record is None:
        raise Http404("No such version")
    return record


def _to_record(force, inspection):
    return redirect(
        "recommendations:record", force_slug=force.slug, inspection_slug=inspection.slug
    )


def _render_record(request, force, inspection, record):
    content = services.record_content(record=record)
    versions = list(
        services.record_versions(force=force, inspection=inspection).select_related("published_by")
    )
    today = timezone.localdate()
    draft = not record.is_published
    return render(
        request,
        "recommendations/record.html",
        {
            "force": force,
            "inspection": inspection,
            "record": record,
            "content": content,
            "published_date": dt.date.fromisoformat(content["published"]),
            "publication_date": (
                dt.date.fromisoformat(content["publication_date"])
                if content["publication_date"]
                else None
            ),
            "due": inspection.response_due,
            "days_left": (inspection.response_due - today).days,
            "days_overdue": (today - inspection.response_due).days,
            "missing": services.missing_sections(content=content) if draft else [],
            "problems": services.publish_problems(record=record, content=content) if draft else [],
            "approval_current": draft
            and services.approval_is_current(record=record, content=content),
            "can_edit": may_edit(request.user, force),
            "can_approve": can(request.user, "approve_response_record", force),
            "can_publish": can(request.user, "publish_response_record", force),
            "versions": versions,
            "is_current": not versions or versions[0].pk == record.pk,
            "history": history_rows(record) if record.pk else [],
        },
    )


def record(request, force_slug, inspection_slug):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    inspection = inspection_for(force, inspection_slug)
    return _render_record(request, force, inspection, _current(force, inspection))


def record_version(request, force_slug, inspection_slug, version):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    inspection = inspection_for(force, inspection_slug)
    return _render_record(request, force, inspection, _version(force, inspection, version))


def record_edit(request, force_slug, inspection_slug):
    force = get_force_for_user(request, force_slug, "edit_recommendations")
    inspection = inspection_for(force, inspection_slug)
    record = _current(force, inspection)
    if record.is_published:
        messages.error(
            request,
            f"Published version {record.version} is frozen: start a new version to change it.",
        )
        return redirect(record.get_absolute_url())
    recs = inspection.recommendations.filter(addressee=Addressee.FORCES).order_by("order")
    responses = dict(
        Response.objects.filter(force=force, recommendation__inspection=inspection).values_list(
            "recommendation_id", "chief_constable_response"
        )
    )
    form = RecordForm(
        request.POST or None,
        instance=record,
        recommendations=recs,
        responses=responses,
        commissioner_title=force.commissioner_title,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_record(
                force=force,
                inspection=inspection,
                by=request.user,
                fields=form.section_data(),
                rec_responses=form.rec_responses(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Draft saved.")
            return _to_record(force, inspection)
    return render(
        request,
        "recommendations/record_form.html",
        {"force": force, "inspection": inspection, "form": form, "record": record},
    )


@require_POST
def record_approve(request, force_slug, inspection_slug):
    force = get_force_for_user(request, force_slug, "approve_response_record")
    inspection = inspection_for(force, inspection_slug)
    record = services.get_record(force=force, inspection=inspection)
    if record is None:
        messages.error(request, "There is no draft to approve yet.")
        return _to_record(force, inspection)
    try:
        services.approve_chief_constable_response(record=record, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "You approved the chief constable's response.")
    return _to_record(force, inspection)


def record_publish(request, force_slug, inspection_slug):
    """GET asks the user to confirm; POST with the confirmation publishes."""
    force = get_force_for_user(request, force_slug, "publish_response_record")
    inspection = inspection_for(force, inspection_slug)
    record = services.get_record(force=force, inspection=inspection)
    if record is None:
        messages.error(request, "Write the draft before publishing it.")
        return redirect(
            "recommendations:record-edit", force_slug=force.slug, inspection_slug=inspection.slug
        )
    if record.is_published:
        messages.error(request, f"Version {record.version} is already published.")
        return _to_record(force, inspection)
    content = services.record_content(record=record)
    problems = services.publish_problems(record=record, content=content)
    if problems:
        messages.error(request, "Before publishing, " + "; and ".join(problems) + ".")
        return _to_record(force, inspection)
    form = PublishConfirmForm(request.POST or None, version=record.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_record(
                record=record, by=request.user, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Version {record.version} published. It is now frozen.")
        return _to_record(force, inspection)
    return render(
        request,
        "recommendations/record_publish.html",
        {
            "force": force,
            "inspection": inspection,
            "record": record,
            "content": content,
            "form": form,
        },
    )


@require_POST
def record_new_version(request, force_slug, inspection_slug):
    force = get_force_for_user(request, force_slug, "publish_response_record")
    inspection = inspection_for(force, inspection_slug)
    try:
        draft = services.start_new_version(force=force, inspection=inspection, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_record(force, inspection)
    messages.success(
        request,
        f"Version {draft.version} started, a copy of version {draft.version - 1}, which stays "
        "as published.",
    )
    return redirect(
        "recommendations:record-edit", force_slug=force.slug, inspection_slug=inspection.slug
    )


def _docx_response(force, inspection, record):
    content = services.record_content(record=record)
    state = "published" if record.is_published else "draft"
    response = HttpResponse(
        services.record_docx(content=content),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{force.slug}-{inspection.slug}-response-'
        f'v{record.version}-{state}.docx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def record_docx(request, force_slug, inspection_slug):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    inspection = inspection_for(force, inspection_slug)
    return _docx_response(force, inspection, _current(force, inspection))


def record_version_docx(request, force_slug, inspection_slug, version):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    inspection = inspection_for(force, inspection_slug)
    return _docx_response(force, inspection, _version(force, inspection, version))
