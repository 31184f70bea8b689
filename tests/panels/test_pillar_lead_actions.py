"""Pillar leads own panel actions and read those of their pillars, never the cases behind them.

Lena leads pillar 3 (victim engagement) in Avon and Somerset. An action for pillar 3 is
hers to see; one for pillar 4 is not; the meetings and cases are not hers to read.
"""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from panels import services
from soteria import access
from soteria.models import Pillar, Role


@pytest.fixture
def lena(make_user, force_a):
    return make_user("lena", Role.PILLAR_LEAD, force_a, pillars=[3], first_name="Lena")


@pytest.fixture
def actions(judged_meeting, ruth, lena):
    """The judged meeting's pillar 3 action (owned by Ruth), one for Lena, one for pillar 4."""
    mine = services.raise_action(
        meeting=judged_meeting,
        by=ruth,
        title="Offer an ISVA at first contact",
        owner=lena,
        due_date=dt.date(2024, 9, 1),
        pillar=Pillar.objects.get(number=3),
    )
    other = services.raise_action(
        meeting=judged_meeting,
        by=ruth,
        title="Retrain on suspect-focused enquiries",
        owner=ruth,
        due_date=dt.date(2024, 9, 1),
        pillar=Pillar.objects.get(number=4),
    )
    return {
        "pillar 3": judged_meeting.actions.get(owner=ruth, pillar__number=3),
        "mine": mine,
        "pillar 4": other,
    }


def actions_url(force):
    return f"/forces/{force.slug}/panels/actions/"


def test_a_pillar_lead_may_see_panel_actions_of_their_pillars_only(lena, force_a):
    pillar_3, pillar_4 = Pillar.objects.get(number=3), Pillar.objects.get(number=4)
    assert access.can(lena, "view_panel_actions", force_a, pillar=pillar_3)
    assert not access.can(lena, "view_panel_actions", force_a, pillar=pillar_4)
    assert not access.can(lena, "view_panels", force_a)


def test_the_action_log_lists_only_her_pillars_actions(client_for, lena, force_a, actions):
    response = client_for(lena).get(actions_url(force_a))
    assert response.status_code == 200
    assert {a.title for a in response.context["actions"]} == {
        "Remind investigators to refer to ISVAs",
        "Offer an ISVA at first contact",
    }
    assert actions["pillar 3"].meeting.get_absolute_url() not in response.text


def test_she_reads_an_action_of_her_pillar_without_links_to_the_case(client_for, lena, actions):
    action = actions["pillar 3"]
    response = client_for(lena).get(action.get_absolute_url())
    assert response.status_code == 200
    assert response.context["form"] is None
    assert action.case.get_absolute_url() not in response.text
    assert action.meeting.get_absolute_url() not in response.text


def test_an_action_of_another_pillar_is_refused(client_for, lena, actions):
    assert client_for(lena).get(actions["pillar 4"].get_absolute_url()).status_code == 403


def test_the_cases_and_meetings_stay_closed_to_her(client_for, lena, actions):
    client = client_for(lena)
    case = actions["pillar 3"].case
    assert client.get(case.get_absolute_url()).status_code == 403
    assert client.get(case.meeting.get_absolute_url()).status_code == 403
    assert client.get(case.meeting.panel.get_absolute_url()).status_code == 403


def test_the_panels_page_takes_her_to_her_actions(client_for, lena, force_a):
    response = client_for(lena).get(f"/forces/{force_a.slug}/panels/")
    assert response.status_code == 302 and response["Location"] == actions_url(force_a)


def test_she_can_be_chosen_to_own_an_action_of_her_pillar(lena, force_a, actions):
    assert lena in services.owner_choices(force_a)
    assert actions["mine"].owner == lena


def test_she_cannot_own_an_action_of_another_pillar(judged_meeting, ruth, lena):
    with pytest.raises(ValidationError) as error:
        services.raise_action(
            meeting=judged_meeting,
            by=ruth,
            title="x",
            owner=lena,
            due_date=dt.date(2024, 9, 1),
            pillar=Pillar.objects.get(number=4),
        )
    assert "owner" in error.value.message_dict


def test_as_owner_she_records_progress(client_for, lena, actions):
    action = actions["mine"]
    response = client_for(lena).post(
        action.get_absolute_url(),
        {"status": "in_progress", "due_date": "2024-09-01", "progress_note": "Drafted"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_as_owner_she_is_reminded(lena, actions):
    services.send_action_reminders(today=dt.date(2024, 9, 1))
    assert "lena@example.org" in [address for message in mail.outbox for address in message.to]


def test_she_cannot_sit_on_a_panel(panel, ruth, lena, force_a):
    assert lena not in services.member_choices(force_a)
    with pytest.raises(ValidationError):
        services.add_member(
            panel=panel, by=ruth, name="Lena", organisation_type="police", user=lena
        )


def test_bobs_force_stays_closed_to_her(client_for, lena, force_b):
    assert client_for(lena).get(actions_url(force_b)).status_code == 404
