"""The meeting page: agenda with carried-forward actions, cases, actions, dip-sample, history."""

import datetime as dt

from panels import services

from .factories import make_batch, make_record


def url(meeting, query=""):
    return f"/forces/{meeting.panel.force.slug}/panels/meetings/{meeting.pk}/{query}"


def test_the_next_meetings_agenda_carries_the_open_action(
    client_for, ruth, judged_meeting, django_assert_max_num_queries
):
    later = services.create_meeting(panel=judged_meeting.panel, by=ruth, date=dt.date(2024, 10, 1))
    client = client_for(ruth)
    with django_assert_max_num_queries(30):
        response = client.get(url(later))
    assert response.status_code == 200
    agenda = response.text.split('id="agenda-actions"')[1].split("</li>")[0]
    assert "Remind investigators to refer to ISVAs" in agenda
    assert "Overdue" in agenda  # due 30 Sep 2024, long past


def test_the_meeting_shows_its_cases_without_crime_references(client_for, ruth, judged_meeting):
    response = client_for(ruth).get(url(judged_meeting))
    case = judged_meeting.cases.get()
    assert case.label in response.text
    assert "AS/24/5555" not in response.text
    assert "Proposed by a member: Isla ISVA" in response.text
    assert "History" in response.text
    assert f"Created {case.label.lower()}" in response.text  # the history names the case


def test_a_chief_officer_reads_the_meeting_without_forms(client_for, alice, judged_meeting):
    response = client_for(alice).get(url(judged_meeting))
    assert response.status_code == 200
    assert "Add a case by crime reference" not in response.text
    assert "Only the panel's chair can finalise" in response.text


def test_bob_cannot_see_alices_meeting(client_for, bob, judged_meeting):
    assert client_for(bob).get(url(judged_meeting)).status_code == 404


def test_a_dip_sample_shows_each_draw_and_why(client_for, ruth, meeting, force_a):
    batch = make_batch(force_a)
    for i in range(5):
        make_record(force_a, f"R{i}", batch=batch, outcome_date=dt.date(2024, 5, 1 + i))
    response = client_for(ruth).get(url(meeting, "?period=2024-25-q1&size=2&seed=9"))
    assert response.status_code == 200
    sample = response.context["sample"]
    assert len(sample.draws) == 2 and sample.pool_size == 5
    assert response.text.count('name="record"') == 2
    assert "in the shuffle for seed 9" in response.text
    assert "14, 15, 16" in response.text  # the NFA outcome types are stated on the page
