"""Panel services: recording meetings and cases, the dip-sample, actions, KPIs, reminders.

Views, tasks and the demo loader all call these. Who may do what: recording needs
``record_panel`` in the force (checked by the views through soteria.access);
finalising and reopening need ``finalise_panel`` *and* the chair of that panel,
checked here because chair-ship is per panel.
"""

import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from kpis.engine.models import CrimeRecord, OutcomeType
from kpis.engine.snapshots import KpiResult
from soteria.access import can, is_national_admin
from soteria.models import Force, Pillar
from soteria.notify import send_notice
from soteria.periods import Period
from soteria.pseudonym import pseudonymise
from soteria.services import read_fixture

from .models import (
    Action,
    CaseReview,
    LearningTheme,
    Meeting,
    OrganisationType,
    Panel,
    PanelMember,
)

# Outcomes that count as "closed with no further action" for the dip-sample: every
# outcome type whose role is NFA (5, 9–13, 15, 17, 18, 21) and the victim-withdrawal
# outcomes 14 and 16. Charges, out-of-court and transfers are not NFA.
NFA_ROLES = (OutcomeType.Role.NFA, OutcomeType.Role.WITHDRAWAL)
REPEAT_SUSPECT_REPORTS = 2  # named in this many reports or more


# Reference data ------------------------------------------------------------


def load_learning_themes() -> dict[str, int]:
    """The initial learning-theme taxonomy (fixtures/panel_learning_themes.json); idempotent.

    Themes an administrator added in admin are left alone.
    """
    pillars = {p.number: p for p in Pillar.objects.all()}
    for order, row in enumerate(read_fixture("panel_learning_themes.json")["themes"]):
        LearningTheme.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "description": row["description"],
                "pillar": pillars.get(row.get("pillar")),
                "order": order,
            },
        )
    return {"learning themes": LearningTheme.objects.count()}


# Who may do what -------------------------------------------------------------


def is_chair(*, user, panel: Panel) -> bool:
    return panel.members.filter(user=user, is_chair=True, active=True).exists()


def may_finalise(*, user, meeting: Meeting) -> bool:
    """Chairs finalise their own panel's meetings; a national administrator may too."""
    if is_national_admin(user):
        return True
    return can(user, "finalise_panel", meeting.panel.force) and is_chair(
        user=user, panel=meeting.panel
    )


def _require_chair(*, user, meeting: Meeting) -> None:
    if not may_finalise(user=user, meeting=meeting):
        raise PermissionDenied("Only the chair of this panel may finalise or reopen its meetings.")


def _require_draft(meeting: Meeting) -> None:
    if meeting.is_finalised:
        raise ValidationError(
            "This meeting's record is finalised and locked. The chair must reopen it to correct it."
        )


# Panels and meetings -----------------------------------------------------------


def create_panel(*, force: Force, name: str, remit: str = "") -> Panel:
    panel = Panel(force=force, name=name, remit=remit)
    panel.full_clean()
    panel.save()
    return panel


def add_member(
    *,
    panel: Panel,
    name: str,
    organisation_type: str,
    organisation: str = "",
    user=None,
    is_chair: bool = False,
) -> PanelMember:
    """Seat a member; a new chair takes over from the old one."""
    if is_chair and user is None:
        raise ValidationError({"user": "A chair needs an account, to sign in and finalise."})
    if user is not None and not can(user, "view_panels", panel.force):
        raise ValidationError({"user": "That account cannot see this force's panels."})
    member = PanelMember(
        panel=panel,
        name=name,
        organisation_type=organisation_type,
        organisation=organisation,
        user=user,
        is_chair=is_chair,
    )
    with transaction.atomic():
        if is_chair:
            for old in panel.members.filter(is_chair=True):
                old.is_chair = False
                old._change_reason = f"Chair handed over to {name}"
                old.save()
        member.full_clean()
        member.save()
    return member


def update_member(*, member: PanelMember, **fields) -> PanelMember:
    """Change a seat; making someone chair hands the chair over, a former member cannot chair."""
    for name, value in fields.items():
        setattr(member, name, value)
    if member.is_chair and (member.user is None or not member.active):
        raise ValidationError(
            {"is_chair": "A chair needs an account and must be a current member."}
        )
    with transaction.atomic():
        if member.is_chair:
            for old in member.panel.members.filter(is_chair=True).exclude(pk=member.pk):
                old.is_chair = False
                old._change_reason = f"Chair handed over to {member.name}"
                old.save()
        member.full_clean()
        member.save()
    return member


