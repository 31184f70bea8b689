"""Cases reviewed: entered by crime reference, pseudonymised, linked to the imported record."""

import pytest
from django.core.exceptions import ValidationError

from panels import services
from panels.models import CaseReview
from soteria.pseudonym import pseudonymise

from .factories import make_record


def test_a_case_entered_by_reference_fills_itself_in_from_the_import(meeting, ruth, force_a):
    record = make_record(force_a, "AS/24/1001", outcome_type="15", offence_code="19D")
    case = services.add_case(
        meeting=meeting, by=ruth, crime_reference=" as/24/1001 ", selection="dip_sample"
    )
    assert case.crime_ref_hash == pseudonymise("AS/24/1001") == record.crime_ref_hash
    assert case.crime_record == record
    assert (case.offence_code, case.outcome_type) == ("19D", "15")
    assert case.recorded_date == record.recorded_date
    assert case.outcome_date == record.outcome_date


def test_the_reference_is_never_stored_in_clear(meeting, ruth):
    case = services.add_case(
        meeting=meeting, by=ruth, crime_reference="AS/24/7777", selection="dip_sample"
    )
    stored = " ".join(
        str(v) for v in CaseReview.objects.filter(pk=case.pk).values().first().values()
    )
    assert "7777" not in stored
    assert case.label == f"Case 1 · {case.crime_ref_hash[:8]}"


def test_another_forces_record_is_not_linked(meeting, ruth, force_b):
    make_record(force_b, "AS/24/1001")
    case = services.add_case(
        meeting=meeting,
        by=ruth,
        crime_reference="AS/24/1001",
        selection="dip_sample",
        offence_code="20A",
    )
    assert case.crime_record is None
    assert case.offence_code == "20A"


def test_cases_are_numbered_within_the_meeting(meeting, ruth):
    first = services.add_case(
        meeting=meeting, by=ruth, crime_reference="A1", selection="dip_sample"
    )
    second = services.add_case(
        meeting=meeting, by=ruth, crime_reference="A2", selection="dip_sample"
    )
    assert (first.sequence, second.sequence) == (1, 2)


def test_the_same_case_cannot_be_added_twice_to_a_meeting(meeting, ruth):
    services.add_case(meeting=meeting, by=ruth, crime_reference="A1", selection="dip_sample")
    with pytest.raises(ValidationError) as error:
        services.add_case(meeting=meeting, by=ruth, crime_reference="a1", selection="dip_sample")
    assert "already on this meeting" in str(error.value)


def test_a_proposed_case_names_its_proposer(meeting, ruth, isva):
    with pytest.raises(ValidationError) as error:
        services.add_case(meeting=meeting, by=ruth, crime_reference="A1", selection="proposed")
    assert "proposed_by" in error.value.message_dict
    case = services.add_case(
        meeting=meeting, by=ruth, crime_reference="A1", selection="proposed", proposed_by=isva
    )
    assert case.selected_by_isva


def test_a_mandatory_case_names_its_criterion(meeting, ruth):
    with pytest.raises(ValidationError) as error:
        services.add_case(meeting=meeting, by=ruth, crime_reference="A1", selection="mandatory")
    assert "criterion" in error.value.message_dict


def test_a_judgement_needs_a_comment(meeting, ruth):
    with pytest.raises(ValidationError) as error:
        services.add_case(
            meeting=meeting,
            by=ruth,
            crime_reference="A1",
            selection="dip_sample",
            judgement="concerns",
        )
    assert "judgement_comment" in error.value.message_dict


def test_a_finalised_meeting_refuses_new_cases(meeting, ruth):
    case = services.add_case(
        meeting=meeting,
        by=ruth,
        crime_reference="A1",
        selection="dip_sample",
        judgement="sound",
        judgement_comment="Good work",
    )
    services.finalise_meeting(meeting=meeting, by=ruth)
    with pytest.raises(ValidationError, match="finalised and locked"):
        services.add_case(meeting=meeting, by=ruth, crime_reference="A2", selection="dip_sample")
    with pytest.raises(ValidationError, match="finalised and locked"):
        services.update_case(case=case, by=ruth, findings="changed")


def test_a_charged_case_is_not_added_to_an_nfa_panel_without_confirmation(meeting, ruth, force_a):
    make_record(force_a, "AS/24/2001", outcome_type="1")
    with pytest.raises(ValidationError) as error:
        services.add_case(
            meeting=meeting, by=ruth, crime_reference="AS/24/2001", selection="dip_sample"
        )
    assert error.value.message_dict == {
        "add_anyway": [
            "Outcome 1 (Charged or summonsed) is not a no-further-action outcome, and this "
            "panel reviews cases closed with no further action. Tick “add anyway” if the "
            "panel means to review it."
        ]
    }
    assert not meeting.cases.exists()


def test_a_case_typed_in_with_a_charge_outcome_is_warned_about_too(meeting, ruth):
    with pytest.raises(ValidationError) as error:
        services.add_case(
            meeting=meeting, by=ruth, crime_reference="X1", selection="dip_sample", outcome_type="1"
        )
    assert "add_anyway" in error.value.message_dict


def test_a_case_still_open_in_the_imports_is_warned_about(meeting, ruth, force_a):
    make_record(force_a, "AS/24/2002", outcome_type="", outcome_date=None)
    with pytest.raises(ValidationError) as error:
        services.add_case(
            meeting=meeting, by=ruth, crime_reference="AS/24/2002", selection="dip_sample"
        )
    assert "still open" in error.value.message_dict["add_anyway"][0]


def test_a_confirmed_charged_case_is_added_and_the_confirmation_kept(meeting, ruth, force_a):
    make_record(force_a, "AS/24/2003", outcome_type="1")
    case = services.add_case(
        meeting=meeting,
        by=ruth,
        crime_reference="AS/24/2003",
        selection="dip_sample",
        add_anyway=True,
    )
    assert case.outcome_type == "1"
    assert case.history.get().history_change_reason == (
        "Outcome 1 is not NFA: reviewed anyway, as confirmed"
    )


def test_an_nfa_case_and_one_of_unknown_outcome_need_no_confirmation(meeting, ruth, force_a):
    make_record(force_a, "AS/24/2004", outcome_type="15")
    services.add_case(
        meeting=meeting, by=ruth, crime_reference="AS/24/2004", selection="dip_sample"
    )
    services.add_case(meeting=meeting, by=ruth, crime_reference="X2", selection="dip_sample")
    assert meeting.cases.count() == 2


def test_changing_a_typed_in_outcome_to_a_charge_is_warned_about(meeting, ruth):
    case = services.add_case(
        meeting=meeting, by=ruth, crime_reference="X3", selection="dip_sample", outcome_type="15"
    )
    with pytest.raises(ValidationError) as error:
        services.update_case(case=case, by=ruth, outcome_type="1")
    assert "add_anyway" in error.value.message_dict
    case.refresh_from_db()
    assert case.outcome_type == "15"
