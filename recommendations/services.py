"""Recommendation tracking: loading inspections, the register and its flags, closure by
evidence, sign-off, links to KPIs and other apps' records, and the response record.

Every function takes keyword arguments; views, tasks and commands call them the same way.
Callers have already checked access (soteria.access); the read functions that list other
apps' records take the viewer and scope through soteria.access themselves.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Model, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from soteria.access import scoped
from soteria.models import Force, Membership, Pillar
from soteria.services import read_fixture

from .models import (
    CLOSED_STATUSES,
    Action,
    ActionStatus,
    Addressee,
    Evidence,
    Inspection,
    Link,
    ProgressUpdate,
    Recommendation,
    Response,
    ResponseRecord,
    Status,
)

STALE_AFTER_DAYS = 90
EVIDENCE_MAX_AGE_DAYS = 365
DUE_SOON_DAYS = 30
REMINDER_DAYS = 7


def display_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


# Reference data -------------------------------------------------------------------------


def load_inspections() -> dict[str, int]:
    """Load the inspections and recommendations in fixtures/inspections.json (idempotent)."""
    for row in read_fixture("inspections.json")["inspections"]:
        inspection, _ = Inspection.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "title": row["title"],
                "inspectorate": row["inspectorate"],
                "published": dt.date.fromisoformat(row["published"]),
                "summary": row["summary"],
                "url": row["url"],
                "areas_for_improvement": "\n\n".join(row.get("areas_for_improvement", [])),
                "force": None,
            },
        )
        for order, rec in enumerate(row["recommendations"]):
            Recommendation.objects.update_or_create(
                inspection=inspection,
                number=rec["number"],
                defaults={
                    "order": order,
                    "text": rec["text"],
                    "deadline": dt.date.fromisoformat(rec["deadline"]) if rec["deadline"] else None,
                    "addressee": rec["addressee"],
                    "addressee_detail": rec["addressee_detail"],
                },
            )
    return {
        "inspections": Inspection.objects.filter(force=None).count(),
        "recommendations": Recommendation.objects.filter(inspection__force=None).count(),
    }


# Reading ----------------------------------------------------------------------------------


def inspections_for(*, force: Force) -> QuerySet[Inspection]:
    """National inspections and those the force's own PCC office added."""
    return Inspection.objects.filter(Q(force__isnull=True) | Q(force=force))


def recommendations_for(*, force: Force) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(
        Q(inspection__force__isnull=True) | Q(inspection__force=force)
    ).select_related("inspection")


def force_members(*, force: Force):
    """Users who belong to the force: the people an owner can be chosen from."""
    from django.contrib.auth import get_user_model

    ids = Membership.objects.filter(force=force).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def has_evidence(*, response: Response) -> bool:
    return Evidence.objects.filter(update__response=response).exists()


def action_has_evidence(*, action: Action) -> bool:
    return Evidence.objects.filter(update__action=action).exists()


@dataclass
class Flag:
    code: str
    label: str


@dataclass
class RegisterRow:
    recommendation: Recommendation
    response: Response | None
    status: str
    status_label: str
    pillars: list[Pillar]
    owner: object
    target_date: dt.date | None
    last_update: dt.date | None
    latest_evidence: dt.date | None
    evidence_count: int
    flags: list[Flag] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def flag_codes(self) -> set[str]:
        return {f.code for f in self.flags}


FLAG_LABELS = {
    "no-evidence": "Complete without evidence",
    "overdue": "Past deadline",
    "stale": f"No update for {STALE_AFTER_DAYS} days",
    "old-evidence": "Evidence older than 12 months",
}


