"""Scrutiny panels on "my work": Ruth (who chairs) sees the actions she owns, the next
meeting, and a past meeting still to finalise; Isla (an external ISVA member) sees the
meetings of the panel she sits on; Bob in Staffordshire sees none of it."""

import datetime as dt

import pytest

from panels import services
from panels.services.work import my_work
from soteria.models import Role
from soteria.work import Section

TODAY = dt.date(2024, 8, 1)


@pytest.fixture
def isla(make_user, force_a, isva):
    user = make_user("isla", Role.EXTERNAL_PANEL_MEMBER, force_a, first_name="Isla")
    isva.user = user
    isva.save()
    return user


@pytest.fixture
def next_meeting(panel, ruth):
    return services.create_meeting(
        panel=panel, by=ruth, date=TODAY + dt.timedelta(days=14), attendees=[]
    )


def by_section(items):
    found = {}
    for item in items:
        found.setdefault(item.section, []).append(item.title)
    return found


def test_the_chair_sees_her_actions_next_meeting_and_minutes_to_finalise(
    judged_meeting, next_meeting, ruth
):
    found = by_section(my_work(user=ruth, today=TODAY))
    assert found[Section.ACTIONS] == ["Panel action: Remind investigators to refer to ISVAs"]
    assert found[Section.MEETINGS] == [
        f"{next_meeting.panel.name}: {next_meeting.date:%A %-d %B %Y}"
    ]
    assert found[Section.AWAITING] == [
        f"Finalise the minutes: {judged_meeting.panel.name}, 15 July 2024"
    ]


def test_an_action_past_its_due_date_is_overdue(judged_meeting, ruth):
    (item,) = [i for i in my_work(user=ruth, today=dt.date(2024, 10, 1)) if "action" in i.title]
    assert item.section == Section.OVERDUE and item.overdue
    assert item.url == judged_meeting.actions.get().get_absolute_url()


def test_a_closed_action_is_no_ones_work(judged_meeting, ruth):
    action = judged_meeting.actions.get()
    action.status, action.closed_on = "closed", TODAY
    action.save()
    assert not [i for i in my_work(user=ruth, today=TODAY) if "action" in i.title]


def test_an_external_member_sees_the_meetings_of_her_panel(isla, next_meeting):
    found = by_section(my_work(user=isla, today=TODAY))
    assert list(found) == [Section.MEETINGS]
    assert len(found[Section.MEETINGS]) == 1


def test_bob_sees_nothing_of_avon_and_somerset(bob, judged_meeting, next_meeting):
    assert my_work(user=bob, today=TODAY) == []
