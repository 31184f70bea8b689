"""Removing a case added by mistake from a draft meeting."""

from panels import services


def url(case):
    return f"/forces/{case.meeting.panel.force.slug}/panels/cases/{case.pk}/remove/"


def test_a_case_is_removed_from_a_draft(client_for, ruth, meeting):
    case = services.add_case(meeting=meeting, by=ruth, crime_reference="A1", selection="dip_sample")
    assert client_for(ruth).post(url(case)).status_code == 302
    assert not meeting.cases.exists()


def test_a_finalised_case_stays(client_for, ruth, judged_meeting):
    services.finalise_meeting(meeting=judged_meeting, by=ruth)
    client_for(ruth).post(url(judged_meeting.cases.get()))
    assert judged_meeting.cases.count() == 1


def test_bob_cannot_remove_alices_case(client_for, bob, judged_meeting):
    assert client_for(bob).post(url(judged_meeting.cases.get())).status_code == 404