def create_meeting(
    *,
    panel: Panel,
    by,
    date: dt.date,
    attendees: Iterable = (),
    agenda: str = "",
    other_attendees: str = "",
    notes: str = "",
) -> Meeting:
    meeting = Meeting(
        panel=panel,
        date=date,
        agenda=agenda,
        other_attendees=other_attendees,
        notes=notes,
        created_by=by,
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        meeting.attendees.set(list(attendees))
    return meeting


def update_meeting(*, meeting: Meeting, by, attendees: Iterable | None = None, **fields) -> Meeting:
    _require_draft(meeting)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        if attendees is not None:
            meeting.attendees.set(list(attendees))
    return meeting


def finalise_problems(meeting: Meeting) -> list[str]:
    """What stops a meeting being finalised, in words a chair can act on."""
    problems = []
    if not meeting.attendees.exists():
        problems.append("Record who attended.")
    cases = list(meeting.cases.all())
    if not cases:
        problems.append("Add at least one case reviewed.")
    for case in cases:
        if not case.is_judged:
            problems.append(f"{case.label}: give a judgement and a comment.")
    return problems


def finalise_meeting(*, meeting: Meeting, by) -> Meeting:
    """Lock the record and queue a recompute of the force-quarter's KPIs."""
    from kpis.engine.snapshots import queue_snapshots

    _require_chair(user=by, meeting=meeting)
    _require_draft(meeting)
    problems = finalise_problems(meeting)
    if problems:
        raise ValidationError(problems)
    meeting.status = Meeting.Status.FINALISED
    meeting.finalised_at = timezone.now()
    meeting.finalised_by = by
    meeting._change_reason = "Finalised by the chair"
    meeting.save()
    queue_snapshots(force=meeting.panel.force, periods=_affected_periods(meeting))
    return meeting


def _affected_periods(meeting: Meeting) -> list[Period]:
    """The meeting's quarter, and the current one: its actions count as open until closed."""
    return sorted({meeting.period, Period.containing(timezone.localdate())})


def reopen_meeting(*, meeting: Meeting, by, reason: str) -> Meeting:
    """A correction: the chair reopens a finalised record, giving a reason that stays in its history."""
    from kpis.engine.snapshots import queue_snapshots

    _require_chair(user=by, meeting=meeting)
    if not meeting.is_finalised:
        raise ValidationError("This meeting is still a draft.")
    if not reason.strip():
        raise ValidationError({"reason": "Say what needs correcting."})
    meeting.status = Meeting.Status.DRAFT
    meeting.finalised_at = None
    meeting.finalised_by = None
    meeting._change_reason = f"Reopened for correction: {reason.strip()}"
    meeting.save()
    queue_snapshots(force=meeting.panel.force, periods=_affected_periods(meeting))
    return meeting


# Cases reviewed -------------------------------------------------------------


CASE_FIELDS = (
    "selection",
    "proposed_by",
    "criterion",
    "selection_note",
    "judgement",
    "judgement_comment",
    "findings",
    "referred_back",
)


def find_crime_record(*, force: Force, crime_ref_hash: str) -> CrimeRecord | None:
    return CrimeRecord.objects.filter(force=force, crime_ref_hash=crime_ref_hash).first()


def add_case(
    *,
    meeting: Meeting,
    by,
    selection: str,
    crime_reference: str = "",
    crime_record: CrimeRecord | None = None,
    themes: Iterable[LearningTheme] = (),
    **fields,
) -> CaseReview:
    """Add a case by its crime reference (hashed here, never kept) or by an imported record.

    When the force's imports hold the crime, offence, outcome and dates come from it.
    """
    _require_draft(meeting)
    force = meeting.panel.force
    if crime_record is not None:
        if crime_record.force_id != force.pk:
            raise ValidationError("That record belongs to another force.")
        crime_ref_hash = crime_record.crime_ref_hash
    else:
        crime_ref_hash = pseudonymise(crime_reference)
        if not crime_ref_hash:
            raise ValidationError({"crime_reference": "Enter the crime reference."})
        crime_record = find_crime_record(force=force, crime_ref_hash=crime_ref_hash)
    if meeting.cases.filter(crime_ref_hash=crime_ref_hash).exists():
        raise ValidationError({"crime_reference": "This case is already on this meeting."})
    proposer = fields.get("proposed_by")
    if proposer is not None and proposer.panel_id != meeting.panel_id:
        raise ValidationError({"proposed_by": "Choose a member of this panel."})
    case = CaseReview(meeting=meeting, selection=selection, crime_ref_hash=crime_ref_hash)
    for name in CASE_FIELDS:
        if name in fields:
            setattr(case, name, fields[name])
    for name in ("offence_code", "outcome_type", "recorded_date", "outcome_date"):
        if crime_record is not None:
            setattr(case, name, getattr(crime_record, name))
        elif fields.get(name):
            setattr(case, name, fields[name])
    case.crime_record = crime_record
    _check_case(case)
    with transaction.atomic():
        last = meeting.cases.aggregate(n=Max("sequence"))["n"] or 0
        case.sequence = last + 1
        case.full_clean()
        case.save()
        case.themes.set(list(themes))
    return case


def update_case(
    *, case: CaseReview, by, themes: Iterable[LearningTheme] | None = None, **fields
) -> CaseReview:
    _require_draft(case.meeting)
    for name in CASE_FIELDS:
        if name in fields:
            setattr(case, name, fields[name])
    if case.crime_record_id is None:
        for name in ("offence_code", "outcome_type", "recorded_date", "outcome_date"):
            if name in fields:
                setattr(case, name, fields[name] or getattr(case, name))
    _check_case(case)
    case.full_clean()
    with transaction.atomic():
        case.save()
        if themes is not None:
            case.themes.set(list(themes))
    return case


def remove_case(*, case: CaseReview, by) -> None:
    _require_draft(case.meeting)
    case.delete()


def _check_case(case: CaseReview) -> None:
    errors = {}
    if case.selection == CaseReview.Selection.PROPOSED and case.proposed_by is None:
        errors["proposed_by"] = "Say which member proposed this case."
    if case.selection != CaseReview.Selection.PROPOSED:
        case.proposed_by = None
    if case.selection == CaseReview.Selection.MANDATORY and not case.criterion:
        errors["criterion"] = "Say which mandatory criterion the case meets."
    if case.judgement and not case.judgement_comment.strip():
        errors["judgement_comment"] = "Explain the judgement: a comment is required."
    if errors:
        raise ValidationError(errors)


# The dip-sample ---------------------------------------------------------------


@dataclass
class Draw:
    record: CrimeRecord
    rank: int  # position in the seeded shuffle of the whole pool
    outcome_label: str
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Record {self.record.crime_ref_hash[:8]}"


@dataclass
class DipSample:
    period: Period
    size: int
    seed: int
    pool_size: int
    already_reviewed: int
    draws: list[Draw]

    def reason(self, draw: Draw) -> str:
        return (
            f"Dip-sample of {self.period.label} (seed {self.seed}): draw {draw.rank} of "
            f"{self.pool_size} cases closed with an NFA outcome; outcome {draw.record.outcome_type}"
            f" ({draw.outcome_label}) on {draw.record.outcome_date:%-d %b %Y}."
        )


def nfa_outcome_types() -> dict[str, str]:
    return dict(OutcomeType.objects.filter(role__in=NFA_ROLES).values_list("code", "label"))


def dip_sample(*, force: Force, period: Period, size: int, seed: int) -> DipSample:
    """Propose ``size`` NFA-closed cases from the quarter's imported records, reproducibly.

    The whole pool (the force's records given an NFA outcome in the quarter, in
    hash order) is shuffled with the seed; cases the force's panels have already
    reviewed are skipped, and the first ``size`` of the rest are proposed. The same
    seed always gives the same order, so adding one draw leaves the others in place.
    """
    outcomes = nfa_outcome_types()
    pool = list(
        CrimeRecord.objects.filter(
            force=force,
            outcome_type__in=outcomes,
            outcome_date__gte=period.start,
            outcome_date__lte=period.end,
        )
        .only(
            "crime_ref_hash",
            "offence_code",
            "outcome_type",
            "outcome_date",
            "recorded_date",
            "suspect_ref_hash",
            "victim_supports_prosecution",
        )
        .order_by("crime_ref_hash")
    )
    reviewed = set(
        CaseReview.objects.filter(meeting__panel__force=force).values_list(
            "crime_ref_hash", flat=True
        )
    )
    order = random.Random(seed).sample(range(len(pool)), len(pool))
    draws, skipped = [], 0
    for rank, index in enumerate(order, start=1):
        record = pool[index]
        if record.crime_ref_hash in reviewed:
            skipped += 1
            continue
        if len(draws) < size:
            draws.append(
                Draw(record=record, rank=rank, outcome_label=outcomes[record.outcome_type])
            )
    _add_criteria(force=force, draws=draws)
    return DipSample(
        period=period,
        size=size,
        seed=seed,
        pool_size=len(pool),
        already_reviewed=skipped,
        draws=draws,
    )


def _add_criteria(*, force: Force, draws: list[Draw]) -> None:
    """Note the mandatory criteria a drawn case also meets, so the panel sees it."""
    suspects = {d.record.suspect_ref_hash for d in draws if d.record.suspect_ref_hash}
    counts = dict(
        CrimeRecord.objects.filter(force=force, suspect_ref_hash__in=suspects)
        .values("suspect_ref_hash")
        .annotate(n=Count("pk"))
        .values_list("suspect_ref_hash", "n")
    )
    for draw in draws:
        if draw.record.outcome_type == "16":
            draw.reasons.append(CaseReview.Criterion.OUTCOME_16.label)
        reports = counts.get(draw.record.suspect_ref_hash, 0)
        if reports >= REPEAT_SUSPECT_REPORTS:
            draw.reasons.append(f"Named repeat suspect (in {reports} reports)")


def add_drawn_cases(
    *, meeting: Meeting, by, sample: DipSample, record_ids: Iterable[int]
) -> list[CaseReview]:
    """Add the chosen draws of a dip-sample to a meeting, each with the reason it was drawn."""
    chosen = {int(pk) for pk in record_ids}
    by_id = {d.record.pk: d for d in sample.draws}
    if not chosen or not chosen <= set(by_id):
        raise ValidationError("Choose one or more of the cases drawn.")
    cases = []
    with transaction.atomic():
        for draw in sorted((by_id[pk] for pk in chosen), key=lambda d: d.rank):
            note = sample.reason(draw)
            if draw.reasons:
                note += " Also: " + "; ".join(draw.reasons) + "."
            record = CrimeRecord.objects.get(pk=draw.record.pk)
            cases.append(
                add_case(
                    meeting=meeting,
                    by=by,
                    selection=CaseReview.Selection.DIP_SAMPLE,
                    crime_record=record,
                    selection_note=note,
                )
            )
    return cases


# Actions -----------------------------------------------------------------


def raise_action(
    *,
    meeting: Meeting,
    by,
    title: str,
    owner,
    due_date: dt.date,
    pillar: Pillar,
    case: CaseReview | None = None,
    description: str = "",
) -> Action:
    _require_draft(meeting)
    if case is not None and case.meeting_id != meeting.pk:
        raise ValidationError({"case": "Choose a case reviewed at this meeting."})
    if not can(owner, "view_panels", meeting.panel.force):
        raise ValidationError(
            {"owner": "The owner must be someone who can see this force's panels."}
        )
    action = Action(
        meeting=meeting,
        case=case,
        title=title,
        description=description,
        owner=owner,
        due_date=due_date,
        pillar=pillar,
    )
    action.full_clean()
    action.save()
    return action


def update_action(
    *, action: Action, by, status: str, progress_note: str = "", due_date: dt.date | None = None
) -> Action:
    """Move an action on; actions stay editable after their meeting is finalised."""
    from kpis.engine.snapshots import queue_snapshots

    today = timezone.localdate()
    action.status = status
    action.progress_note = progress_note
    if due_date is not None:
        action.due_date = due_date
    if status == Action.Status.CLOSED:
        action.closed_on = action.closed_on or today
    else:
        action.closed_on = None
    action.full_clean()
    action.save()
    queue_snapshots(force=action.meeting.panel.force, periods=[Period.containing(today)])
    return action


def agenda_actions(meeting: Meeting) -> list[Action]:
    """Actions carried forward to a meeting: raised earlier and still open on its date."""
    return list(
        Action.objects.filter(meeting__panel=meeting.panel, meeting__date__lt=meeting.date)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=meeting.date))
        .select_related("owner", "pillar", "meeting", "case")
        .order_by("due_date", "pk")
    )


