"""Browser journey: a chief officer reads a KPI's SPC reading and marks a step change."""

import pytest
from django.core.cache import cache

from tests.kpis.spc_series import Q1, RUN_OF_8, store_series

from .a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def run_of_8(force_a):
    cache.clear()
    return store_series(force_a, "charge-volume", RUN_OF_8)


def test_chief_officer_marks_a_step_change_and_the_limits_restart(
    run_of_8, alice, force_a, login, live_server, page
):
    """Given Alice, a chief officer, and 20 quarters of charges that rose to a new level,
    When she opens the flight deck,
    Then the charges tile says in words that the rise is a special cause (an improvement);
    When she opens its drill-down,
    Then the chart draws the mean, the process limits and the improvement points, with a legend;
    When she marks the quarter the new team started as a step change,
    Then the chart shows the step change and the tile reads common cause variation."""
    login("alice")
    deck = f"{live_server.url}/forces/{force_a.slug}/flight-deck/?period={Q1.slug}"
    page.goto(deck)
    reading = page.locator("#kpi-charge-volume .kpi-spc")
    assert (
        reading.inner_text()
        .strip()
        .endswith("Special cause: improvement — run of 8 quarters above the mean")
    )
    assert_accessible(page)

    page.locator("#kpi-charge-volume").get_by_role("link").click()
    page.wait_for_selector("#chart-trend .main-svg")
    legend = page.locator("#chart-trend .legend").text_content()
    for entry in ("Centre line (mean)", "Upper process limit", "Special cause: improvement"):
        assert entry in legend
    assert_accessible(page)

    page.get_by_label("First quarter of the new process").select_option(run_of_8[12].slug)
    page.get_by_label("What changed").fill("Specialist RASSO team in post")
    page.get_by_role("button", name="Mark step change").click()
    page.wait_for_selector("#chart-trend .main-svg")
    assert f"Step change marked from {run_of_8[12].label}" in page.content()
    assert "Step change" in page.locator("#chart-trend .annotation").text_content()
    assert "Specialist RASSO team in post" in page.locator("#step-changes").inner_text()
    assert_accessible(page)

    page.goto(deck)
    assert reading.inner_text().strip().endswith("Common cause variation")