def row_flags(
    *,
    status: str,
    deadline: dt.date | None,
    last_activity: dt.date,
    latest_evidence: dt.date | None,
    evidence_count: int,
    today: dt.date,
) -> list[Flag]:
    """What the PCC office must look at: closed without evidence, late, quiet, stale evidence."""
    flags = []
    is_open = status not in CLOSED_STATUSES
    if status == Status.COMPLETE and not evidence_count:
        flags.append(Flag("no-evidence", FLAG_LABELS["no-evidence"]))
    if is_open and deadline and deadline < today:
        flags.append(Flag("overdue", FLAG_LABELS["overdue"]))
    if is_open and (today - last_activity).days > STALE_AFTER_DAYS:
        flags.append(Flag("stale", FLAG_LABELS["stale"]))
    if latest_evidence and (today - latest_evidence).days > EVIDENCE_MAX_AGE_DAYS:
        flags.append(Flag("old-evidence", FLAG_LABELS["old-evidence"]))
    return flags


def annotated_responses(*, force: Force) -> QuerySet[Response]:
    return (
        Response.objects.filter(force=force)
        .select_related("owner", "recommendation__inspection", "signed_off_by")
        .prefetch_related("pillars")
        .annotate(
            last_update=Max("updates__date"),
            latest_evidence=Max("updates__date", filter=Q(updates__evidence__isnull=False)),
            evidence_count=Count("updates__evidence", distinct=True),
        )
    )


def register_rows(
    *,
    force: Force,
    today: dt.date,
    inspection: Inspection | None = None,
    pillar: Pillar | None = None,
    owner=None,
    status: str = "",
) -> list[RegisterRow]:
    """Every recommendation addressed to forces, with the force's response and its flags."""
    recs = recommendations_for(force=force).filter(addressee=Addressee.FORCES)
    if inspection is not None:
        recs = recs.filter(inspection=inspection)
    responses = {r.recommendation_id: r for r in annotated_responses(force=force)}
    rows = []
    for rec in recs.order_by("-inspection__published", "inspection_id", "order"):
        response = responses.get(rec.pk)
        row_status = response.status if response else Status.NOT_STARTED
        pillars = list(response.pillars.all()) if response else []
        if status and row_status != status:
            continue
        if pillar is not None and pillar not in pillars:
            continue
        if owner is not None and (response is None or response.owner_id != owner.pk):
            continue
        last_update = response.last_update if response else None
        if last_update:
            last_activity = last_update
        elif response:
            last_activity = timezone.localdate(response.created_at)
        else:
            last_activity = rec.inspection.published
        latest_evidence = response.latest_evidence if response else None
        evidence_count = response.evidence_count if response else 0
        rows.append(
            RegisterRow(
                recommendation=rec,
                response=response,
                status=row_status,
                status_label=Status(row_status).label,
                pillars=pillars,
                owner=response.owner if response else None,
                target_date=(response.planned_closedown if response else None) or rec.deadline,
                last_update=last_update,
                latest_evidence=latest_evidence,
                evidence_count=evidence_count,
                flags=row_flags(
                    status=row_status,
                    deadline=rec.deadline,
                    last_activity=last_activity,
                    latest_evidence=latest_evidence,
                    evidence_count=evidence_count,
                    today=today,
                ),
            )
        )
    return rows


def status_counts(rows: list[RegisterRow]) -> list[tuple[str, str, int]]:
    counts = {s: 0 for s in Status.values}
    for row in rows:
        counts[row.status] += 1
    return [(s, Status(s).label, counts[s]) for s in Status.values]


