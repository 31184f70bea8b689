"""Panel KPIs are computed from finalised records and reach the snapshots."""

import datetime as dt

import pytest
import time_machine

from kpis.engine.snapshots import compute_snapshots
from kpis.engine.stats import wilson_interval
from kpis.models import KpiSnapshot
from panels import services
from panels.models import LearningTheme
from soteria.models import Pillar
from soteria.periods import Period

Q2 = Period.parse("2024-25-q2")


def _meeting_with_cases(panel, ruth, isva, day, *, finalise=True):
    meeting = services.create_meeting(panel=panel, by=ruth, date=day, attendees=panel.members.all())
    themes = list(LearningTheme.objects.order_by("order")[:2])
    for n, (selection, proposer) in enumerate(
        [("proposed", isva), ("dip_sample", None), ("dip_sample", None)]
    ):
        services.add_case(
            meeting=meeting,
            by=ruth,
            crime_reference=f"{day}-{n}",
            selection=selection,
            proposed_by=proposer,
            judgement="learning",
            judgement_comment="Learning",
            themes=themes[: n + 1] if n < 2 else themes[:1],
        )
    services.raise_action(
        meeting=meeting,
        by=ruth,
        title="Overdue one",
        owner=ruth,
        due_date=day + dt.timedelta(days=10),
        pillar=Pillar.objects.get(number=3),
    )
    services.raise_action(
        meeting=meeting,
        by=ruth,
        title="Later one",
        owner=ruth,
        due_date=dt.date(2025, 6, 1),
        pillar=Pillar.objects.get(number=1),
    )
    if finalise:
        services.finalise_meeting(meeting=meeting, by=ruth)
    return meeting


def _values(force, period):
    return {r.kpi: r for r in services.panel_kpis(force=force, period=period)}


def test_the_kpis_count_finalised_meetings_cases_isva_share_actions_and_themes(
    panel, ruth, isva, force_a
):
    _meeting_with_cases(panel, ruth, isva, dt.date(2024, 7, 15))
    _meeting_with_cases(panel, ruth, isva, dt.date(2024, 8, 20), finalise=False)
    with time_machine.travel(dt.datetime(2025, 2, 1, 12)):
        results = _values(force_a, Q2)
    assert results["panels-held"].value == 1
    assert results["panel-cases-reviewed"].value == 3
    assert results["panel-isva-share"].value == pytest.approx(1 / 3)  # a fraction, as every rate
    low, high = results["panel-isva-share"].ci_low, results["panel-isva-share"].ci_high
    assert (low, high) == pytest.approx(wilson_interval(1, 3))
    assert (results["panel-isva-share"].numerator, results["panel-isva-share"].denominator) == (
        1,
        3,
    )
    assert results["panel-actions-open"].value == 2
    assert results["panel-actions-overdue"].value == 1
    assert results["panel-learning-themes"].value == 2
    themes = results["panel-learning-themes"].breakdowns[0]
    assert (themes["dimension"], themes["kind"]) == ("theme", "count")
    top = themes["rows"][0]
    assert (top["numerator"], top["denominator"]) == (3, 3)  # on all three cases
    assert top["value"] == 1
    held = results["panels-held"].provenance
    assert held["summary"].startswith("1 finalised meeting of 1 panel in 2024/25 Q2")
    assert held["url"] == f"/forces/{force_a.slug}/panels/reports/?period=2024-25-q2"


def test_a_force_without_panels_reports_nothing(force_b):
    assert services.panel_kpis(force=force_b, period=Q2) == []


def test_a_quarter_with_no_cases_has_no_isva_share(panel, force_a):
    results = _values(force_a, Q2)
    assert results["panels-held"].value == 0
    assert results["panel-isva-share"].value is None
    assert results["panel-isva-share"].status == "no_data"


def test_snapshots_store_the_panel_kpis(panel, ruth, isva, force_a):
    _meeting_with_cases(panel, ruth, isva, dt.date(2024, 7, 15))
    compute_snapshots(force=force_a, period=Q2)
    stored = {
        s.kpi.slug: s.value
        for s in KpiSnapshot.objects.filter(force=force_a, period=Q2.slug).select_related("kpi")
    }
    assert stored["panels-held"] == 1
    assert stored["panel-cases-reviewed"] == 3
    assert stored["panel-isva-share"] == pytest.approx(1 / 3)


def test_actions_closed_after_the_quarter_still_count_as_open_at_its_end(
    panel, ruth, isva, force_a
):
    meeting = _meeting_with_cases(panel, ruth, isva, dt.date(2024, 7, 15))
    with time_machine.travel(dt.datetime(2024, 10, 5, 12)):
        for action in meeting.actions.all():
            services.update_action(action=action, by=ruth, status="closed", progress_note="Done")
    with time_machine.travel(dt.datetime(2025, 2, 1, 12)):
        assert _values(force_a, Q2)["panel-actions-open"].value == 2
        assert _values(force_a, Q2.next())["panel-actions-open"].value == 0
