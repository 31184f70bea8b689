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


def test_the_removal_stays_in_the_meetings_history_naming_the_case(client_for, ruth, meeting):
    case = services.add_case(meeting=meeting, by=ruth, crime_reference="A1", selection="dip_sample")
    client = client_for(ruth)
    client.post(url(case))
    history = client.get(meeting.get_absolute_url()).context["history"]
    removed = next(row for row in history if row.action == "Deleted")
    assert removed.subject == case.label == f"Case 1 · {case.crime_ref_hash[:8]}"
    assert removed.reason == "Removed from the meeting"
    assert removed.who == "Ruth"
