"""Browser journey: a chief officer reads a charge-rate gap over the rolling year, then the
quarter, on the drill-down's window control."""

import pytest
from django.core.cache import cache

from tests.kpis.disparity_records import store_disparity_records

from .a11y import assert_accessible

pytestmark = pytest.mark.browser


def _row(page, section: str, group: str) -> list[str]:
    row = page.locator(f"#{section} tbody tr").filter(has=page.get_by_role("rowheader", name=group))
    return [cell.strip() for cell in row.locator("td").all_inner_texts()]


def test_chief_officer_reads_the_rolling_year_ethnicity_breakdown(
    force_a, alice, login, live_server, page
):
    """Given Alice, a chief officer, and four quarters in which Black victims' rapes were
    charged at half the rate of White victims' (8 of 40 against 48 of 120),
    When she opens the charge rate gap by ethnicity,
    Then it reads the 12 months to 30 Jun 2024: the counts of the whole year, a ratio of
    0.50 named as a significant gap for Black or Black British victims;
    When she chooses the quarter on the window control,
    Then the table reads the quarter, the small count shown "<5", and no gap can be read."""
    cache.clear()
    period = store_disparity_records(force_a)
    login("alice")
    page.goto(
        f"{live_server.url}/forces/{force_a.slug}/kpis/charge-rate-by-ethnicity/"
        f"?period={period.slug}&offence=rape"
    )
    assert page.locator("#window-label").inner_text() == "12 months to 30 Jun 2024"
    assert page.get_by_label("Window", exact=True).input_value() == "rolling-year"
    section = "breakdown-ethnicity"
    assert page.locator(f"#{section}-title").inner_text() == (
        "Victim ethnicity, 12 months to 30 Jun 2024"
    )
    white, black = _row(page, section, "White"), _row(page, section, "Black or Black British")
    assert white[:2] == ["48", "120"] and black[:2] == ["8", "40"]
    # Katz: 0.50 × exp(±1.96 × √(1/8 − 1/40 + 1/48 − 1/120)) = 0.26 to 0.96
    assert black[4:] == ["0.50", "0.26 to 0.96", "significantly lower"]
    assert page.locator(".rag").first.inner_text() == "Red: significant gap"
    assert_accessible(page)

    page.get_by_label("Window", exact=True).select_option("quarter")
    page.get_by_role("button", name="Show").click()
    assert page.locator(f"#{section}-title").inner_text().startswith("Victim ethnicity, 2024/25 Q1")
    white, black = _row(page, section, "White"), _row(page, section, "Black or Black British")
    # 2 charges read "<5"; White's 12 is withheld beside it, since the quarter's 14 is shown.
    assert white[0] == "withheld" and black[0] == "<5"
    # Everything withheld around the small count: nothing left to compare in one quarter.
    assert page.locator("#kpi-charge-rate-by-ethnicity").inner_text() == "Insufficient data"
