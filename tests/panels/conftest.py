"""Panel fixtures. Ruth, a panel member in Avon and Somerset, chairs its panel; Priya sits on it."""

import datetime as dt

import pytest

from panels import services
from panels.models import OrganisationType
from soteria.models import Role

from .factories import make_panel


@pytest.fixture
def panel(force_a, ruth):
    return make_panel(force_a, chair=ruth)


@pytest.fixture
def isva(panel):
    return panel.members.get(organisation_type=OrganisationType.ISVA)


@pytest.fixture
def priya(make_user, force_a):
    """A panel member in force A who is not the chair."""
    return make_user("priya", Role.PANEL_MEMBER, force_a, first_name="Priya")


@pytest.fixture
def meeting(panel, ruth):
    return services.create_meeting(
        panel=panel, by=ruth, date=dt.date(2024, 7, 15), attendees=panel.members.all()
    )


@pytest.fixture
def ruth_client(client, ruth):
    client.force_login(ruth)
    return client


@pytest.fixture
def analyst(make_user, force_a):
    return make_user("andy", Role.ANALYST, force_a)


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def judged_meeting(meeting, ruth, isva):
    """A meeting with one ISVA-proposed case, judged, and an action raised from it."""
    from soteria.models import Pillar

    case = services.add_case(
        meeting=meeting,
        by=ruth,
        crime_reference="AS/24/5555",
        selection="proposed",
        proposed_by=isva,
        judgement="concerns",
        judgement_comment="Contact with the victim lapsed for six weeks",
        findings="No ISVA referral was made at report.",
    )
    services.raise_action(
        meeting=meeting,
        by=ruth,
        title="Remind investigators to refer to ISVAs",
        owner=ruth,
        due_date=dt.date(2024, 9, 30),
        pillar=Pillar.objects.get(number=3),
        case=case,
    )
    return meeting
