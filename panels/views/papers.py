"""Meeting papers: the agenda and the minutes of a meeting, as pages and Word downloads."""

from django.http import HttpResponse
from django.shortcuts import render

from soteria.access import get_for_user

from .. import services
from ..models import Meeting

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _meeting(request, force_slug, meeting_id) -> Meeting:
    return get_for_user(request, Meeting, meeting_id, "view_panels", panel__force__slug=force_slug)


def meeting_agenda(request, force_slug, meeting_id):
    meeting = _meeting(request, force_slug, meeting_id)
    return render(
        request,
        "panels/agenda.html",
        {"force": meeting.panel.force, "agenda": services.meeting_agenda(meeting)},
    )


def meeting_agenda_docx(request, force_slug, meeting_id):
    meeting = _meeting(request, force_slug, meeting_id)
    document = services.agenda_docx(services.meeting_agenda(meeting))
    return _word(document, meeting, "agenda")


def meeting_minutes(request, force_slug, meeting_id):
    meeting = _meeting(request, force_slug, meeting_id)
    return render(
        request,
        "panels/minutes.html",
        {"force": meeting.panel.force, "minutes": services.meeting_minutes(meeting)},
    )


def meeting_minutes_docx(request, force_slug, meeting_id):
    meeting = _meeting(request, force_slug, meeting_id)
    document = services.minutes_docx(services.meeting_minutes(meeting))
    state = "" if meeting.is_finalised else "-draft"
    return _word(document, meeting, f"minutes{state}")


def _word(document: bytes, meeting: Meeting, name: str) -> HttpResponse:
    response = HttpResponse(document, content_type=DOCX)
    filename = f"{meeting.panel.force.slug}-panel-{meeting.date:%Y-%m-%d}-{name}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
