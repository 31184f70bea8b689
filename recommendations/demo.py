"""Demo data: responses to the 2024 Soteria inspection for the demo forces.

SYNTHETIC DATA: every owner, action, update and evidence file here is made up
for the demo, and labelled so ("[Demo]", "SYNTHETIC"). It is idempotent: rows
are matched on natural keys, so `make run` can call it on every start.
"""

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from kpis.engine.models import Kpi
from soteria.models import Force, Membership, Pillar, Role
from soteria.periods import Period

from .models import (
    Action,
    ActionStatus,
    Addressee,
    Evidence,
    Inspection,
    ProgressUpdate,
    Rag,
    Response,
    ResponseRecord,
    Status,
)
from .services.page_links import add_page_link
from .services.records import approve_chief_constable_response

INSPECTION = "soteria-nom-2024"

# recommendation number -> the catalogue KPIs that show its progress
KPIS = {
    "3": ["accredited-investigators"],
    "5": ["repeat-suspect-share"],
    "7": ["bail-breaches-actioned", "repeat-suspect-share"],
    "9": ["s63g-applications"],
    "11": ["problem-profile", "charge-rate", "withdrawal-share", "victim-survey"],
}

# recommendation number -> the page linked as its evidence, for the latest complete quarter
PAGES = {"11": "problem-profile"}

# recommendation number -> (pillars, status, rag, actions)
PLAN = {
    "3": (
        [4],
        Status.IN_PROGRESS,
        Rag.AMBER,
        [
            "[Demo] Audit SSAIDP content for word-on-word cases",
            "[Demo] Schedule approved training for RASSO teams",
        ],
    ),
    "5": (
        [1, 2],
        Status.NOT_STARTED,
        Rag.AMBER,
        ["[Demo] Adopt the Joint Unit's repeat-suspect definition in the tactical meeting"],
    ),
    "7": (
        [1, 2, 5],
        Status.IN_PROGRESS,
        Rag.RED,
        ["[Demo] Weekly bail-breach tracking report", "[Demo] Orders training in RASSO CPD days"],
    ),
    "9": (
        [1, 2],
        Status.AWAITING_SIGN_OFF,
        Rag.GREEN,
        ["[Demo] Section 63G application process agreed with the working group"],
    ),
    "11": (
        [5],
        Status.IN_PROGRESS,
        Rag.GREEN,
        [
            "[Demo] RASSO problem profile completed",
            "[Demo] Flight deck in the performance framework",
        ],
    ),
}


def _demo_record(*, force: Force, inspection: Inspection, approve: bool) -> ResponseRecord:
    """A draft response record with the chief constable's response written in full: in the
    first demo force it awaits a chief officer's approval; in the other it is approved and
    waits for the PCC office to publish it."""
    for rec in inspection.recommendations.filter(addressee=Addressee.FORCES):
        response, _ = Response.objects.get_or_create(force=force, recommendation=rec)
        if not response.chief_constable_response:
            response.chief_constable_response = (
                f"[Demo] SYNTHETIC response: {force.name} accepts recommendation {rec.number}."
            )
            response.save()
    record = ResponseRecord.objects.create(
        force=force,
        inspection=inspection,
        version=1,
        summary=inspection.summary,
        pcc_name="[Demo] A. Commissioner",
        chief_constable_name="[Demo] B. Constable",
        chief_constable_response="[Demo] SYNTHETIC: every recommendation is in the force's "
        "improvement plan, reported monthly to the Soteria board.",
        pcc_initial_response=(
            "[Demo] SYNTHETIC: the PCC's office is involved in the delivery of Pillar 3 "
            "and will monitor progress on every recommendation."
        ),
    )
    chief = Membership.objects.filter(force=force, role=Role.CHIEF_OFFICER).first()
    if approve and chief is not None:
        approve_chief_constable_response(record=record, by=chief.user)
    return record


def _owners(force: Force) -> list:
    memberships = Membership.objects.filter(
        force=force, role__in=[Role.SOTERIA_LEAD, Role.PILLAR_LEAD]
    ).select_related("user")
    return [m.user for m in memberships]


def load_demo_responses(*, forces: list[Force], seed: int) -> dict[str, int]:
    inspection = Inspection.objects.filter(slug=INSPECTION, force=None).first()
    if inspection is None:
        return {}
    rng = random.Random(seed)
    today = timezone.localdate()
    pillars = {p.number: p for p in Pillar.objects.all()}
    created = 0
    for force in forces:
        owners = _owners(force)
        for rec in inspection.recommendations.filter(number__in=PLAN):
            pillar_numbers, status, rag, action_titles = PLAN[rec.number]
            response, made = Response.objects.get_or_create(
                force=force,
                recommendation=rec,
                defaults={
                    "status": status,
                    "rag": rag,
                    "owner": owners[0] if owners else None,
                    "planned_closedown": (rec.deadline or today) + dt.timedelta(days=60),
                    "chief_constable_response": (
                        f"[Demo] SYNTHETIC response: {force.name} has added recommendation "
                        f"{rec.number} to its improvement plan; progress is reported to the "
                        "monthly Soteria board."
                    ),
                },
            )
            if rec.number in PAGES:  # the generated profile, recommendation 11's evidence
                add_page_link(
                    response=response,
                    by=response.owner,
                    page=PAGES[rec.number],
                    period=Period.latest_complete().slug,
                )
            if not made:
                continue
            created += 1
            response.pillars.set([pillars[n] for n in pillar_numbers if n in pillars])
            response.kpis.set(Kpi.objects.filter(slug__in=KPIS.get(rec.number, [])))
            for i, title in enumerate(action_titles):
                Action.objects.get_or_create(
                    response=response,
                    title=title,
                    defaults={
                        "owner": rng.choice(owners) if owners else None,
                        "due_date": today + dt.timedelta(days=rng.choice([-20, 5, 7, 30, 75]) + i),
                        "status": ActionStatus.IN_PROGRESS,
                    },
                )
            if status == Status.NOT_STARTED:
                continue
            update, _ = ProgressUpdate.objects.get_or_create(
                response=response,
                text=f"[Demo] SYNTHETIC progress on recommendation {rec.number}: work under way.",
                defaults={"date": today - dt.timedelta(days=rng.randint(10, 120))},
            )
            if status == Status.AWAITING_SIGN_OFF and not update.evidence.exists():
                evidence = Evidence(update=update, original_name="demo-evidence-SYNTHETIC.txt")
                evidence.file.save(
                    "demo-evidence-SYNTHETIC.txt",
                    ContentFile(b"SYNTHETIC demo evidence: not a real document.\n"),
                    save=False,
                )
                evidence.save()
        if not ResponseRecord.objects.filter(force=force, inspection=inspection).exists():
            _demo_record(force=force, inspection=inspection, approve=force != forces[0])
    return {"recommendation responses (demo)": created}
