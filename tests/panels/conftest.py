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
