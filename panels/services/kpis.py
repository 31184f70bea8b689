"""KPIs: a source for the snapshot engine (settings.KPI_SOURCES)."""

import datetime as dt
from collections import Counter

from django.urls import reverse
from django.utils import timezone

from kpis.engine.snapshots import KpiResult
from kpis.engine.stats import wilson_interval
from soteria.models import Force
from soteria.periods import Period

from ..models import Action, CaseReview, Meeting, Panel


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
    isva_interval = wilson_interval(by_isva, len(cases))
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
                count_table(
                    "selection",
                    "Cases by how they were chosen",
                    Counter(c.get_selection_display() for c in cases),
                    of=len(cases),
                )
            ],
            provenance={"summary": f"{len(cases)} cases reviewed at {held}", "url": url},
        ),
        KpiResult(
            kpi="panel-isva-share",
            value=by_isva / len(cases) if cases else None,  # a fraction, as every rate
            numerator=by_isva,
            denominator=len(cases),
            ci_low=isva_interval[0] if isva_interval else None,
            ci_high=isva_interval[1] if isva_interval else None,
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
            breakdowns=[count_table("theme", "Cases by learning theme", themes, of=len(cases))],
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


def count_table(dimension: str, label: str, counts: Counter, *, of: int) -> dict:
    """A breakdown as the drill-down and its downloads read every breakdown (the records
    source's shape): each group's count of the quarter's cases, its share (a fraction) and
    the share's interval. A case may have several themes, so theme shares need not add up to 1.
    """
    rows = []
    for group, count in counts.most_common():
        interval = wilson_interval(count, of)
        rows.append(
            {
                "group": group,
                "label": group,
                "numerator": count,
                "denominator": of,
                "value": count / of if of else None,
                "ci_low": interval[0] if interval else None,
                "ci_high": interval[1] if interval else None,
            }
        )
    return {
        "dimension": dimension,
        "label": label,
        "kind": "count",
        "public": False,
        "rows": rows,
        "note": "Counts of the cases the panel reviewed, as its own pages show them: they hold "
        "no victim details, so none is hidden.",
    }