def due_lists(*, rows: list[RegisterRow], force: Force, today: dt.date) -> dict[str, list]:
    """Overdue and due-soon recommendations (by planned closedown or deadline) and actions."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    open_rows = [r for r in rows if r.is_open and r.target_date]
    actions = list(
        Action.objects.filter(
            response__force=force,
            status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS],
            due_date__lte=soon,
        )
        .select_related("owner", "response__recommendation__inspection")
        .order_by("due_date")
    )
    return {
        "overdue": sorted((r for r in open_rows if r.target_date < today), key=_target),
        "due_soon": sorted((r for r in open_rows if today <= r.target_date <= soon), key=_target),
        "overdue_actions": [a for a in actions if a.due_date < today],
        "due_soon_actions": [a for a in actions if a.due_date >= today],
    }


def _target(row: RegisterRow):
    return row.target_date


def national_recommendations(*, force: Force) -> QuerySet[Recommendation]:
    """Recommendations to national bodies, followed for information."""
    return (
        recommendations_for(force=force)
        .filter(addressee=Addressee.NATIONAL)
        .order_by("-inspection__published", "inspection_id", "order")
    )


# Changing the register ------------------------------------------------------------------


def get_response(*, force: Force, recommendation: Recommendation) -> Response | None:
    return Response.objects.filter(force=force, recommendation=recommendation).first()


def ensure_response(*, force: Force, recommendation: Recommendation) -> Response:
    if not recommendation.for_forces:
        raise ValidationError(
            "This recommendation is addressed to a national body: it is followed for information."
        )
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
    chief_constable_response: str,
) -> Response:
    """Edit a response's plan. Completion goes through ``sign_off`` only."""
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
    response.chief_constable_response = chief_constable_response
    response.full_clean()
    reason = f"Edited by {display_name(by)}"
    pillars = list(pillars)
    old = set(response.pillars.values_list("pk", flat=True)) if response.pk else set()
    if old != {p.pk for p in pillars}:
        names = ", ".join(f"Pillar {p.number}" for p in sorted(pillars, key=lambda p: p.number))
        reason += f"; pillars now: {names or 'none'}"
    response._change_reason = reason
    response.save()
    response.pillars.set(pillars)
    return response


@transaction.atomic
def sign_off(*, response: Response, by, note: str = "") -> Response:
    """A chief officer signs the recommendation off as complete; refused without evidence."""
    if response.status == Status.COMPLETE:
        raise ValidationError("This recommendation is already signed off.")
    if not has_evidence(response=response):
        raise ValidationError(
            "It cannot be marked complete without evidence: add a progress update with "
            "the evidence attached first."
        )
    response.status = Status.COMPLETE
    response.signed_off_by = by
    response.signed_off_at = timezone.now()
    response.sign_off_note = note
    response.full_clean()
    reason = f"Signed off as complete by {display_name(by)}"
    response._change_reason = f"{reason}: {note}" if note else reason
    response.save()
    return response


@transaction.atomic
def reopen(*, response: Response, by, reason: str) -> Response:
    if response.status != Status.COMPLETE:
        raise ValidationError("Only a completed recommendation can be reopened.")
    response.status = Status.IN_PROGRESS
    response.signed_off_by = None
    response.signed_off_at = None
    response.sign_off_note = ""
    response._change_reason = f"Reopened by {display_name(by)}: {reason}"
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
    response._change_reason = f"Linked KPIs set by {display_name(by)}: {names}"
    response.save()
    return response


@transaction.atomic
def add_action(*, response: Response, by, title: str, owner, due_date: dt.date) -> Action:
    action = Action(response=response, title=title, owner=owner, due_date=due_date)
    action.full_clean()
    action._change_reason = f"Added by {display_name(by)}"
    action.save()
    if response.status == Status.NOT_STARTED:
        response.status = Status.IN_PROGRESS
        response._change_reason = "Work started: first action added"
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
        action._change_reason = f"Marked complete by {display_name(by)}"
    elif status != ActionStatus.COMPLETE:
        action.completed_by = None
        action.completed_at = None
        action._change_reason = f"Edited by {display_name(by)}"
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
        response._change_reason = "Work started: first progress update"
        response.save()
    if action is not None and action.status == ActionStatus.NOT_STARTED:
        action.status = ActionStatus.IN_PROGRESS
        action._change_reason = "Work started: first progress update"
        action.save()
    return update


# Links to other apps' records -----------------------------------------------------------


