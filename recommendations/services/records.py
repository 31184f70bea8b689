"""The inspection response record (Staffordshire layout): drafts, publishing, the Word file."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from soteria.models import Force

from ..models import (
    Addressee,
    Inspection,
    Response,
    ResponseRecord,
)
from .common import audit_note, display_name
from .responses import ensure_response


def get_record(*, force: Force, inspection: Inspection) -> ResponseRecord | None:
    return ResponseRecord.objects.filter(force=force, inspection=inspection).first()


def new_record(*, force: Force, inspection: Inspection) -> ResponseRecord:
    """An unsaved draft prefilled from the inspection."""
    return ResponseRecord(
        force=force,
        inspection=inspection,
        summary=inspection.summary,
        areas_for_improvement=inspection.areas_for_improvement,
    )


@transaction.atomic
def save_record(
    *, force: Force, inspection: Inspection, by, fields: dict, rec_responses: dict[int, str]
) -> ResponseRecord:
    """Save the draft's sections and the chief constable's response to each recommendation."""
    record = get_record(force=force, inspection=inspection) or new_record(
        force=force, inspection=inspection
    )
    if record.is_published:
        raise ValidationError("The published response record is frozen and cannot be edited.")
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record._change_reason = audit_note(f"Edited by {display_name(by)}")
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
    return record


def record_content(*, record: ResponseRecord) -> dict:
    """The record's content in the Staffordshire layout, from live data (or the frozen snapshot)."""
    if record.is_published and record.snapshot:
        return record.snapshot
    inspection = record.inspection
    responses = {
        r.recommendation_id: r.chief_constable_response
        for r in Response.objects.filter(force=record.force, recommendation__inspection=inspection)
    }
    recs = inspection.recommendations.filter(addressee=Addressee.FORCES).order_by("order")
    return {
        "force": record.force.name,
        "pcc": record.pcc_name,
        "chief_constable": record.chief_constable_name,
        "title": inspection.title,
        "published": inspection.published.isoformat(),
        "inspectorate": inspection.inspectorate,
        "url": inspection.url,
        "summary": record.summary,
        "recommendations": [
            {
                "number": r.number,
                "text": r.text,
                "deadline": r.deadline.isoformat() if r.deadline else "",
                "response": responses.get(r.pk, ""),
            }
            for r in recs
        ],
        "areas_for_improvement": [
            p.strip() for p in record.areas_for_improvement.split("\n\n") if p.strip()
        ],
        "pcc_initial_response": record.pcc_initial_response,
        "chief_constable_response": record.chief_constable_response,
        "pcc_overall_comments": record.pcc_overall_comments,
    }


def missing_sections(*, content: dict) -> list[str]:
    missing = [
        label
        for key, label in (
            ("pcc", "the police and crime commissioner's name"),
            ("chief_constable", "the chief constable's name"),
            ("pcc_initial_response", "the PCC's initial response"),
            ("chief_constable_response", "the chief constable's response"),
            ("pcc_overall_comments", "the PCC's overall comments"),
        )
        if not str(content.get(key, "")).strip()
    ]
    missing += [
        f"the chief constable's response to recommendation {r['number']}"
        for r in content["recommendations"]
        if not r["response"].strip()
    ]
    return missing


@transaction.atomic
def publish_record(*, record: ResponseRecord, by) -> ResponseRecord:
    """Publish the draft: its content is frozen as it stands now."""
    if record.is_published:
        raise ValidationError("This response record is already published.")
    content = record_content(record=record)
    missing = missing_sections(content=content)
    if missing:
        raise ValidationError("Before publishing, complete " + "; ".join(missing) + ".")
    record.snapshot = {**content, "published_by": display_name(by)}
    record.state = ResponseRecord.State.PUBLISHED
    record.published_at = timezone.now()
    record.published_by = by
    record.full_clean()
    record._change_reason = audit_note(f"Published by {display_name(by)}")
    record.save()
    record.snapshot["published_at"] = record.published_at.isoformat()
    record.save(update_fields=["snapshot"])
    return record


def record_docx(*, content: dict, state: str) -> bytes:
    """The response record as a Word document, in the Staffordshire layout."""
    import io

    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading("PCC and CC Force Inspection response record", level=1)
    if state != ResponseRecord.State.PUBLISHED:
        doc.add_paragraph("DRAFT – not yet published")
    published = dt.date.fromisoformat(content["published"])
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in (
        ("Force", content["force"]),
        ("Police and Crime Commissioner", content["pcc"]),
        ("Chief Constable", content["chief_constable"]),
        ("Title of inspection", content["title"]),
        ("Published Date", f"{published.day} {published:%B %Y}"),
        ("Inspectorate", content["inspectorate"]),
    ):
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value or ""
    doc.add_heading("Summary of inspection", level=2)
    _paragraphs(doc, content["summary"])
    doc.add_heading("Recommendations", level=2)
    for rec in content["recommendations"]:
        doc.add_paragraph(f"Recommendation {rec['number']}", style="Heading 3")
        _paragraphs(doc, rec["text"])
    doc.add_heading("Areas for improvement", level=2)
    if content["areas_for_improvement"]:
        for area in content["areas_for_improvement"]:
            doc.add_paragraph(area, style="List Bullet")
    else:
        doc.add_paragraph("The inspection made no areas for improvement.")
    doc.add_heading("Police and Crime Commissioner's initial response", level=2)
    _paragraphs(doc, content["pcc_initial_response"])
    doc.add_heading("Chief Constable's response", level=2)
    _paragraphs(doc, content["chief_constable_response"])
    for rec in content["recommendations"]:
        doc.add_paragraph(f"Rec {rec['number']}", style="Heading 3")
        _paragraphs(doc, rec["response"])
    doc.add_heading("Police and Crime Commissioner's overall comments", level=2)
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