def owner_choices(force: Force):
    """People who may own a panel action: active members of the force who can see its panels."""
    from django.contrib.auth import get_user_model

    from soteria.access import ACTIONS

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__force=force,
            memberships__role__in=ACTIONS["view_panels"],
        )
        .distinct()
        .order_by("first_name", "username")
    )


# Reminders -----------------------------------------------------------------


OVERDUE_REPEAT_DAYS = 7


def send_action_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """E-mail owners on the due date, then weekly while overdue. Safe to run twice at once:

    each notice is claimed with a conditional UPDATE before it is sent.
    """
    today = today or timezone.localdate()
    open_actions = Action.objects.exclude(status=Action.Status.CLOSED).select_related(
        "owner", "meeting__panel__force"
    )
    sent = {"due": 0, "overdue": 0}
    due_claim = Q(due_notice_sent_on__isnull=True)
    for action in open_actions.filter(due_claim, due_date=today):
        if Action.objects.filter(due_claim, pk=action.pk).update(due_notice_sent_on=today) == 1:
            sent["due"] += _notify(action, "due", today)
    overdue_claim = Q(overdue_notice_sent_on__isnull=True) | Q(
        overdue_notice_sent_on__lte=today - dt.timedelta(days=OVERDUE_REPEAT_DAYS)
    )
    for action in open_actions.filter(overdue_claim, due_date__lt=today):
        if (
            Action.objects.filter(overdue_claim, pk=action.pk).update(overdue_notice_sent_on=today)
            == 1
        ):
            sent["overdue"] += _notify(action, "overdue", today)
    return sent