def linkable_models() -> list[type[Model]]:
    """The models named in settings that are installed; an absent one is skipped."""
    models = []
    for label in getattr(settings, "RECOMMENDATION_LINKABLE_MODELS", []):
        try:
            models.append(apps.get_model(label))
        except (LookupError, ValueError):
            continue
    return models


def _force_path(model: type[Model]) -> str:
    return getattr(model, "FORCE_FIELD", "force")


def link_choices(*, user, force: Force) -> list[tuple[str, str]]:
    """Records the user may see in this force, as (value, label) pairs: "<ct id>:<pk>"."""
    choices = []
    for model in linkable_models():
        ct = ContentType.objects.get_for_model(model)
        qs = scoped(model.objects.all(), user, "view").filter(**{_force_path(model): force})
        for obj in qs[:500]:
            choices.append((f"{ct.pk}:{obj.pk}", f"{model._meta.verbose_name.capitalize()}: {obj}"))
    return choices


@transaction.atomic
def add_link(*, response: Response, by, value: str) -> Link:
    """Link the response to a record the user may see in the response's force."""
    allowed = dict(link_choices(user=by, force=response.force))
    if value not in allowed:
        raise ValidationError({"target": "Choose a record from your force."})
    ct_id, object_id = (int(part) for part in value.split(":"))
    link, created = Link.objects.get_or_create(
        response=response,
        content_type_id=ct_id,
        object_id=object_id,
        defaults={"added_by": by},
    )
    if created:
        response._change_reason = f"Linked to {allowed[value]} by {display_name(by)}"
        response.save()
    return link


@transaction.atomic
def remove_link(*, link: Link, by) -> None:
    response = link.response
    label = str(link.target) if link.target is not None else str(link)
    link.delete()
    response._change_reason = f"Link to {label} removed by {display_name(by)}"
    response.save()


@dataclass
class LinkedRecord:
    link: Link
    label: str
    url: str
    due_date: dt.date | None
    status: str
    is_open: bool | None
    is_overdue: bool | None
    available: bool


def linked_records(*, response: Response, user) -> list[LinkedRecord]:
    """The response's links, each resolved only if the model exists and the user may see it."""
    allowed_models = {m._meta.label_lower for m in linkable_models()}
    rows = []
    for link in response.links.select_related("content_type"):
        model = link.content_type.model_class()
        obj = None
        if model is not None and model._meta.label_lower in allowed_models:
            obj = (
                scoped(model.objects.all(), user, "view")
                .filter(**{_force_path(model): response.force}, pk=link.object_id)
                .first()
            )
        if obj is None:
            rows.append(
                LinkedRecord(
                    link,
                    "A linked record that is no longer available",
                    "",
                    None,
                    "",
                    None,
                    None,
                    False,
                )
            )
            continue
        overdue = getattr(obj, "is_overdue", None)
        if callable(overdue):
            try:
                overdue = overdue()
            except TypeError:
                overdue = overdue(timezone.localdate())
        status_display = getattr(obj, "get_status_display", None)
        rows.append(
            LinkedRecord(
                link=link,
                label=f"{model._meta.verbose_name.capitalize()}: {obj}",
                url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
                due_date=getattr(obj, "due_date", None),
                status=status_display() if callable(status_display) else "",
                is_open=getattr(obj, "is_open", None),
                is_overdue=overdue,
                available=True,
            )
        )
    return rows


# KPI values, read from snapshots ---------------------------------------------------------


@dataclass
class KpiTrend:
    kpi: object
    latest_period: str = ""
    latest_value: str = ""
    points: list[tuple[str, float]] = field(default_factory=list)
    sparkline: str = ""  # SVG polyline points
    url: str = ""


