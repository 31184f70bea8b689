"""Editing attendance and the agenda of a draft meeting."""

from panels import services


def url(meeting):
    return f"/forces/{meeting.panel.force.slug}/panels/meetings/{meeting.pk}/edit/"


def test_attendance_and_agenda_are_saved(client_for, ruth, meeting, isva):
    response = client_for(ruth).post(
        url(meeting), {"date": "2024-07-16", "attendees": [isva.pk], "agenda": "Terms of reference"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert list(meeting.attendees.all()) == [isva] and meeting.agenda == "Terms of reference"


def test_a_finalised_meeting_cannot_be_edited(client_for, ruth, judged_meeting, isva):
    services.finalise_meeting(meeting=judged_meeting, by=ruth)
    response = client_for(ruth).post(
        url(judged_meeting), {"date": "2024-07-16", "attendees": [isva.pk]}
    )
    assert response.status_code == 200
    assert "finalised and locked" in response.text
    judged_meeting.refresh_from_db()
    assert str(judged_meeting.date) == "2024-07-15"


def test_bob_cannot_edit_alices_meeting(client_for, bob, meeting):
    assert client_for(bob).get(url(meeting)).status_code == 404


def test_the_date_comes_up_filled_in_for_a_date_field(client_for, ruth, meeting):
    """A date field reads only ISO dates: "15/07/2024" would show as empty and be refused."""
    page = client_for(ruth).get(url(meeting)).text
    assert 'type="date" name="date" value="2024-07-15"' in page


def test_a_refused_edit_shows_the_saved_date_not_the_typed_one(client_for, ruth, judged_meeting):
    services.finalise_meeting(meeting=judged_meeting, by=ruth)
    response = client_for(ruth).post(url(judged_meeting), {"date": "2024-07-16"})
    assert response.status_code == 200
    assert response.context["meeting"].date.isoformat() == "2024-07-15"
