"""The learning summary for a quarter or a year: themes chart, findings, actions; no references."""

import datetime as dt

import pytest

from panels import services
from panels.models import LearningTheme


@pytest.fixture
def finalised(judged_meeting, ruth):
    case = judged_meeting.cases.get()
    services.update_case(
        case=case, by=ruth, themes=LearningTheme.objects.filter(slug="isva-referral")
    )
    return services.finalise_meeting(meeting=judged_meeting, by=ruth)


def url(force, query):
    return f"/forces/{force.slug}/panels/reports/{query}"


def test_a_quarters_summary_shows_themes_findings_and_actions(
    client_for, alice, force_a, finalised, django_assert_max_num_queries
):
    client = client_for(alice)
    with django_assert_max_num_queries(12):
        response = client.get(url(force_a, "?period=2024-25-q2"))
    assert response.status_code == 200
    text = response.text
    assert "learning summary, 2024/25 Q2" in text
    assert 'id="themes-chart"' in text and "ISVA and specialist support referral" in text
    assert "No ISVA referral was made at report." in text
    assert "Remind investigators to refer to ISVAs" in text
    assert "1 case reviewed, 1 proposed by ISVAs" in text
    assert "AS/24/5555" not in text
    assert finalised.cases.get().label in text
    assert "cdn.plot.ly" not in text


def test_a_year_covers_its_four_quarters(client_for, alice, force_a, finalised):
    response = client_for(alice).get(url(force_a, "?year=2024"))
    assert "Financial year 2024/25" in response.text
    assert [p.label for p in response.context["summary"].periods] == [
        "2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4",
    ]  # fmt: skip
    assert "No ISVA referral was made at report." in response.text


def test_drafts_are_left_out(client_for, alice, force_a, panel, ruth):
    services.create_meeting(panel=panel, by=ruth, date=dt.date(2024, 7, 20))
    response = client_for(alice).get(url(force_a, "?period=2024-25-q2"))
    assert "No finalised meetings in this period." in response.text


def test_bob_cannot_see_alices_report(client_for, bob, force_a, finalised):
    assert client_for(bob).get(url(force_a, "?period=2024-25-q2")).status_code == 404
