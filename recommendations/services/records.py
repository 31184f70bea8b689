"""The inspection response record (Staffordshire layout), in numbered versions.

A version is a draft until it is published. The PCC office writes it; a chief officer
approves the chief constable's response in it; the PCC office confirms and publishes it,
and the published version is frozen. After publishing, a new version can be started from
the last published one; every published version is kept and can be read.

Long because it is one workflow, read in order: a version drafted, approved, confirmed,
published and frozen, then the next version started.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from soteria.models import Force, Role
from soteria.notifications import holders, notify

from ..models import (
    Addressee,
    Inspection,
    Recommendation,
    Response,
    ResponseRecord,
    Status,
)
from .common import audit_note, display_name
from .responses import ensure_response

SECTION_FIELDS = (
    "pcc_name",
    "chief_constable_name",
    "summary",
    "grade",
    "areas_for_improvement",
    "pcc_initial_response",
    "chief_constable_response",
    "pcc_overall_comments",
)
DEFAULT_COMMISSIONER_TITLE = "Police and Crime Commissioner"


def commissioner_in_sentence(title: str) -> str:
    """'Police, Fire and Crime Commissioner' → 'police, fire and crime commissioner'; a mayor's
    title keeps its capitals ('Mayor of London')."""
    return title.lower() if "Commissioner" in title else title


def commissioner_label(title: str) -> str:
    """A form label in sentence case: 'Police and crime commissioner', 'Mayor of London'."""
    in_sentence = commissioner_in_sentence(title)
    return in_sentence[:1].upper() + in_sentence[1:]


def without_deadline(text: str) -> str:
    """A recommendation as the chief constable's response quotes it: without its leading
    'By 31 January 2025,' (the Staffordshire record writes 'Rec 3: all forces should …')."""
    return re.sub(r"^By \d{1,2} \w+ \d{4},\s*", "", text.strip())


# Reading ----------------------------------------------------------------------------------


def record_versions(*, force: Force, inspection: Inspection) -> QuerySet[ResponseRecord]:
    """Every version of the force's record for the inspection, newest first."""
    return ResponseRecord.objects.filter(force=force, inspection=inspection).order_by("-version")


def get_record(*, force: Force, inspection: Inspection) -> ResponseRecord | None:
    """The current version: the draft if there is one, else the latest published version."""
    return record_versions(force=force, inspection=inspection).first()


def get_version(*, force: Force, inspection: Inspection, version: int) -> ResponseRecord | None:
    return record_versions(force=force, inspection=inspection).filter(version=version).first()


def new_record(*, force: Force, inspection: Inspection) -> ResponseRecord:
    """An unsaved first draft prefilled from the inspection."""
    return ResponseRecord(
        force=force,
        inspection=inspection,
        version=1,
        summary=inspection.summary,
        areas_for_improvement=inspection.areas_for_improvement,
    )


def record_content(*, record: ResponseRecord) -> dict:
    """The version's content in the Staffordshire layout: frozen once published, else live."""
    if record.is_published and record.snapshot:
        return _with_defaults(record)
    force, inspection = record.force, record.inspection
    responses = {
        r.recommendation_id: r
        for r in Response.objects.filter(force=force, recommendation__inspection=inspection)
    }
    recs = inspection.recommendations.filter(addressee=Addressee.FORCES).order_by("order")
    recommendations = []
    for rec in recs:
        response = responses.get(rec.pk)
        status = response.status if response else Status.NOT_STARTED
        recommendations.append(
            {
                "number": rec.number,
                "text": rec.text,
                "quoted": without_deadline(rec.text),
                "deadline": rec.deadline.isoformat() if rec.deadline else "",
                "status": Status(status).label,
                "response": response.chief_constable_response if response else "",
            }
        )
    return {
        "version": record.version,
        "state": record.state,
        "publication_date": "",
        "force": force.name,
        "commissioner_title": force.commissioner_title,
        "pcc": record.pcc_name,
        "chief_constable": record.chief_constable_name,
        "title": inspection.title,
        "published": inspection.published.isoformat(),
        "inspectorate": inspection.inspectorate,
        "url": inspection.url,
        "summary": record.summary,
        "grade": record.grade,
        "recommendations": recommendations,
        "areas_for_improvement": [
            p.strip() for p in record.areas_for_improvement.split("\n\n") if p.strip()
        ],
        "pcc_initial_response": record.pcc_initial_response,
        "chief_constable_response": record.chief_constable_response,
        "pcc_overall_comments": record.pcc_overall_comments,
    }


