"""Draft to finalised: only the chair, only when complete; a correction is an audited reopening."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kpis.models import KpiSnapshot
from panels import services
from panels.models import PanelMember
from soteria.history import history_rows


def _judged_case(meeting, ruth, ref="A1"):
    return services.add_case(
        meeting=meeting,
        by=ruth,
        crime_reference=ref,
        selection="dip_sample",
        judgement="learning",
        judgement_comment="Sound decision, but contact lapsed",
    )


def test_the_chair_finalises_a_complete_record(meeting, ruth, django_capture_on_commit_callbacks):
    _judged_case(meeting, ruth)
    with django_capture_on_commit_callbacks(execute=True):
        services.finalise_meeting(meeting=meeting, by=ruth)
    meeting.refresh_from_db()
    assert meeting.is_finalised and meeting.finalised_by == ruth
    assert history_rows(meeting)[0].reason == "Finalised by the chair"
    snapshot = KpiSnapshot.objects.get(
        force=meeting.panel.force, kpi__slug="panels-held", period="2024-25-q2"
    )
    assert snapshot.value == 1


def test_a_member_who_is_not_the_chair_cannot_finalise(meeting, ruth, priya):
    _judged_case(meeting, ruth)
    PanelMember.objects.create(
        panel=meeting.panel, name="Priya", organisation_type="police", user=priya
    )
    assert not services.may_finalise(user=priya, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.finalise_meeting(meeting=meeting, by=priya)


def test_a_chief_officer_cannot_finalise(meeting, ruth, alice):
    _judged_case(meeting, ruth)
    with pytest.raises(PermissionDenied):
        services.finalise_meeting(meeting=meeting, by=alice)


def test_an_incomplete_record_says_what_is_missing(meeting, ruth):
    services.add_case(meeting=meeting, by=ruth, crime_reference="A1", selection="dip_sample")
    meeting.attendees.clear()
    with pytest.raises(ValidationError) as error:
        services.finalise_meeting(meeting=meeting, by=ruth)
    assert error.value.messages == [
        "Record who attended.",
        f"{meeting.cases.get().label}: give a judgement and a comment.",
    ]


def test_reopening_needs_a_reason_and_keeps_it_in_the_history(meeting, ruth):
    _judged_case(meeting, ruth)
    services.finalise_meeting(meeting=meeting, by=ruth)
    with pytest.raises(ValidationError):
        services.reopen_meeting(meeting=meeting, by=ruth, reason=" ")
    services.reopen_meeting(meeting=meeting, by=ruth, reason="Wrong judgement on case 1")
    meeting.refresh_from_db()
    assert not meeting.is_finalised
    reasons = [row.reason for row in history_rows(meeting)]
    assert reasons[:2] == [
        "Reopened for correction: Wrong judgement on case 1",
        "Finalised by the chair",
    ]


def test_a_new_chair_takes_over_from_the_old(panel, priya, ruth):
    services.add_member(
        panel=panel, by=ruth, name="Priya", organisation_type="cps", user=priya, is_chair=True
    )
    assert services.is_chair(user=priya, panel=panel)
    assert not services.is_chair(user=ruth, panel=panel)


def test_a_chair_needs_an_account(panel, ruth):
    with pytest.raises(ValidationError) as error:
        services.add_member(
            panel=panel, by=ruth, name="No login", organisation_type="isva", is_chair=True
        )
    assert "user" in error.value.message_dict
