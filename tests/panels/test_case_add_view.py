"""Adding a case by crime reference from the meeting page."""

from panels.models import CaseReview

from .factories import make_record


def url(meeting):
    return f"/forces/{meeting.panel.force.slug}/panels/meetings/{meeting.pk}/cases/add/"


def test_a_case_proposed_by_the_isva_is_added_and_linked(client_for, ruth, meeting, isva, force_a):
    record = make_record(force_a, "AS/24/42", outcome_type="15")
    response = client_for(ruth).post(
        url(meeting),
        {
            "crime_reference": "AS/24/42",
            "selection": "proposed",
            "proposed_by": isva.pk,
            "judgement": "concerns",
            "judgement_comment": "Suspect not interviewed",
            "findings": "No suspect interview",
        },
    )
    assert response.status_code == 302
    case = CaseReview.objects.get(meeting=meeting)
    assert case.crime_record == record and case.outcome_type == "15"
    assert case.selected_by_isva


def test_a_proposal_without_a_proposer_is_refused_at_the_field(client_for, ruth, meeting):
    response = client_for(ruth).post(
        url(meeting), {"crime_reference": "AS/1", "selection": "proposed"}
    )
    assert response.status_code == 400
    assert response.context["case_form"].errors == {
        "proposed_by": ["Say which member proposed this case."]
    }


def test_a_duplicate_is_refused_at_the_reference(client_for, ruth, judged_meeting):
    response = client_for(ruth).post(
        url(judged_meeting), {"crime_reference": "as/24/5555", "selection": "dip_sample"}
    )
    assert response.context["case_form"].errors == {
        "crime_reference": ["This case is already on this meeting."]
    }


def test_a_finalised_meeting_takes_no_more_cases(client_for, ruth, judged_meeting):
    from panels import services

    services.finalise_meeting(meeting=judged_meeting, by=ruth)
    response = client_for(ruth).post(
        url(judged_meeting), {"crime_reference": "AS/9", "selection": "dip_sample"}
    )
    assert response.status_code == 400
    assert judged_meeting.cases.count() == 1


def test_a_chief_officer_cannot_add_cases(client_for, alice, meeting):
    response = client_for(alice).post(
        url(meeting), {"crime_reference": "X", "selection": "dip_sample"}
    )
    assert response.status_code == 403


def test_bob_cannot_add_cases_to_alices_meeting(client_for, bob, meeting):
    response = client_for(bob).post(
        url(meeting), {"crime_reference": "X", "selection": "dip_sample"}
    )
    assert response.status_code == 404


def test_a_charged_case_asks_to_be_confirmed_then_is_added(client_for, ruth, meeting, force_a):
    make_record(force_a, "AS/24/77", outcome_type="1")
    client = client_for(ruth)
    data = {"crime_reference": "AS/24/77", "selection": "dip_sample"}
    response = client.post(url(meeting), data)
    assert response.status_code == 400
    assert (
        "is not a no-further-action outcome"
        in response.context["case_form"].errors["add_anyway"][0]
    )
    assert 'type="checkbox" name="add_anyway"' in response.text
    assert not meeting.cases.exists()
    assert client.post(url(meeting), {**data, "add_anyway": "on"}).status_code == 302
    assert meeting.cases.get().outcome_type == "1"


def test_the_add_anyway_box_is_not_offered_before_a_warning(client_for, ruth, meeting):
    page = client_for(ruth).get(f"/forces/{meeting.panel.force.slug}/panels/meetings/{meeting.pk}/")
    assert 'type="checkbox" name="add_anyway"' not in page.text