def _notify(action: Action, kind: str, today: dt.date) -> int:
    force = action.meeting.panel.force
    if not can(action.owner, "view_panels", force):
        return 0
    subject = (
        f"Panel action due today: {action.title}"
        if kind == "due"
        else f"Panel action overdue: {action.title}"
    )
    return int(
        send_notice(
            user=action.owner,
            subject=subject,
            template=f"email/panel_action_{kind}.txt",
            context={
                "action": action,
                "force": force,
                "days_overdue": (today - action.due_date).days,
            },
        )
    )


# KPIs: a source for the snapshot engine (settings.KPI_SOURCES) -----------------


def finalised_meetings(*, force: Force, first: dt.date, last: dt.date):
    return Meeting.objects.filter(
        panel__force=force,
        status=Meeting.Status.FINALISED,
        date__gte=first,
        date__lte=last,
    )


def panel_kpis(*, force: Force, period: Period) -> list[KpiResult]:
    """The panel KPIs of a force-quarter, computed from finalised meeting records.

    Drafts are not counted: a meeting counts once its chair has finalised it.
    Open and overdue actions are the position at the end of the quarter (or today,
    for the quarter in progress).
    """
    if not Panel.objects.filter(force=force).exists():
        return []
    meetings = list(finalised_meetings(force=force, first=period.start, last=period.end))
    cases = list(
        CaseReview.objects.filter(meeting__in=meetings)
        .select_related("proposed_by")
        .prefetch_related("themes")
    )
    as_of = min(period.end, timezone.localdate())
    actions = [
        a
        for a in Action.objects.filter(
            meeting__panel__force=force,
            meeting__status=Meeting.Status.FINALISED,
            meeting__date__lte=as_of,
        ).select_related("meeting")
        if a.was_open_on(as_of)
    ]
    overdue = [a for a in actions if a.due_date < as_of]
    themes = Counter(t.name for case in cases for t in case.themes.all())
    by_isva = sum(case.selected_by_isva for case in cases)
    url = reverse("panels:report", kwargs={"force_slug": force.slug}) + f"?period={period.slug}"
    actions_url = reverse("panels:actions", kwargs={"force_slug": force.slug})
    panels_count = len({m.panel_id for m in meetings})
    held = (
        f"{len(meetings)} finalised meeting{'s' if len(meetings) != 1 else ''} of "
        f"{panels_count} panel{'s' if panels_count != 1 else ''} in {period.label}"
    )
    return [
        KpiResult(
            kpi="panels-held",
            value=len(meetings),
            numerator=len(meetings),
            provenance={"summary": f"{held}; drafts are not counted", "url": url},
        ),
        KpiResult(
            kpi="panel-cases-reviewed",
            value=len(cases),
            numerator=len(cases),
            breakdowns=[
                {"dimension": "selection", "group": label, "value": n}
                for label, n in Counter(c.get_selection_display() for c in cases).most_common()
            ],
            provenance={"summary": f"{len(cases)} cases reviewed at {held}", "url": url},
        ),
        KpiResult(
            kpi="panel-isva-share",
            value=round(100 * by_isva / len(cases), 1) if cases else None,
            numerator=by_isva,
            denominator=len(cases),
            status="ok" if cases else "no_data",
            provenance={
                "summary": f"{by_isva} of {len(cases)} cases proposed by an ISVA member, {held}",
                "url": url,
            },
        ),
        KpiResult(
            kpi="panel-actions-open",
            value=len(actions),
            numerator=len(actions),
            provenance={
                "summary": f"{len(actions)} panel actions open on {as_of:%-d %b %Y}",
                "url": actions_url,
            },
        ),
        KpiResult(
            kpi="panel-actions-overdue",
            value=len(overdue),
            numerator=len(overdue),
            denominator=len(actions),
            provenance={
                "summary": f"{len(overdue)} of {len(actions)} open panel actions past their due "
                f"date on {as_of:%-d %b %Y}",
                "url": actions_url,
            },
        ),
        KpiResult(
            kpi="panel-learning-themes",
            value=len(themes),
            numerator=len(themes),
            breakdowns=[
                {"dimension": "theme", "group": name, "value": n}
                for name, n in themes.most_common()
            ],
            provenance={
                "summary": (
                    "Most frequent: "
                    + ", ".join(f"{name} ({n})" for name, n in themes.most_common(3))
                    if themes
                    else f"No learning themes recorded, {held}"
                ),
                "url": url,
            },
        ),
    ]


