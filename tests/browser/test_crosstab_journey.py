"""Browser journey: a chief officer opens the relationship-by-characteristic cross-tab from
the charges drill-down and switches it to ethnicity."""

import pytest
from django.core.cache import cache

from tests.kpis.disparity_records import store_disparity_records

from .a11y import assert_accessible

pytestmark = pytest.mark.browser


def test_chief_officer_reads_relationship_by_ethnicity(force_a, alice, login, live_server, page):
    """Given four quarters of rapes of White and Black victims, the relationship not recorded,
    When Alice follows the cross-tab link on the charge volume drill-down and picks ethnicity,
    Then the "not recorded" row reads 48 of 120 White and 8 of 40 Black over the 12 months."""
    cache.clear()
    period = store_disparity_records(force_a)
    login("alice")
    page.goto(
        f"{live_server.url}/forces/{force_a.slug}/kpis/charge-volume/"
        f"?period={period.slug}&offence=rape"
    )
    page.locator("#crosstab-link a").click()
    page.get_by_label("Characteristic").select_option("ethnicity")
    page.get_by_role("button", name="Show").click()
    assert page.locator("#window-label").inner_text() == "12 months to 30 Jun 2024"
    row = page.locator("#crosstab tbody tr").filter(
        has=page.get_by_role("rowheader", name="Not recorded", exact=True)
    )
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "48 of 120 (40.0%)" and cells[3] == "8 of 40 (20.0%)"
    assert cells[-1] == "56 of 160 (35.0%)"
    page.screenshot(path="/tmp/h11c-crosstab.png", full_page=True)
    assert_accessible(page)
    page.goto(
        f"{live_server.url}/forces/{force_a.slug}/flight-deck/?period={period.slug}&offence=rape"
    )
    page.locator("#kpi-charge-rate-by-ethnicity").screenshot(path="/tmp/h11c-gap-tile.png")
