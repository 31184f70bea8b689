"""Demo data (SYNTHETIC): a panel per demo force with members and two finalised meetings.

Runs after the imports loader, so dip-samples draw from the synthetic CrimeRecords
when there are any; without them the cases are entered by made-up references.
Idempotent: a force whose demo panel already has meetings is left alone. Meetings
are marked finalised directly (no snapshot recompute per meeting): the snapshot
loader runs last.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from soteria.access import can
from soteria.models import Force, Pillar
from soteria.periods import Period

from . import services
from .models import Action, CaseReview, LearningTheme, Meeting, OrganisationType, Panel

DEMO_PANEL = "RASSO NFA scrutiny panel (SYNTHETIC demo)"
MEMBERS = [
    ("Sam Demo-Chair", OrganisationType.POLICE, "Public Protection Unit"),
    ("Jo Demo-ISVA", OrganisationType.ISVA, "Synthetic Rape Crisis ISVA service"),
    ("Priya Demo-CPS", OrganisationType.CPS, "CPS RASSO unit"),
    ("Dr Alex Demo", OrganisationType.ACADEMIC, "Synthetic University"),
    ("Morgan Demo", OrganisationType.THIRD_SECTOR, "Synthetic Survivors' Trust"),
]
COMMENTS = {
    "sound": "The NFA decision was right and well reasoned.",
    "learning": "The decision stands, but the investigation could have been stronger.",
    "concerns": "The panel was not satisfied that every line of enquiry was followed.",
    "unsound": "The evidence did not support closing the case at that point.",
}
FINDINGS = [
    (
        "learning",
        "Early evidence was secured well but the suspect's previous reports were not linked.",
        ["repeat-suspect", "suspect-focus"],
    ),
    (
        "concerns",
        "Victim withdrew after four weeks without contact; no ISVA referral was recorded.",
        ["victim-engagement", "isva-referral", "victim-withdrawal"],
    ),
    (
        "sound",
        "Thorough, suspect-focused investigation; the decision and rationale were sound.",
        ["outcome-code"],
    ),
    (
        "learning",
        "A request for counselling notes was broader than needed; digital download took 5 months.",
        ["third-party-material", "digital-evidence", "timeliness"],
    ),
    (
        "unsound",
        "The rationale relied on the victim's delay in reporting; referred back for review.",
        ["myths-stereotypes", "supervision"],
    ),
    (
        "learning",
        "Early advice was not sought although the suspect was identified.",
        ["cps-early-advice"],
    ),
]


def load_demo_panels(*, forces: list[Force], seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    created = 0
    for force in forces:
        with transaction.atomic():
            panel, _ = Panel.objects.get_or_create(
                force=force,
                name=DEMO_PANEL,
                defaults={"remit": "Reviews RASSO cases closed with no further action, quarterly."},
            )
            if not panel.meetings.exists():
                _populate(panel=panel, rng=rng)
                created += 1
    return {
        "demo panels": Panel.objects.filter(name=DEMO_PANEL).count(),
        "demo panel meetings": Meeting.objects.filter(panel__name=DEMO_PANEL).count(),
    }


def _populate(*, panel: Panel, rng: random.Random) -> None:
    force = panel.force
    User = get_user_model()
    prefix = force.slug.split("-")[0][:5]
    chair_user = User.objects.filter(username=f"{prefix}-panel-member").first()
    isva_user = User.objects.filter(username=f"{prefix}-external-panel").first()
    accounts = {0: chair_user, 1: isva_user}  # the ISVA signs in as an external panel member
    if not panel.members.exists():
        for index, (name, kind, organisation) in enumerate(MEMBERS):
            services.add_member(
                panel=panel,
                by=chair_user,
                name=name,
                organisation_type=kind,
                organisation=organisation,
                user=accounts.get(index),
                is_chair=index == 0 and chair_user is not None,
            )
    members = list(panel.members.all())
    isva = next(m for m in members if m.organisation_type == OrganisationType.ISVA)
    owner = chair_user or next(
        (u for u in User.objects.filter(memberships__force=force) if can(u, "view_panels", force)),
        None,
    )
    themes = {t.slug: t for t in LearningTheme.objects.all()}
    pillars = {p.number: p for p in Pillar.objects.all()}
    latest = Period.latest_complete()
    findings = iter(FINDINGS * 2)
    for number, period in enumerate([latest.previous(), latest], start=1):
        meeting = services.create_meeting(
            panel=panel,
            by=chair_user,
            date=period.start + dt.timedelta(days=40),
            attendees=members,
            agenda="Review of the quarter's dip-sample and ISVA-proposed cases.",
        )
        sample = services.dip_sample(
            force=force, period=period.previous(), size=2, seed=rng.randrange(10_000)
        )
        cases = []
        if sample.draws:
            cases += services.add_drawn_cases(
                meeting=meeting,
                by=chair_user,
                sample=sample,
                record_ids=[d.record.pk for d in sample.draws],
            )
        while len(cases) < 3:
            proposed = len(cases) == len(sample.draws)
            cases.append(
                services.add_case(
                    meeting=meeting,
                    by=chair_user,
                    crime_reference=f"DEMO-{force.pk}-{number}-{len(cases)}",
                    selection=(
                        CaseReview.Selection.PROPOSED
                        if proposed
                        else CaseReview.Selection.MANDATORY
                    ),
                    proposed_by=isva if proposed else None,
                    criterion="" if proposed else CaseReview.Criterion.OUTCOME_16,
                    selection_note="SYNTHETIC demo case",
                    offence_code="19C",
                    outcome_type="16",
                )
            )
        for case in cases:
            judgement, text, slugs = next(findings)
            services.update_case(
                case=case,
                by=chair_user,
                judgement=judgement,
                judgement_comment=COMMENTS[judgement],
                findings=text,
                referred_back=judgement == "unsound",
                themes=[themes[s] for s in slugs if s in themes],
            )
        if owner is not None:
            first = services.raise_action(
                meeting=meeting,
                by=chair_user,
                title=f"Brief investigators on the meeting {number} learning (SYNTHETIC)",
                owner=owner,
                due_date=meeting.date + dt.timedelta(days=30 if number == 1 else 200),
                pillar=pillars[4],
                case=cases[0],
            )
            services.raise_action(
                meeting=meeting,
                by=chair_user,
                title=f"Check ISVA referrals in open cases (SYNTHETIC {number})",
                owner=owner,
                due_date=meeting.date + dt.timedelta(days=45),
                pillar=pillars[3],
                case=cases[1],
            )
            if number == 1:
                first.status = Action.Status.CLOSED
                first.closed_on = meeting.date + dt.timedelta(days=25)
                first.progress_note = "Briefing given at the team meeting (SYNTHETIC)."
                first.save()
        meeting.status = Meeting.Status.FINALISED
        meeting.finalised_at = timezone.now()
        meeting.finalised_by = chair_user
        meeting._change_reason = "Finalised (SYNTHETIC demo data)"
        meeting.save()
    # The next meeting, three weeks away: on the chair's and the members' "my work" pages.
    services.create_meeting(
        panel=panel,
        by=chair_user,
        date=timezone.localdate() + dt.timedelta(days=21),
        attendees=[],
        agenda="Review of the quarter's dip-sample and ISVA-proposed cases.",
    )
