"""Raising an action from a finding at the meeting."""

from panels.models import Action
from soteria.models import Pillar


def url(meeting):
    return f"/forces/{meeting.panel.force.slug}/panels/meetings/{meeting.pk}/actions/add/"


def _data(meeting, owner, **extra):
    return {
        "title": "Audit ISVA referrals",
        "case": meeting.cases.first().pk,
        "owner": owner.pk,
        "due_date": "2024-10-31",
        "pillar": Pillar.objects.get(number=3).pk,
        **extra,
    }


def test_a_panel_member_raises_an_action_with_owner_due_date_and_pillar(
    client_for, ruth, alice, judged_meeting
):
    response = client_for(ruth).post(url(judged_meeting), _data(judged_meeting, alice))
    assert response.status_code == 302
    action = Action.objects.get(title="Audit ISVA referrals")
    assert (action.owner, action.pillar.number, action.status) == (alice, 3, "open")
    assert action.case == judged_meeting.cases.first()


def test_the_owner_must_be_someone_in_the_force(client_for, ruth, bob, judged_meeting):
    response = client_for(ruth).post(url(judged_meeting), _data(judged_meeting, bob))
    assert response.status_code == 400
    assert "owner" in response.context["action_form"].errors


def test_a_missing_due_date_is_named(client_for, ruth, alice, judged_meeting):
    response = client_for(ruth).post(url(judged_meeting), _data(judged_meeting, alice, due_date=""))
    assert response.context["action_form"].errors == {"due_date": ["This field is required."]}


def test_bob_cannot_raise_actions_on_alices_meeting(client_for, bob, judged_meeting):
    assert client_for(bob).post(url(judged_meeting), {}).status_code == 404


def test_an_action_due_before_its_meeting_is_refused_at_the_due_date(
    client_for, ruth, alice, judged_meeting
):
    response = client_for(ruth).post(
        url(judged_meeting), _data(judged_meeting, alice, due_date="2024-07-14")
    )
    assert response.status_code == 400
    assert response.context["action_form"].errors == {
        "due_date": ["An action cannot be due before the meeting that raised it (15 July 2024)."]
    }
    assert not Action.objects.filter(title="Audit ISVA referrals").exists()