# Reports -------------------------------------------------------------------


@dataclass
class LearningSummary:
    force: Force
    periods: list[Period]
    meetings: list[Meeting]
    cases: list[CaseReview]
    actions: list[Action]
    theme_counts: dict[str, Counter]  # period slug -> theme name -> cases
    judgements: Counter

    @property
    def theme_totals(self) -> list[tuple[str, int]]:
        total: Counter = Counter()
        for counts in self.theme_counts.values():
            total.update(counts)
        return total.most_common()

    @property
    def judgement_counts(self) -> list[tuple[str, int]]:
        return sorted(self.judgements.items())

    @property
    def isva_cases(self) -> int:
        return sum(c.selected_by_isva for c in self.cases)

    @property
    def referred_back(self) -> int:
        return sum(c.referred_back for c in self.cases)

    @property
    def open_actions(self) -> list[Action]:
        return [a for a in self.actions if a.is_open]


def learning_summary(*, force: Force, periods: list[Period]) -> LearningSummary:
    """Finalised meetings of the periods: their themes by quarter, findings, actions and state."""
    meetings = list(
        finalised_meetings(force=force, first=periods[0].start, last=periods[-1].end)
        .select_related("panel")
        .prefetch_related(
            Prefetch(
                "cases",
                queryset=CaseReview.objects.select_related("proposed_by").prefetch_related(
                    "themes"
                ),
            )
        )
        .order_by("date", "pk")
    )
    cases = [case for m in meetings for case in m.cases.all()]
    theme_counts = {p.slug: Counter() for p in periods}
    for meeting in meetings:
        for case in meeting.cases.all():
            theme_counts[meeting.period.slug].update(t.name for t in case.themes.all())
    actions = list(
        Action.objects.filter(meeting__in=meetings)
        .select_related("owner", "pillar", "meeting", "case")
        .order_by("meeting__date", "pk")
    )
    return LearningSummary(
        force=force,
        periods=periods,
        meetings=meetings,
        cases=cases,
        actions=actions,
        theme_counts=theme_counts,
        judgements=Counter(c.get_judgement_display() for c in cases if c.judgement),
    )


def organisation_mix(panel: Panel) -> Counter:
    return Counter(
        dict(OrganisationType.choices)[m.organisation_type] for m in panel.members.all() if m.active
    )


# Audit trail -------------------------------------------------------------------

_M2M_LABELS = {"Attendance", "Learning themes"}
_M2M_ID = re.compile(r"'(panelmember|learningtheme)': (\d+)")


def readable_history(*objects) -> list:
    """soteria.history rows, with attendance and theme changes shown as names, not row ids."""
    from soteria.history import history_rows

    rows = history_rows(*objects)
    names = {
        "panelmember": dict(PanelMember.objects.values_list("pk", "name")),
        "learningtheme": dict(LearningTheme.objects.values_list("pk", "name")),
    }

    def show(text: str) -> str:
        found = _M2M_ID.findall(text)
        if not found and text.startswith("["):
            return "none"
        return (
            ", ".join(names[kind].get(int(pk), f"#{pk}") for kind, pk in found) if found else text
        )

    for row in rows:
        row.changes = [
            (label, show(old), show(new)) if label in _M2M_LABELS else (label, old, new)
            for label, old, new in row.changes
        ]
    return rows
