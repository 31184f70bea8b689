"""Changing a panel seat: handing over the chair, recording that a member has left."""


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
