"""A return's page: figures, narrative, history; who may see which returns."""

from kpis.evidence import services as service

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD


def url(force, pillar=4):
    return f"/forces/{force.slug}/evidence/{PERIOD.slug}/pillar-{pillar}/"


def test_it_shows_the_figures_narrative_and_history(
    client, sam, draft_return, force_a, django_assert_max_num_queries
):
    client.force_login(sam)
    with django_assert_max_num_queries(20):  # one history query per figure
        response = client.get(url(force_a))
    body = response.content.decode()
    assert "28 of 40 (70.0%)" in body
    assert "Checked by HR." in body
    assert "Entered figure for accredited investigators" in body
    assert "Pat Lee" in body


def test_the_soteria_lead_sees_the_review_buttons(client, sam, pat, draft_return, force_a):
    service.submit_return(evidence_return=draft_return, by=pat)
    client.force_login(sam)
    body = client.get(url(force_a)).content.decode()
    assert "Return for changes" in body and "Approve" in body


def test_a_panel_member_cannot_see_an_unapproved_return(client, ruth, draft_return, force_a):
    client.force_login(ruth)
    assert client.get(url(force_a)).status_code == 404


def test_a_panel_member_can_read_an_approved_return(client, ruth, approved_return, force_a):
    client.force_login(ruth)
    response = client.get(url(force_a))
    assert response.status_code == 200
    assert "Approve" not in response.content.decode().replace("Approved", "")


def test_chief_officer_reads_a_draft(alice_client, draft_return, force_a):
    response = alice_client.get(url(force_a))
    assert response.status_code == 200
    assert "Edit this return" not in response.content.decode()


def test_bob_cannot_see_force_as_approved_return(bob_client, approved_return, force_a):
    assert bob_client.get(url(force_a)).status_code == 404


def test_pcc_staff_read_a_draft_but_cannot_edit_it(client, make_user, draft_return, force_a):
    from soteria.models import Role

    client.force_login(make_user("percy", Role.PCC_STAFF, force_a))
    assert client.get(url(force_a)).status_code == 200
    assert client.get(url(force_a) + "edit/").status_code == 403


def test_an_analyst_sees_only_approved_returns(client, make_user, draft_return, force_a):
    from soteria.models import Role

    client.force_login(make_user("ana", Role.ANALYST, force_a))
    assert client.get(url(force_a)).status_code == 404
