"""The inspection response record: read (prints cleanly), edit the draft, publish, download."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from soteria.access import get_force_for_user
from soteria.history import history_rows

from .. import services
from ..forms import RecordForm
from ..models import Addressee, Response
from .common import inspection_for, may_edit


def _record_or_new(force, inspection):
    return services.get_record(force=force, inspection=inspection) or services.new_record(
        force=force, inspection=inspection
    )


def record(request, force_slug, inspection_slug):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    inspection = inspection_for(force, inspection_slug)
    record = _record_or_new(force, inspection)
    content = services.record_content(record=record)
    today = timezone.localdate()
    return render(
        request,
        "recommendations/record.html",
        {
            "force": force,
            "inspection": inspection,
            "record": record,
            "content": content,
            "published_date": dt.date.fromisoformat(content["published"]),
            "due": inspection.response_due,
            "days_left": (inspection.response_due - today).days,
            "days_overdue": (today - inspection.response_due).days,
            "missing": [] if record.is_published else services.missing_sections(content=content),
            "can_edit": may_edit(request.user, force),
            "history": history_rows(record) if record.pk else [],
        },
    )


def record_edit(request, force_slug, inspection_slug):
    force = get_force_for_user(request, force_slug, "edit_recommendations")
    inspection = inspection_for(force, inspection_slug)
    record = _record_or_new(force, inspection)
    if record.is_published:
        messages.error(request, "The published response record is frozen and cannot be edited.")
        return redirect(record.get_absolute_url())
    recs = inspection.recommendations.filter(addressee=Addressee.FORCES).order_by("order")
    responses = dict(
        Response.objects.filter(force=force, recommendation__inspection=inspection).values_list(
            "recommendation_id", "chief_constable_response"
        )
    )
    form = RecordForm(
        request.POST or None, instance=record, recommendations=recs, responses=responses
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
            return redirect(record.get_absolute_url())
    return render(
        request,
        "recommendations/record_form.html",
        {"force": force, "inspection": inspection, "form": form, "record": record},
    )


@require_POST
def record_publish(request, force_slug, inspection_slug):
    force = get_force_for_user(request, force_slug, "edit_recommendations")
    inspection = inspection_for(force, inspection_slug)
    record = services.get_record(force=force, inspection=inspection)
    if record is None:
        messages.error(request, "Write the draft before publishing it.")
        return redirect(
            "recommendations:record-edit", force_slug=force.slug, inspection_slug=inspection.slug
        )
    try:
        services.publish_record(record=record, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Published. This version is now frozen.")
    return redirect(record.get_absolute_url())


def record_docx(request, force_slug, inspection_slug):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    inspection = inspection_for(force, inspection_slug)
    record = _record_or_new(force, inspection)
    content = services.record_content(record=record)
    state = "published" if record.is_published else "draft"
    response = HttpResponse(
        services.record_docx(content=content, state=record.state),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{force.slug}-{inspection.slug}-response-{state}.docx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
