"""The navigation shows each user only the areas their role may open (soteria.access decides),
and every area it shows opens."""

import pytest
from django.contrib.auth import get_user_model

from soteria.models import Role

pytestmark = pytest.mark.django_db

AREAS = {
    "NOM framework",
    "Flight deck",
    "Problem profile",
    "Evidence returns",
    "Scrutiny panels",
    "Recommendations",
    "Data imports",
}


def nav_labels(page) -> set[str]:
    return {item.label for item in page.context["nav_items"]}


def test_a_chief_officer_is_not_shown_data_imports(alice_client, force_a):
    page = alice_client.get(f"/forces/{force_a.slug}/")
    assert nav_labels(page) == AREAS - {"Data imports"}
    assert "Data imports" not in page.content.decode()
    assert alice_client.get(f"/forces/{force_a.slug}/imports/").status_code == 403


# National roles and external panel members (who see only the panels they sit on) have
# their own tests: they hold no force-wide membership to navigate from.
FORCE_ROLES = [
    r
    for r in Role
    if r not in (Role.NATIONAL_VIEWER, Role.NATIONAL_ANALYST, Role.EXTERNAL_PANEL_MEMBER)
]


@pytest.mark.parametrize("role", FORCE_ROLES)
def test_every_area_shown_opens_and_every_area_hidden_is_refused(role, make_user, client, force_a):
    client.force_login(make_user("user", role, force_a, pillars=[1]))
    shown = client.get(f"/forces/{force_a.slug}/").context["nav_items"]
    assert shown
    for item in shown:
        assert client.get(item.url).status_code == 200, item.label
    hidden = AREAS - {item.label for item in shown}
    urls = {
        "Evidence returns": "evidence/",
        "Scrutiny panels": "panels/",
        "Data imports": "imports/",
    }
    for label in hidden:
        response = client.get(f"/forces/{force_a.slug}/{urls[label]}")
        # Refused, or (a pillar lead at the panels) sent on to the part they may open.
        assert response.status_code in (302, 403), label
        if response.status_code == 302:
            assert client.get(response.url).status_code == 200, label


def test_a_national_viewer_sees_the_areas_it_may_read(make_user, client, force_b):
    client.force_login(make_user("nina", Role.NATIONAL_VIEWER, None))
    page = client.get(f"/forces/{force_b.slug}/")
    assert nav_labels(page) == {"NOM framework", "Flight deck", "Problem profile"}


def test_no_navigation_for_a_force_the_user_may_not_see(alice_client, force_b):
    page = alice_client.get(f"/forces/{force_b.slug}/flight-deck/")
    assert page.status_code == 404
    assert page.context["nav_items"] == []
    assert force_b.slug not in page.content.decode()


def test_the_superuser_sees_every_area(client, force_a):
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "x"))
    assert nav_labels(client.get(f"/forces/{force_a.slug}/")) == AREAS
