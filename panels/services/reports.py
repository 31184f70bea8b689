"""Reports: the learning summary of finalised meetings, and its download."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Max, Prefetch

from soteria.exports import AsAt, Stamp, Table
from soteria.models import Force
from soteria.periods import Period

from ..models import Action, CaseReview, Meeting
from .kpis import finalised_meetings


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


SUMMARY_COLUMNS = [
    "force",
    "period",
    "meeting_date",
    "panel",
    "case",
    "selection",
    "proposed_by",
    "judgement",
    "judgement_comment",
    "findings",
    "themes",
    "referred_back",
    "actions_raised",
    "actions_open",
]


def summary_table(summary: LearningSummary) -> Table:
    """One row per case reviewed at a finalised meeting of the periods, with its actions
    counted; a case is named as on every page (number and hash prefix), never by reference."""
    actions: dict[int, list[Action]] = {}
    for action in summary.actions:
        actions.setdefault(action.case_id, []).append(action)
    rows = []
    for meeting in summary.meetings:
        for case in meeting.cases.all():
            raised = actions.get(case.pk, [])
            rows.append(
                [
                    summary.force.slug,
                    meeting.period.slug,
                    meeting.date,
                    meeting.panel.name,
                    case.label,
                    case.get_selection_display(),
                    case.proposed_by.get_organisation_type_display() if case.proposed_by else "",
                    case.get_judgement_display(),
                    case.judgement_comment,
                    case.findings,
                    "; ".join(t.name for t in case.themes.all()),
                    case.referred_back,
                    len(raised),
                    sum(a.is_open for a in raised),
                ]
            )
    kinds = {"meeting_date": "date", "actions_raised": "integer", "actions_open": "integer"}
    return Table("Cases", SUMMARY_COLUMNS, rows, kinds)


def summary_about(summary: LearningSummary, *, title: str) -> list[tuple[str, object]]:
    return [
        ("Force", summary.force.name),
        ("Period", title),
        ("Quarters", ", ".join(p.label for p in summary.periods)),
        ("Contents", "Each case reviewed at a finalised meeting: finalised records only"),
        ("Cases", "Named by number and pseudonymised reference prefix; never a crime reference"),
        ("Actions", "Counted per case; every action is on the panel action log"),
        ("Meetings", len(summary.meetings)),
        ("Cases reviewed", len(summary.cases)),
    ]


def summary_as_at(*, force: Force) -> AsAt:
    """When a meeting was last finalised and an action last changed (open or closed)."""
    finalised = Meeting.objects.filter(panel__force=force).aggregate(at=Max("finalised_at"))["at"]
    meetings = Meeting.objects.filter(panel__force=force).values("pk")
    changed = Action.history.filter(meeting_id__in=meetings).aggregate(at=Max("history_date"))
    return AsAt(
        (
            Stamp(
                "meeting_finalised",
                "Latest meeting finalised",
                "meetings finalised up to",
                finalised,
            ),
            Stamp("action_changed", "Latest change to an action", "actions changed", changed["at"]),
        )
    )