def format_value(*, kpi, snapshot) -> str:
    if snapshot.suppressed:
        return "suppressed"
    if snapshot.value is None:
        return snapshot.get_status_display()
    if kpi.unit == "percent":
        value = snapshot.value
        if snapshot.denominator:
            value = 100 * (snapshot.numerator or 0) / snapshot.denominator
        return f"{value:.1f}%"
    if kpi.unit == "days":
        return f"{snapshot.value:.0f} days"
    if kpi.unit == "date":
        return _date_value(snapshot.value)
    if kpi.unit == "yesno":
        return "Yes" if snapshot.value else "No"
    if float(snapshot.value).is_integer():
        return f"{snapshot.value:,.0f}"
    return f"{snapshot.value:,.2f}"


def _date_value(value: float) -> str:
    """A date KPI's value: a proleptic ordinal or a Unix timestamp, shown as a date."""
    if 700_000 < value < 800_000:
        return f"{dt.date.fromordinal(int(value)):%d %b %Y}"
    if value > 1e8:
        return f"{dt.datetime.fromtimestamp(value, tz=dt.UTC):%d %b %Y}"
    return f"{value:,.0f}"


def sparkline_points(values: list[float], *, width: int = 120, height: int = 30) -> str:
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    return " ".join(
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
    )


def _period_label(slug: str) -> str:
    from soteria.periods import Period

    try:
        return Period.parse(slug).label
    except ValueError:
        return slug


def kpi_trends(*, force: Force, kpis: list) -> list[KpiTrend]:
    """Each linked KPI's latest value and its trend, from the stored snapshots only."""
    from django.urls import NoReverseMatch, reverse

    from kpis.models import KpiSnapshot

    snapshots: dict[int, list] = {}
    for snap in KpiSnapshot.objects.filter(force=force, kpi__in=kpis, offence_group="all").order_by(
        "period"
    ):
        snapshots.setdefault(snap.kpi_id, []).append(snap)
    trends = []
    for kpi in kpis:
        trend = KpiTrend(kpi=kpi)
        try:
            trend.url = reverse(
                "kpis:kpi-detail", kwargs={"force_slug": force.slug, "kpi_slug": kpi.slug}
            )
        except NoReverseMatch:
            trend.url = ""
        rows = snapshots.get(kpi.pk, [])
        if rows:
            latest = rows[-1]
            trend.latest_period = _period_label(latest.period)
            trend.latest_value = format_value(kpi=kpi, snapshot=latest)
            trend.points = [
                (_period_label(s.period), s.value)
                for s in rows
                if s.value is not None and not s.suppressed
            ]
            trend.sparkline = sparkline_points([v for _, v in trend.points])
        trends.append(trend)
    return trends


# Inspections added through forms --------------------------------------------------------


def create_inspection(*, by, force: Force | None, **fields) -> Inspection:
    base = slugify(f"{fields['title'][:60]}-{fields['published']:%Y}")[:90] or "inspection"
    slug, n = base, 1
    while Inspection.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    inspection = Inspection(slug=slug, force=force, created_by=by, **fields)
    inspection.full_clean()
    inspection._change_reason = f"Added by {display_name(by)}"
    inspection.save()
    return inspection


def add_recommendation(*, inspection: Inspection, by, **fields) -> Recommendation:
    order = (inspection.recommendations.aggregate(m=Max("order"))["m"] or 0) + 1
    rec = Recommendation(inspection=inspection, order=order, **fields)
    rec.full_clean()
    rec._change_reason = f"Added by {display_name(by)}"
    rec.save()
    return rec


# The inspection response record ---------------------------------------------------------


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
    record._change_reason = f"Edited by {display_name(by)}"
    record.save()
    for rec in inspection.recommendations.filter(pk__in=rec_responses, addressee=Addressee.FORCES):
        response = ensure_response(force=force, recommendation=rec)
        text = rec_responses[rec.pk]
        if response.chief_constable_response != text:
            response.chief_constable_response = text
            response._change_reason = f"Chief constable's response edited by {display_name(by)}"
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
    record._change_reason = f"Published by {display_name(by)}"
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


