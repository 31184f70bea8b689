"""Changing a panel seat: handing over the chair, recording that a member has left."""

import pytest
from django.core.exceptions import PermissionDenied

from panels import services
from panels.models import PanelMember
from soteria.models import Role

from .factories import make_panel


def url(member):
    return f"/forces/{member.panel.force.slug}/panels/members/{member.pk}/"


def _data(member, **extra):
    data = {"name": member.name, "organisation_type": member.organisation_type, "active": "on"}
    return {**data, **extra}


def test_a_member_who_leaves_is_kept_as_a_former_member(client_for, ruth, isva):
    response = client_for(ruth).post(url(isva), _data(isva, active=""))
    assert response.status_code == 302
    isva.refresh_from_db()
    assert not isva.active


def test_the_chair_is_handed_over(client_for, ruth, panel, priya):
    member = panel.members.get(name="Carl CPS")
    response = client_for(ruth).post(url(member), _data(member, user=priya.pk, is_chair="on"))
    assert response.status_code == 302
    assert panel.members.get(is_chair=True) == member


def test_a_former_member_cannot_chair(client_for, ruth, panel):
    chair = panel.members.get(is_chair=True)
    response = client_for(ruth).post(
        url(chair), _data(chair, user=ruth.pk, is_chair="on", active="")
    )
    assert response.status_code == 200
    assert "must be a current member" in response.text


def test_bob_cannot_change_alices_panel(client_for, bob, isva):
    assert client_for(bob).get(url(isva)).status_code == 404


def test_a_chief_officer_cannot_change_members(client_for, alice, isva):
    assert client_for(alice).get(url(isva)).status_code == 403


# Who chairs is changed by the chair, a force Soteria lead or an administrator, no one else.


@pytest.fixture
def priyas_seat(panel, priya):
    return PanelMember.objects.create(
        panel=panel, name="Priya", organisation_type="police", user=priya
    )


@pytest.fixture
def complete_meeting(meeting, ruth):
    services.add_case(
        meeting=meeting,
        by=ruth,
        crime_reference="A1",
        selection="dip_sample",
        judgement="sound",
        judgement_comment="Fine",
    )
    return meeting


def _finalise(client, meeting):
    return client.post(f"/forces/{meeting.panel.force.slug}/panels/meetings/{meeting.pk}/finalise/")


def test_a_member_who_ticks_chair_on_their_own_seat_does_not_become_chair(
    client_for, priya, panel, priyas_seat, ruth, complete_meeting
):
    client = client_for(priya)
    client.post(url(priyas_seat), _data(priyas_seat, user=priya.pk, is_chair="on"))
    assert panel.members.get(is_chair=True).user == ruth
    assert _finalise(client, complete_meeting).status_code == 403
    complete_meeting.refresh_from_db()
    assert not complete_meeting.is_finalised


def test_a_member_cannot_put_their_account_on_the_chairs_seat(
    client_for, priya, panel, priyas_seat, ruth
):
    chair = panel.members.get(is_chair=True)
    client_for(priya).post(url(chair), _data(chair, user=priya.pk, is_chair="on"))
    chair.refresh_from_db()
    assert chair.is_chair and chair.user == ruth


def test_a_member_cannot_add_a_new_chair(client_for, priya, panel, priyas_seat, ruth):
    client_for(priya).post(
        f"/forces/{panel.force.slug}/panels/{panel.pk}/members/add/",
        {"name": "Priya again", "organisation_type": "cps", "user": priya.pk, "is_chair": "on"},
    )
    assert panel.members.get(is_chair=True).user == ruth


def test_the_chair_box_is_not_offered_to_a_member_who_is_not_the_chair(
    client_for, priya, priyas_seat
):
    form = client_for(priya).get(url(priyas_seat)).context["form"]
    assert form.fields["is_chair"].disabled


def test_the_service_refuses_a_chair_change_by_a_member(panel, priya, priyas_seat):
    with pytest.raises(PermissionDenied):
        services.update_member(member=priyas_seat, by=priya, is_chair=True)
    with pytest.raises(PermissionDenied):
        services.add_member(
            panel=panel, by=priya, name="P", organisation_type="cps", user=priya, is_chair=True
        )


def test_a_soteria_lead_hands_the_chair_over(client_for, make_user, force_a, panel, priyas_seat):
    lead = make_user("sol", Role.SOTERIA_LEAD, force_a)
    response = client_for(lead).post(
        url(priyas_seat), {"user": priyas_seat.user_id, "is_chair": "on"}
    )
    assert response.status_code == 302
    assert panel.members.get(is_chair=True) == priyas_seat
    priyas_seat.refresh_from_db()
    assert priyas_seat.name == "Priya" and priyas_seat.active


def test_a_soteria_lead_changes_only_who_chairs(client_for, make_user, force_a, priyas_seat):
    lead = make_user("sol", Role.SOTERIA_LEAD, force_a)
    form = client_for(lead).get(url(priyas_seat)).context["form"]
    assert set(form.fields) == {"user", "is_chair"}


def test_a_panel_without_a_chair_takes_its_first_from_a_member_recording_it(force_a, priya, ruth):
    panel = make_panel(force_a)
    seat = services.add_member(
        panel=panel, by=priya, name="Priya", organisation_type="cps", user=priya, is_chair=True
    )
    assert seat.is_chair
