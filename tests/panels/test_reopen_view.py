"""A correction: the chair reopens a finalised record with a reason, kept in its history."""

import pytest

from panels import services


@pytest.fixture
def finalised(judged_meeting, ruth):
    return services.finalise_meeting(meeting=judged_meeting, by=ruth)


def url(meeting):
    return f"/forces/{meeting.panel.force.slug}/panels/meetings/{meeting.pk}/reopen/"


def test_the_chair_reopens_with_a_reason_shown_in_the_history(client_for, ruth, finalised):
    client = client_for(ruth)
    response = client.post(url(finalised), {"reason": "Case 1 judgement mistyped"})
    assert response.status_code == 302
    finalised.refresh_from_db()
    assert finalised.status == "draft"
    page = client.get(finalised.get_absolute_url())
    assert "Reopened for correction: Case 1 judgement mistyped" in page.text


def test_a_reason_is_required_at_the_field(client_for, ruth, finalised):
    response = client_for(ruth).post(url(finalised), {"reason": ""})
    assert response.status_code == 400
    assert response.context["reopen_form"].errors == {"reason": ["This field is required."]}


def test_a_chief_officer_cannot_reopen(client_for, alice, finalised):
    assert client_for(alice).post(url(finalised), {"reason": "x"}).status_code == 403


def test_bob_cannot_reopen_alices_meeting(client_for, bob, finalised):
    assert client_for(bob).post(url(finalised), {"reason": "x"}).status_code == 404
