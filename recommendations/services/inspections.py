"""Inspections and their recommendations: reference data, reading, and adding through forms."""

import datetime as dt

from django.db.models import Max, Q, QuerySet
from django.utils.text import slugify

from soteria.models import Force
from soteria.services import read_fixture

from ..models import (
    Inspection,
    Recommendation,
)
from .common import audit_note, display_name


def load_inspections() -> dict[str, int]:
    """Load the inspections and recommendations in fixtures/inspections.json (idempotent)."""
    for row in read_fixture("inspections.json")["inspections"]:
        published = dt.date.fromisoformat(row["published"])
        inspection, _ = Inspection.objects.update_or_create(
            slug=row["slug"],
            force=None,
            defaults={
                "title": row["title"],
                "inspectorate": row["inspectorate"],
                "published": published,
                "summary": row["summary"],
                "url": row["url"],
                "areas_for_improvement": "\n\n".join(row.get("areas_for_improvement", [])),
            },
        )
        for order, rec in enumerate(row["recommendations"]):
            Recommendation.objects.update_or_create(
                inspection=inspection,
                number=rec["number"],
                defaults={
                    "order": order,
                    "text": rec["text"],
                    "deadline": deadline_for(
                        text=rec["text"],
                        deadline=dt.date.fromisoformat(rec["deadline"])
                        if rec["deadline"]
                        else None,
                        published=published,
                    ),
                    "addressee": rec["addressee"],
                    "addressee_detail": rec["addressee_detail"],
                },
            )
    return {
        "inspections": Inspection.objects.filter(force=None).count(),
        "recommendations": Recommendation.objects.filter(inspection__force=None).count(),
    }


def deadline_for(*, text: str, deadline: dt.date | None, published: dt.date) -> dt.date | None:
    """The date a recommendation is due. One the report says to act on "Immediately" was due
    when the report was published: without a date it would never be flagged overdue."""
    if deadline is None and text.lstrip().lower().startswith("immediately"):
        return published
    return deadline


def inspections_for(*, force: Force) -> QuerySet[Inspection]:
    """National inspections and those the force's own PCC office added."""
    return Inspection.objects.filter(Q(force__isnull=True) | Q(force=force))


def recommendations_for(*, force: Force) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(
        Q(inspection__force__isnull=True) | Q(inspection__force=force)
    ).select_related("inspection")


def create_inspection(*, by, force: Force | None, **fields) -> Inspection:
    """Add a national inspection (``force`` None) or one of the force's own.

    The slug is unique among the inspections its readers can see: for a force's own, the
    national ones and the force's; for a national one, every inspection. Other forces' private
    inspections never shape a force's slug, so a slug reveals nothing about them.
    """
    base = slugify(f"{fields['title'][:60]}-{fields['published']:%Y}")[:90] or "inspection"
    taken = Inspection.objects.all() if force is None else inspections_for(force=force)
    slug, n = base, 1
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    inspection = Inspection(slug=slug, force=force, created_by=by, **fields)
    inspection.full_clean()
    inspection._change_reason = audit_note(f"Added by {display_name(by)}")
    inspection.save()
    return inspection


def add_recommendation(*, inspection: Inspection, by, **fields) -> Recommendation:
    order = (inspection.recommendations.aggregate(m=Max("order"))["m"] or 0) + 1
    fields["deadline"] = deadline_for(
        text=fields.get("text", ""), deadline=fields.get("deadline"), published=inspection.published
    )
    rec = Recommendation(inspection=inspection, order=order, **fields)
    rec.full_clean()
    rec._change_reason = audit_note(f"Added by {display_name(by)}")
    rec.save()
    return rec
