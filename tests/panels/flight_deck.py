"""Checks against the flight deck (built by the engine branch), by its published contract:

``/forces/<slug>/flight-deck/?period=...``; each KPI tile has ``id="kpi-<slug>"`` and shows
its value inside an element with class ``kpi-value``.
"""

from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect


def flight_deck_exists(force=None) -> bool:
    """True once kpis.views.flight_deck no longer renders the empty-area placeholder."""
    from soteria.models import Force

    force = force or Force.objects.first()
    viewer = get_user_model().objects.filter(is_superuser=True).first()
    if viewer is None:
        viewer = get_user_model().objects.create_superuser("flight-deck-probe", password="x")
    client = Client()
    client.force_login(viewer)
    response = client.get(f"/forces/{force.slug}/flight-deck/")
    return "soteria/empty_area.html" not in [t.name for t in response.templates]


def assert_on_flight_deck(page, live_server, force, kpi_slug, text, *, period: str | None = None):
    """The KPI's tile on the force's flight deck (for the given quarter) shows the text."""
    query = f"?period={period}" if period else ""
    page.goto(f"{live_server.url}/forces/{force.slug}/flight-deck/{query}")
    expect(page.locator(f"#kpi-{kpi_slug} .kpi-value").first).to_contain_text(text)
