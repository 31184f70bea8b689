"""One recommendation's page: the response, actions, updates, linked KPIs and the history."""

import datetime as dt

import pytest
import time_machine

from kpis.models import Kpi, KpiSnapshot
from recommendations import services

from . import factories

pytestmark = pytest.mark.django_db


def url(force, rec):
    return f"/forces/{force.slug}/recommendations/{rec.pk}/"


def test_a_recommendation_nobody_has_started_says_so(pat_client, force_a, rec11):
    response = pat_client.get(url(force_a, rec11))
    assert response.status_code == 200
    assert "Not started: nobody owns this recommendation yet." in response.content.decode()


def test_it_shows_the_linked_kpis_latest_value_and_trend_from_snapshots(
    pat_client, pat, force_a, rec11
):
    kpi = Kpi.objects.get(slug="charge-rate")
    for period, n in (("2024-25-q3", 5), ("2024-25-q1", 3), ("2024-25-q2", 4)):
        KpiSnapshot.objects.create(
            force=force_a, kpi=kpi, period=period, value=n / 50, numerator=n, denominator=50
        )
    response_obj = factories.response(force=force_a, rec=rec11)
    services.set_kpis(response=response_obj, by=pat, kpis=[kpi])
    page = pat_client.get(url(force_a, rec11))
    (trend,) = page.context["trends"]
    assert trend.latest_value == "10.0%"
    assert trend.latest_period == "2024/25 Q3"
    assert [p for p, _ in trend.points] == ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3"]
    assert '<svg class="sparkline"' in page.content.decode()


@time_machine.travel(dt.datetime(2026, 12, 6, 10, 0), tick=False)
def test_a_linked_kpi_quotes_the_latest_complete_quarter_not_the_one_in_progress(
    pat_client, pat, force_a, rec11
):
    """On 6 December 2026, 2026/27 Q3 is in progress and its charge rate is insufficient
    data so far; Q2's is 13.1%. The page quotes Q2, as the flight deck opens on it."""
    kpi = Kpi.objects.get(slug="charge-rate")
    KpiSnapshot.objects.create(force=force_a, kpi=kpi, period="2026-27-q1", value=0.12)
    KpiSnapshot.objects.create(force=force_a, kpi=kpi, period="2026-27-q2", value=0.131)
    KpiSnapshot.objects.create(
        force=force_a, kpi=kpi, period="2026-27-q3", value=None, status="insufficient"
    )
    KpiSnapshot.objects.create(force=force_a, kpi=kpi, period="2027-28-q1", value=0.5)
    services.set_kpis(response=factories.response(force=force_a, rec=rec11), by=pat, kpis=[kpi])
    page = pat_client.get(url(force_a, rec11))
    (trend,) = page.context["trends"]
    assert (trend.latest_value, trend.latest_period) == ("13.1%", "2026/27 Q2")
    assert [p for p, _ in trend.points] == ["2026/27 Q1", "2026/27 Q2"]
    assert trend.url.endswith("/kpis/charge-rate/?period=2026-27-q2")
    body = page.content.decode()
    assert "Insufficient data" not in body and "2026/27 Q3" not in body


@time_machine.travel(dt.datetime(2026, 12, 6, 10, 0), tick=False)
def test_a_linked_kpi_with_only_the_quarter_in_progress_says_it_is_in_progress(
    pat_client, pat, force_a, rec11
):
    kpi = Kpi.objects.get(slug="charge-rate")
    KpiSnapshot.objects.create(force=force_a, kpi=kpi, period="2026-27-q3", value=0.09)
    services.set_kpis(response=factories.response(force=force_a, rec=rec11), by=pat, kpis=[kpi])
    (trend,) = pat_client.get(url(force_a, rec11)).context["trends"]
    assert (trend.latest_value, trend.latest_period) == ("9.0%", "2026/27 Q3 (in progress)")


def test_another_forces_snapshots_never_reach_the_page(pat_client, pat, force_a, force_b, rec11):
    kpi = Kpi.objects.get(slug="charge-rate")
    KpiSnapshot.objects.create(force=force_b, kpi=kpi, period="2024-25-q1", value=9)
    services.set_kpis(response=factories.response(force=force_a, rec=rec11), by=pat, kpis=[kpi])
    (trend,) = pat_client.get(url(force_a, rec11)).context["trends"]
    assert trend.latest_value == ""


def test_the_history_shows_who_changed_what(pat_client, pat, force_a, rec11, owen):
    response_obj = factories.response(force=force_a, rec=rec11)
    services.update_response(
        response=response_obj,
        by=pat,
        owner=owen,
        pillars=[],
        status="in_progress",
        rag="amber",
        planned_closedown=None,
        chief_constable_response="",
    )
    history = pat_client.get(url(force_a, rec11)).context["history"]
    assert history[0].reason == "Edited by Pat Lee"
    assert ("Status", "Not started", "In progress") in history[0].changes


def test_a_national_recommendation_is_followed_for_information(pat_client, force_a, rec14):
    page = pat_client.get(url(force_a, rec14)).content.decode()
    assert "Followed for information" in page
    assert "Edit the response" not in page


def test_bob_cannot_see_alices_response(bob_client, force_a, rec11):
    factories.response(force=force_a, rec=rec11)
    assert bob_client.get(url(force_a, rec11)).status_code == 404


def test_a_force_owned_inspections_recommendation_is_404_elsewhere(
    bob_client, force_b, pat, force_a
):
    inspection = services.create_inspection(
        by=pat,
        force=force_a,
        title="PEEL 2025",
        inspectorate="HMICFRS",
        published=dt.date(2025, 5, 1),
        summary="",
        url="",
        areas_for_improvement="",
    )
    rec = services.add_recommendation(
        inspection=inspection,
        by=pat,
        number="1",
        text="Do better.",
        deadline=None,
        addressee="forces",
        addressee_detail="",
    )
    assert bob_client.get(url(force_b, rec)).status_code == 404


def test_the_page_reads_in_a_bounded_number_of_queries(
    pat_client, pat, force_a, rec11, django_assert_max_num_queries
):
    response_obj = factories.response(force=force_a, rec=rec11)
    services.set_kpis(response=response_obj, by=pat, kpis=Kpi.objects.all()[:3])
    for _ in range(3):
        action = services.add_action(
            response=response_obj, by=pat, title="Act", owner=None, due_date=dt.date(2026, 1, 1)
        )
        factories.update(response=response_obj, by=pat, action=action, files=1)
    with django_assert_max_num_queries(45):
        pat_client.get(url(force_a, rec11))