def _with_defaults(record: ResponseRecord) -> dict:
    """A frozen snapshot, with the keys that versions published before they existed lack."""
    published = timezone.localdate(record.published_at) if record.published_at else None
    content = {
        "version": record.version,
        "state": record.state,
        "publication_date": published.isoformat() if published else "",
        "commissioner_title": DEFAULT_COMMISSIONER_TITLE,
        "grade": "",
        **record.snapshot,
    }
    content["recommendations"] = [
        {"quoted": without_deadline(r["text"]), "status": "", **r}
        for r in content.get("recommendations", [])
    ]
    return content


def missing_sections(*, content: dict) -> list[str]:
    commissioner = commissioner_in_sentence(content["commissioner_title"])
    missing = [
        label
        for key, label in (
            ("pcc", f"the {commissioner}'s name"),
            ("chief_constable", "the chief constable's name"),
            ("pcc_initial_response", f"the {commissioner}'s initial response"),
            ("chief_constable_response", "the chief constable's response"),
            ("pcc_overall_comments", f"the {commissioner}'s overall comments"),
        )
        if not str(content.get(key, "")).strip()
    ]
    missing += [
        f"the chief constable's response to recommendation {r['number']}"
        for r in content["recommendations"]
        if not r["response"].strip()
    ]
    return missing


def chief_constable_part(content: dict) -> dict:
    """What a chief officer approves: the chief constable's name and every response."""
    return {
        "chief_constable": content["chief_constable"],
        "overall": content["chief_constable_response"],
        "recommendations": {r["number"]: r["response"] for r in content["recommendations"]},
    }


def approval_is_current(*, record: ResponseRecord, content: dict) -> bool:
    """Approved, and the chief constable's response unchanged since."""
    return bool(record.approved_by_id) and record.approved_content == chief_constable_part(content)


def awaiting_approval(records: list[ResponseRecord]) -> set[int]:
    """The drafts among ``records`` whose chief constable's response is written in full but
    not approved as it stands (never approved, or changed since): a chief officer's work.
    Three queries, however many records."""
    drafts = [r for r in records if not r.is_published]
    if not drafts:
        return set()
    inspections = {r.inspection_id for r in drafts}
    forces = {r.force_id for r in drafts}
    recs: dict[int, list] = {}
    for rec in Recommendation.objects.filter(
        inspection__in=inspections, addressee=Addressee.FORCES
    ).order_by("order"):
        recs.setdefault(rec.inspection_id, []).append(rec)
    answers = {
        (r.force_id, r.recommendation_id): r.chief_constable_response
        for r in Response.objects.filter(
            force__in=forces, recommendation__inspection__in=inspections
        ).only("force_id", "recommendation_id", "chief_constable_response")
    }
    waiting = set()
    for record in drafts:
        content = {
            "chief_constable": record.chief_constable_name,
            "chief_constable_response": record.chief_constable_response,
            "recommendations": [
                {"number": rec.number, "response": answers.get((record.force_id, rec.pk), "")}
                for rec in recs.get(record.inspection_id, [])
            ],
        }
        written = all(
            str(value).strip()
            for value in (
                content["chief_constable"],
                content["chief_constable_response"],
                *(r["response"] for r in content["recommendations"]),
            )
        )
        if written and not approval_is_current(record=record, content=content):
            waiting.add(record.pk)
    return waiting


# Writing ----------------------------------------------------------------------------------


@transaction.atomic
def save_record(
    *, force: Force, inspection: Inspection, by, fields: dict, rec_responses: dict[int, str]
) -> ResponseRecord:
    """Save the draft's sections and the chief constable's response to each recommendation."""
    record = get_record(force=force, inspection=inspection) or new_record(
        force=force, inspection=inspection
    )
    was_waiting = record.pk in awaiting_approval([record]) if record.pk else False
    if record.is_published:
        raise ValidationError(
            f"Published version {record.version} is frozen: start a new version to change it."
        )
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record._change_reason = audit_note(f"Version {record.version} edited by {display_name(by)}")
    record.save()
    for rec in inspection.recommendations.filter(pk__in=rec_responses, addressee=Addressee.FORCES):
        response = ensure_response(force=force, recommendation=rec)
        text = rec_responses[rec.pk]
        if response.chief_constable_response != text:
            response.chief_constable_response = text
            response._change_reason = audit_note(
                f"Chief constable's response edited by {display_name(by)}"
            )
            response.save()
    if not was_waiting and record.pk in awaiting_approval([record]):
        notify(
            by=by,
            recipients=holders(force=force, role=Role.CHIEF_OFFICER),
            force=force,
            action="approve_response_record",
            verb="response record awaiting approval",
            text=f"The chief constable's response in version {record.version} of the "
            f"response record to “{inspection.title}” ({force.name}) awaits your approval.",
            link=reverse(
                "recommendations:record",
                kwargs={"force_slug": force.slug, "inspection_slug": inspection.slug},
            ),
        )
    return record