# Exports ----------------------------------------------------------------------------------

EXPORT_HEADER = [
    "Inspection",
    "Published",
    "Recommendation",
    "Text",
    "Deadline",
    "Owner",
    "Pillars",
    "Status",
    "RAG",
    "Planned closedown",
    "Last update",
    "Evidence files",
    "Latest evidence",
    "Flags",
]


def export_rows(rows: list[RegisterRow]) -> list[list]:
    out = []
    for row in rows:
        rec, response = row.recommendation, row.response
        out.append(
            [
                rec.inspection.title,
                rec.inspection.published,
                rec.number,
                rec.text,
                rec.deadline,
                display_name(row.owner),
                "; ".join(f"Pillar {p.number}" for p in row.pillars),
                row.status_label,
                response.get_rag_display() if response else "",
                response.planned_closedown if response else None,
                row.last_update,
                row.evidence_count,
                row.latest_evidence,
                "; ".join(f.label for f in row.flags),
            ]
        )
    return out


def register_xlsx(rows: list[RegisterRow], *, force: Force) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Recommendations"
    ws.append(EXPORT_HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in export_rows(rows):
        ws.append(values)
    for column, width in zip(
        "ABCDEFGHIJKLMN", (40, 12, 8, 60, 12, 20, 20, 16, 8, 14, 12, 8, 14, 30), strict=True
    ):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.properties.title = f"{force.name}: HMICFRS recommendations register"
    wb.save(buffer)
    return buffer.getvalue()


# Reminders --------------------------------------------------------------------------------


def send_action_reminders(*, today: dt.date) -> int:
    """E-mail each action owner about their open actions due in 7 days or overdue.

    Only actions in a force where the owner may still see recommendations.
    """
    from soteria.access import can
    from soteria.notify import send_notice

    due = today + dt.timedelta(days=REMINDER_DAYS)
    actions = (
        Action.objects.filter(
            status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS],
            owner__isnull=False,
        )
        .filter(Q(due_date=due) | Q(due_date__lt=today))
        .select_related("owner", "response__force", "response__recommendation__inspection")
        .order_by("due_date")
    )
    by_owner: dict[int, list[Action]] = {}
    for action in actions:
        if can(action.owner, "view_recommendations", action.response.force):
            by_owner.setdefault(action.owner_id, []).append(action)
    sent = 0
    for owned in by_owner.values():
        owner = owned[0].owner
        overdue = [a for a in owned if a.due_date < today]
        due_soon = [a for a in owned if a.due_date == due]
        sent += send_notice(
            user=owner,
            subject=f"{len(owned)} improvement action{'s' if len(owned) != 1 else ''} need your update",
            template="email/recommendation_action_reminder.txt",
            context={"overdue": overdue, "due_soon": due_soon, "today": today},
        )
    return sent


def send_weekly_digests(*, today: dt.date) -> int:
    """E-mail PCC office staff a digest of their own force's register."""
    from soteria.access import can
    from soteria.models import Role
    from soteria.notify import send_notice

    sent = 0
    memberships = (
        Membership.objects.filter(role=Role.PCC_STAFF, force__isnull=False, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "force")
    )
    rows_by_force: dict[int, tuple] = {}
    for membership in memberships:
        force, user = membership.force, membership.user
        if not can(user, "view_recommendations", force):
            continue
        if force.pk not in rows_by_force:
            rows = register_rows(force=force, today=today)
            rows_by_force[force.pk] = (rows, due_lists(rows=rows, force=force, today=today))
        rows, lists = rows_by_force[force.pk]
        flagged = [r for r in rows if r.flags]
        sent += send_notice(
            user=user,
            subject=f"Weekly recommendations digest: {force.name}",
            template="email/recommendation_digest.txt",
            context={
                "force": force,
                "counts": status_counts(rows),
                "flagged": flagged,
                "today": today,
                **lists,
            },
        )
    return sent
