"""Reports: the learning summary of finalised meetings."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch

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
