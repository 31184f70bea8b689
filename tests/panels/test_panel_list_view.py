"""The force's panels page, and setting up a panel."""

import pytest

from panels.models import Panel
from soteria.models import Role


def url(force):
    return f"/forces/{force.slug}/panels/"


def test_a_panel_member_sees_the_panels_meetings_and_open_actions(
    client_for, ruth, force_a, judged_meeting, django_assert_max_num_queries
):
    client = client_for(ruth)
    with django_assert_max_num_queries(15):
        response = client.get(url(force_a))
    assert response.status_code == 200
    assert judged_meeting.panel.name in response.text
    assert "Remind investigators to refer to ISVAs" in response.text
    assert "Set up a panel" in response.text


def test_a_chief_officer_reads_but_cannot_set_up_a_panel(client_for, alice, force_a, panel):
    response = client_for(alice).get(url(force_a))
    assert response.status_code == 200
    assert panel.name in response.text
    assert "Set up a panel" not in response.text


@pytest.mark.parametrize("role", [Role.SOTERIA_LEAD, Role.PCC_STAFF])
def test_the_soteria_lead_and_pcc_staff_read_the_panels(
    client_for, make_user, force_a, panel, role
):
    response = client_for(make_user("reader", role, force_a)).get(url(force_a))
    assert response.status_code == 200 and panel.name in response.text


def test_panel_kpis_are_read_from_the_snapshots(client_for, alice, force_a, judged_meeting, ruth):
    from kpis.engine.snapshots import compute_snapshots
    from panels import services

    services.finalise_meeting(meeting=judged_meeting, by=ruth)
    compute_snapshots(force=force_a, period=judged_meeting.period)
    response = client_for(alice).get(url(force_a))
    assert response.context["kpi_period"] == judged_meeting.period
    tiles = {s.kpi.slug: s.value for s in response.context["snapshots"]}
    assert tiles["panels-held"] == 1 and tiles["panel-isva-share"] == 1  # every case, as a fraction
    card = response.text.split('id="kpi-panel-isva-share"')[1].split("</div></div></div>")[0]
    assert '<p class="fs-4 mb-1 kpi-value">100.0%</p>' in card  # as the flight deck shows it


def test_bob_cannot_see_alices_panels(client_for, bob, force_a, panel):
    assert client_for(bob).get(url(force_a)).status_code == 404


def test_an_analyst_may_not_read_panels(client_for, analyst, force_a, panel):
    assert client_for(analyst).get(url(force_a)).status_code == 403


def test_a_panel_member_sets_up_a_panel(client_for, ruth, force_a):
    response = client_for(ruth).post(
        url(force_a) + "new/", {"name": "Child RASSO panel", "remit": "Under-18 victims"}
    )
    panel = Panel.objects.get(name="Child RASSO panel")
    assert panel.force == force_a
    assert response.status_code == 302 and response.url == panel.get_absolute_url()


@pytest.mark.parametrize("who,status", [("alice", 403), ("bob", 404)])
def test_others_cannot_set_up_a_panel(client_for, request, force_a, who, status):
    response = client_for(request.getfixturevalue(who)).post(url(force_a) + "new/", {"name": "X"})
    assert response.status_code == status
    assert not Panel.objects.filter(name="X").exists()


def test_setting_up_rejects_get(client_for, ruth, force_a):
    assert client_for(ruth).get(url(force_a) + "new/").status_code == 405
