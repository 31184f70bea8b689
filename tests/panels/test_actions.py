"""Actions outlive their meeting: carried forward to every later agenda until closed."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from panels import services
from panels.models import Action
from soteria.models import Pillar


@pytest.fixture
def action(meeting, ruth):
    return services.raise_action(
        meeting=meeting,
        by=ruth,
        title="Brief investigators on ISVA referral",
        owner=ruth,
        due_date=dt.date(2024, 9, 1),
        pillar=Pillar.objects.get(number=3),
    )


def _next_meeting(panel, ruth, day):
    return services.create_meeting(panel=panel, by=ruth, date=day)


def test_an_open_action_is_on_every_following_agenda_until_closed(panel, ruth, action):
    second = _next_meeting(panel, ruth, dt.date(2024, 10, 10))
    third = _next_meeting(panel, ruth, dt.date(2025, 1, 10))
    assert services.agenda_actions(second) == [action]
    assert services.agenda_actions(third) == [action]
    with time_machine.travel(dt.datetime(2024, 11, 1, 12)):
        services.update_action(action=action, by=ruth, status="closed", progress_note="Done")
    assert services.agenda_actions(second) == [action]  # still open on that date
    assert services.agenda_actions(third) == []


def test_the_meeting_that_raised_it_does_not_carry_it(meeting, action):
    assert services.agenda_actions(meeting) == []


def test_overdue_is_flagged_once_the_due_date_has_passed(action):
    with time_machine.travel(dt.datetime(2024, 9, 1, 12)):
        assert action.is_open and not action.is_overdue
    with time_machine.travel(dt.datetime(2024, 9, 2, 12)):
        assert action.is_overdue


def test_closing_records_the_day_and_reopening_clears_it(action, ruth):
    with time_machine.travel(dt.datetime(2024, 9, 5, 12)):
        services.update_action(action=action, by=ruth, status="closed", progress_note="Done")
    assert action.closed_on == dt.date(2024, 9, 5)
    assert not action.is_open and not action.is_overdue
    services.update_action(action=action, by=ruth, status="in_progress", progress_note="Not yet")
    assert action.closed_on is None


def test_actions_stay_editable_after_the_meeting_is_finalised(meeting, ruth, action):
    services.add_case(
        meeting=meeting,
        by=ruth,
        crime_reference="A1",
        selection="dip_sample",
        judgement="sound",
        judgement_comment="Fine",
    )
    services.finalise_meeting(meeting=meeting, by=ruth)
    services.update_action(action=action, by=ruth, status="in_progress", progress_note="Started")
    assert Action.objects.get(pk=action.pk).status == "in_progress"


def test_the_owner_must_see_the_forces_panels(meeting, ruth, bob):
    with pytest.raises(ValidationError) as error:
        services.raise_action(
            meeting=meeting,
            by=ruth,
            title="x",
            owner=bob,
            due_date=dt.date(2024, 9, 1),
            pillar=Pillar.objects.get(number=1),
        )
    assert "owner" in error.value.message_dict


def test_the_recs_contract(action):
    """The recommendations app links to actions by these names only."""
    assert Action.FORCE_FIELD == "meeting__panel__force"
    assert str(action) == "Brief investigators on ISVA referral"
    assert action.get_absolute_url().endswith(f"/panels/actions/{action.pk}/")
    assert action.get_status_display() == "Open"
    assert isinstance(action.is_open, bool) and isinstance(action.is_overdue, bool)


def test_an_action_cannot_be_due_before_the_meeting_that_raised_it(meeting, ruth):
    with pytest.raises(ValidationError) as error:
        services.raise_action(
            meeting=meeting,
            by=ruth,
            title="x",
            owner=ruth,
            due_date=dt.date(2024, 7, 14),
            pillar=Pillar.objects.get(number=1),
        )
    assert error.value.message_dict == {
        "due_date": ["An action cannot be due before the meeting that raised it (15 July 2024)."]
    }


def test_an_action_may_be_due_on_the_day_of_its_meeting(meeting, ruth):
    action = services.raise_action(
        meeting=meeting,
        by=ruth,
        title="Tell the team today",
        owner=ruth,
        due_date=meeting.date,
        pillar=Pillar.objects.get(number=1),
    )
    assert action.due_date == meeting.date
