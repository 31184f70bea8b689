"""Browser journey: a chief officer reads the flight deck, drills down and downloads the CSV."""

import csv
import io

import pytest

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from soteria.periods import Period

from .a11y import assert_accessible

pytestmark = pytest.mark.browser

Q1 = Period.parse("2024-25-q1")
Q4 = Period.parse("2023-24-q4")


@pytest.fixture
def snapshots(force_a, force_b):
    add_synthetic_records(forces=[force_a, force_b], records=3000, seed=41)
    for period in (Q4, Q1):
        compute_snapshots(force=force_a, period=period)


def test_chief_officer_reads_the_flight_deck_drills_down_and_downloads(
    snapshots, alice, force_a, login, live_server, page
):
    """Given Alice, a chief officer in Avon and Somerset, with KPI snapshots for two quarters,
    When she opens the flight deck and switches to 2023/24 Q4,
    Then she sees that quarter's tiles;
    When she opens the charge rate gap by victim ethnicity,
    Then she sees its breakdown by ethnicity,
    And she can download exactly that as a CSV."""
    login("alice")
    page.get_by_role("link", name="Flight deck", exact=True).click()
    page.wait_for_url("**/flight-deck/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Flight deck")
    assert page.locator("#kpi-charge-rate .kpi-value").inner_text().endswith("%")
    assert_accessible(page)

    page.get_by_label("Quarter", exact=True).select_option(Q4.slug)
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert f"period={Q4.slug}" in page.url
    assert "2023/24 Q4" in page.locator("h1 + p, h1 ~ p").first.inner_text()

    page.locator("#kpi-charge-rate-by-ethnicity").get_by_role("link").click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Charge rate gap by victim ethnicity")
    )
    assert page.get_by_role("heading", name="Victim ethnicity", exact=True).is_visible()
    page.wait_for_selector("#chart-breakdown-ethnicity .main-svg")  # plotly drew the chart
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert (
        download.suggested_filename == f"{force_a.slug}-charge-rate-by-ethnicity-{Q4.slug}-all.csv"
    )
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert rows[0][0].startswith("Charge rate gap by victim ethnicity")
    groups = {r[0] for r in rows if r}
    assert {"White", "Black or Black British", "Not recorded"} <= groups