@transaction.atomic
def approve_chief_constable_response(*, record: ResponseRecord, by) -> ResponseRecord:
    """A chief officer approves the chief constable's response in a draft, as it stands now.

    A later change to it (here or on a recommendation's page) undoes the approval.
    """
    if record.is_published:
        raise ValidationError(f"Version {record.version} is already published.")
    content = record_content(record=record)
    part = chief_constable_part(content)
    unwritten = [
        label
        for label in missing_sections(content=content)
        if label.startswith("the chief constable's")
    ]
    if unwritten:
        raise ValidationError("Before approving, complete " + "; ".join(unwritten) + ".")
    record.approved_by = by
    record.approved_at = timezone.now()
    record.approved_content = part
    record.full_clean()
    record._change_reason = audit_note(f"Chief constable's response approved by {display_name(by)}")
    record.save()
    return record


def publish_problems(*, record: ResponseRecord, content: dict) -> list[str]:
    """Why the draft cannot be published yet; empty when it can."""
    problems = []
    missing = missing_sections(content=content)
    if missing:
        problems.append("complete " + "; ".join(missing))
    if not record.approved_by_id:
        problems.append("ask a chief officer to approve the chief constable's response")
    elif not approval_is_current(record=record, content=content):
        problems.append(
            "ask a chief officer to approve the chief constable's response again: it has "
            f"changed since {display_name(record.approved_by)} approved it"
        )
    return problems


@transaction.atomic
def publish_record(*, record: ResponseRecord, by, version: int) -> ResponseRecord:
    """Publish the draft the user confirmed (``version``): its content is frozen as it stands."""
    record = ResponseRecord.objects.select_for_update().get(pk=record.pk)
    if record.is_published:
        raise ValidationError(f"Version {record.version} is already published.")
    if record.version != version:
        raise ValidationError(
            f"You confirmed version {version}, but the draft is now version {record.version}: "
            "read it and confirm again."
        )
    content = record_content(record=record)
    problems = publish_problems(record=record, content=content)
    if problems:
        raise ValidationError("Before publishing, " + "; and ".join(problems) + ".")
    record.state = ResponseRecord.State.PUBLISHED
    record.published_at = timezone.now()
    record.published_by = by
    record.snapshot = {
        **content,
        "state": ResponseRecord.State.PUBLISHED,
        "publication_date": timezone.localdate(record.published_at).isoformat(),
        "published_at": record.published_at.isoformat(),
        "published_by": display_name(by),
        "approved_by": display_name(record.approved_by),
        "approved_at": record.approved_at.isoformat(),
    }
    record.full_clean()
    record._change_reason = audit_note(f"Version {record.version} published by {display_name(by)}")
    record.save()
    force = record.force
    notify(
        by=by,
        recipients=[
            *holders(force=force, role=Role.PCC_STAFF),
            *holders(force=force, role=Role.SOTERIA_LEAD),
        ],
        force=force,
        action="view_recommendations",
        verb="response record published",
        text=f"{display_name(by)} published version {record.version} of the response record "
        f"to “{record.inspection.title}” ({force.name}).",
        link=record.get_absolute_url(),
    )
    return record


@transaction.atomic
def start_new_version(*, force: Force, inspection: Inspection, by) -> ResponseRecord:
    """A new draft version, a copy of the latest published one, which stays as published."""
    latest = record_versions(force=force, inspection=inspection).select_for_update().first()
    if latest is None or not latest.is_published:
        raise ValidationError("There is already a draft: edit it, or publish it first.")
    draft = ResponseRecord(
        force=force,
        inspection=inspection,
        version=latest.version + 1,
        **{name: getattr(latest, name) for name in SECTION_FIELDS},
    )
    draft.full_clean()
    draft._change_reason = audit_note(
        f"Version {draft.version} started from version {latest.version} by {display_name(by)}"
    )
    draft.save()
    return draft


