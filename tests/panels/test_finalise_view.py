"""The chair finalises; nobody else can, and an incomplete record is not finalised."""

from panels import services
from panels.models import PanelMember


def url(meeting):
    return f"/forces/{meeting.panel.force.slug}/panels/meetings/{meeting.pk}/finalise/"


def test_the_chair_finalises_and_the_record_locks(
    client_for, ruth, judged_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(ruth).post(url(judged_meeting))
    assert response.status_code == 302
    judged_meeting.refresh_from_db()
    assert judged_meeting.is_finalised
    assert len(callbacks) == 2  # recompute the meeting's quarter and the current one
    page = client_for(ruth).get(judged_meeting.get_absolute_url())
    assert "Add a case by crime reference" not in page.text
    assert "Reopen for correction" in page.text


def test_an_incomplete_record_says_what_is_missing(client_for, ruth, meeting):
    services.add_case(meeting=meeting, by=ruth, crime_reference="A1", selection="dip_sample")
    response = client_for(ruth).post(url(meeting), follow=True)
    assert (
        "Not finalised yet" in response.text and "give a judgement and a comment" in response.text
    )
    meeting.refresh_from_db()
    assert not meeting.is_finalised


def test_a_member_who_is_not_the_chair_is_refused(client_for, priya, judged_meeting):
    PanelMember.objects.create(
        panel=judged_meeting.panel, name="Priya", organisation_type="police", user=priya
    )
    assert client_for(priya).post(url(judged_meeting)).status_code == 403
    judged_meeting.refresh_from_db()
    assert not judged_meeting.is_finalised


def test_a_chief_officer_is_refused(client_for, alice, judged_meeting):
    assert client_for(alice).post(url(judged_meeting)).status_code == 403


def test_bob_cannot_finalise_alices_meeting(client_for, bob, judged_meeting):
    assert client_for(bob).post(url(judged_meeting)).status_code == 404


def test_it_rejects_get(client_for, ruth, judged_meeting):
    assert client_for(ruth).get(url(judged_meeting)).status_code == 405
