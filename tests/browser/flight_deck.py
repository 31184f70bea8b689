"""Checks against the flight deck, by its contract:

``/forces/<slug>/flight-deck/?period=...``; each KPI tile has ``id="kpi-<slug>"`` and shows
its value inside an element with class ``kpi-value``.
"""

from playwright.sync_api import expect


def assert_on_flight_deck(page, live_server, force, kpi_slug, text, *, period: str | None = None):
    """The KPI's tile on the force's flight deck (for the given quarter) shows the text."""
    query = f"?period={period}" if period else ""
    page.goto(f"{live_server.url}/forces/{force.slug}/flight-deck/{query}")
    expect(page.locator(f"#kpi-{kpi_slug} .kpi-value").first).to_contain_text(text)