# The Word file ------------------------------------------------------------------------------


def long_date(value: str) -> str:
    """'2024-08-22' → '22 August 2024'."""
    date = dt.date.fromisoformat(value)
    return f"{date.day} {date:%B %Y}"


def record_docx(*, content: dict) -> bytes:
    """The response record as a Word document, in the Staffordshire record's order.

    The heading and version lines; a table of Force, the commissioner, Chief Constable,
    Title of inspection, Published Date, Inspectorate, Summary of inspection, Grade and
    Recommendations; then Areas for improvement, the commissioner's initial response, the
    chief constable's response (overall, then each recommendation in full with its status and
    response) and the commissioner's overall comments.
    """
    import io

    from docx import Document
    from docx.shared import Pt

    commissioner = content["commissioner_title"]
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading("PCC and CC Force Inspection response record", level=1)
    doc.add_paragraph(f"Version: {content['version']}")
    if content["publication_date"]:
        doc.add_paragraph(f"Publication date: {long_date(content['publication_date'])}")
    else:
        doc.add_paragraph("Publication date: not yet published (DRAFT)")
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in (
        ("Force", content["force"]),
        (commissioner, content["pcc"]),
        ("Chief Constable", content["chief_constable"]),
        ("Title of inspection", content["title"]),
        ("Published Date", long_date(content["published"])),
        ("Inspectorate", content["inspectorate"]),
    ):
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value or ""
    cells = table.add_row().cells
    cells[0].text = "Summary of inspection"
    _cell_paragraphs(cells[1], content["summary"])
    cells = table.add_row().cells
    cells[0].text = "Grade"
    cells[1].text = content["grade"] or "Not graded"
    cells = table.add_row().cells
    cells[0].text = "Recommendations"
    cell = cells[1]
    if not content["recommendations"]:
        cell.text = "None addressed to forces."
    for n, rec in enumerate(content["recommendations"]):
        heading = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        heading.add_run(f"Recommendation {rec['number']}").bold = True
        _cell_paragraphs(cell, rec["text"], first_in_cell=False)
        if rec["status"]:
            cell.add_paragraph(f"Status: {rec['status']}")
    doc.add_heading("Areas for improvement", level=2)
    if content["areas_for_improvement"]:
        for area in content["areas_for_improvement"]:
            doc.add_paragraph(area, style="List Bullet")
    else:
        doc.add_paragraph("The inspection made no areas for improvement.")
    doc.add_heading(f"{commissioner}'s initial response", level=2)
    _paragraphs(doc, content["pcc_initial_response"])
    doc.add_heading("Chief Constable's response", level=2)
    _paragraphs(doc, content["chief_constable_response"])
    for rec in content["recommendations"]:
        lines = [line.strip() for line in rec["quoted"].split("\n") if line.strip()]
        quote = doc.add_paragraph()
        quote.add_run(f"Rec {rec['number']}: ").bold = True
        quote.add_run(lines[0] if lines else "").italic = True
        for line in lines[1:]:
            if line.startswith("- "):
                doc.add_paragraph(line[2:], style="List Bullet").runs[0].italic = True
            else:
                doc.add_paragraph().add_run(line).italic = True
        if rec["status"]:
            doc.add_paragraph(f"Status: {rec['status']}")
        _paragraphs(doc, rec["response"])
    doc.add_heading(f"{commissioner}'s overall comments", level=2)
    _paragraphs(doc, content["pcc_overall_comments"])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _paragraphs(doc, text: str) -> None:
    for para in (text or "").split("\n"):
        if para.strip().startswith("- "):
            doc.add_paragraph(para.strip()[2:], style="List Bullet")
        elif para.strip():
            doc.add_paragraph(para.strip())


def _cell_paragraphs(cell, text: str, *, first_in_cell: bool = True) -> None:
    """Paragraphs (and '- ' bullets) of text into a table cell."""
    lines = [line.strip() for line in (text or "").split("\n") if line.strip()]
    for n, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if first_in_cell and n == 0 else cell.add_paragraph()
        if line.startswith("- "):
            paragraph.style = "List Bullet"
            line = line[2:]
        paragraph.add_run(line)
