"""Step 1 of recording a meeting: date and attendance."""

from panels.models import Meeting


def url(panel):
    return f"/forces/{panel.force.slug}/panels/{panel.pk}/meetings/new/"


def test_a_panel_member_starts_a_meeting_record(client_for, ruth, panel, isva):
    response = client_for(ruth).post(
        url(panel), {"date": "2024-07-15", "attendees": [isva.pk], "agenda": "Q1 dip-sample"}
    )
    meeting = Meeting.objects.get(panel=panel)
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert list(meeting.attendees.all()) == [isva]
    assert meeting.status == "draft" and meeting.created_by == ruth


def test_the_date_is_required_at_the_field(client_for, ruth, panel):
    response = client_for(ruth).post(url(panel), {"date": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"date": ["This field is required."]}


def test_only_this_panels_members_can_be_marked_present(client_for, ruth, panel, force_a):
    from tests.panels.factories import make_panel

    other = make_panel(force_a, name="Other panel").members.first()
    response = client_for(ruth).post(url(panel), {"date": "2024-07-15", "attendees": [other.pk]})
    assert "attendees" in response.context["form"].errors


def test_a_chief_officer_cannot_record_meetings(client_for, alice, panel):
    assert client_for(alice).get(url(panel)).status_code == 403


def test_bob_cannot_record_alices_meetings(client_for, bob, panel):
    assert client_for(bob).get(url(panel)).status_code == 404
