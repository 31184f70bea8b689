"""External panel members: the panels they sit on, and nothing else of the force.

Isla is an ISVA from a Rape Crisis centre with an external panel member's account in Avon
and Somerset. She sits on its NFA panel. She reads that panel's pages (members, meetings,
cases, actions); a second panel of the force, the flight deck, evidence returns, imports,
recommendations and the learning summary stay closed to her, and so does everything once
she leaves the panel.
"""

import datetime as dt

import pytest

from panels import services
from panels.models import Action, Meeting, OrganisationType, PanelMember
from soteria import access
from soteria.models import Pillar, Role

from .factories import make_panel


@pytest.fixture
def isla(make_user, force_a):
    return make_user("isla", Role.EXTERNAL_PANEL_MEMBER, force_a, first_name="Isla")


@pytest.fixture
def seat(judged_meeting, isla, ruth):
    return services.add_member(
        panel=judged_meeting.panel,
        by=ruth,
        name="Isla",
        organisation_type=OrganisationType.ISVA,
        organisation="Rape Crisis",
        user=isla,
    )


@pytest.fixture
def other_meeting(force_a, ruth):
    """A second panel of the same force, with a judged case and an action: not Isla's."""
    panel = make_panel(force_a, chair=ruth, name="Youth panel")
    meeting = services.create_meeting(
        panel=panel, by=ruth, date=dt.date(2024, 7, 20), attendees=panel.members.all()
    )
    case = services.add_case(meeting=meeting, by=ruth, crime_reference="Y1", selection="dip_sample")
    services.raise_action(
        meeting=meeting,
        by=ruth,
        title="Youth panel action",
        owner=ruth,
        due_date=dt.date(2024, 9, 1),
        pillar=Pillar.objects.get(number=2),
        case=case,
    )
    return meeting


def _pages(meeting: Meeting) -> list[str]:
    case, action = meeting.cases.first(), meeting.actions.first()
    return [
        meeting.panel.get_absolute_url(),
        meeting.get_absolute_url(),
        meeting.get_absolute_url() + "agenda/",
        meeting.get_absolute_url() + "minutes.docx",
        case.get_absolute_url(),
        action.get_absolute_url(),
    ]


def test_she_may_see_no_force_page_as_a_whole(isla, force_a):
    assert not access.can(isla, "view", force_a)
    assert not access.can(isla, "view_panels", force_a)
    assert not access.forces_for(isla).exists()


def test_she_reads_the_pages_of_her_panel(client_for, isla, seat, judged_meeting):
    client = client_for(isla)
    for url in _pages(judged_meeting):
        assert client.get(url).status_code == 200, url


def test_her_panel_pages_offer_her_no_recording(client_for, isla, seat, judged_meeting):
    client = client_for(isla)
    assert "Add a case by crime reference" not in client.get(judged_meeting.get_absolute_url()).text
    assert client.get(judged_meeting.actions.get().get_absolute_url()).context["form"] is None
    add_case = judged_meeting.get_absolute_url() + "cases/add/"
    assert client.post(
        add_case, {"crime_reference": "X", "selection": "dip_sample"}
    ).status_code in (
        403,
        404,
    )


def test_the_panels_list_and_action_log_hold_only_her_panel(
    client_for, isla, seat, judged_meeting, other_meeting, force_a
):
    client = client_for(isla)
    page = client.get(f"/forces/{force_a.slug}/panels/")
    assert page.status_code == 200
    assert [p.name for p in page.context["panels"]] == [judged_meeting.panel.name]
    assert [m.panel for m in page.context["recent"]] == [judged_meeting.panel]
    assert "Youth panel action" not in page.text
    assert page.context["snapshots"] == []  # force-wide KPIs are not hers
    log = client.get(f"/forces/{force_a.slug}/panels/actions/?state=all")
    assert [a.title for a in log.context["actions"]] == ["Remind investigators to refer to ISVAs"]


def test_another_panel_of_the_force_is_not_found(client_for, isla, seat, other_meeting):
    client = client_for(isla)
    for url in _pages(other_meeting):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "path",
    [
        "",
        "flight-deck/",
        "kpis/panels-held/",
        "targets/",
        "evidence/",
        "imports/",
        "recommendations/",
        "panels/reports/",
    ],
)
def test_the_rest_of_the_force_is_closed_to_her(client_for, isla, seat, force_a, path):
    assert client_for(isla).get(f"/forces/{force_a.slug}/{path}").status_code in (403, 404)


def test_once_she_leaves_the_panel_its_pages_close(client_for, isla, seat, judged_meeting, ruth):
    services.update_member(member=seat, by=ruth, active=False)
    client = client_for(isla)
    for url in _pages(judged_meeting):
        assert client.get(url).status_code == 404, url


def test_bobs_force_is_not_found(client_for, isla, seat, force_b):
    assert client_for(isla).get(f"/forces/{force_b.slug}/panels/").status_code == 404


def test_home_shows_her_work_and_takes_her_to_her_panels(client_for, isla, seat, force_a):
    response = client_for(isla).get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/forces/{force_a.slug}/panels/"' in page
    assert f'href="/forces/{force_a.slug}/flight-deck/"' not in page


def test_the_navigation_offers_her_only_the_panels(client_for, isla, seat, force_a):
    page = client_for(isla).get(f"/forces/{force_a.slug}/panels/").text
    assert f'href="/forces/{force_a.slug}/flight-deck/"' not in page
    assert f'href="/forces/{force_a.slug}/panels/"' in page


def test_she_can_be_seated_but_not_given_actions(force_a, isla):
    assert isla in services.member_choices(force_a)
    assert isla not in services.owner_choices(force_a)


def test_an_account_without_a_seat_sees_no_panel(client_for, isla, judged_meeting, force_a):
    client = client_for(isla)
    assert client.get(judged_meeting.get_absolute_url()).status_code == 404
    assert list(client.get(f"/forces/{force_a.slug}/panels/").context["panels"]) == []


def test_the_seat_rule_holds_in_scoped_queries(isla, seat, judged_meeting, other_meeting):
    assert list(access.scoped(Meeting.objects.all(), isla, "view_panels")) == [judged_meeting]
    assert set(access.scoped(Action.objects.all(), isla, "view_panel_actions")) == set(
        judged_meeting.actions.all()
    )
    assert not access.scoped(PanelMember.objects.all(), isla, "view_panels").exists()


def test_she_cannot_chair_for_a_chair_finalises(seat, ruth):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.update_member(member=seat, by=ruth, is_chair=True)
    assert "A chair finalises the record" in error.value.message_dict["user"][0]
