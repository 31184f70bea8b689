"""Browser journey: a chief officer reads the flight deck, drills down and downloads the CSV."""

import csv
import io

import pytest

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import Kpi, KpiSnapshot
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
    # The latest complete quarter with figures is the default.
    assert "2024/25 Q1" in page.locator("h1 + p, h1 ~ p").first.inner_text()
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
    # A breakdown reads the rolling year by default, and says so.
    assert page.get_by_role(
        "heading", name="Victim ethnicity, 12 months to 31 Mar 2024", exact=True
    ).is_visible()
    page.wait_for_selector("#chart-breakdown-ethnicity .main-svg")  # plotly drew the chart
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV", exact=True).click()
    download = download_info.value
    assert (
        download.suggested_filename
        == f"{force_a.slug}-charge-rate-by-ethnicity-{Q4.slug}-all-rolling-year.csv"
    )
    table = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert {r["kpi"] for r in table} == {"charge-rate-by-ethnicity"}
    groups = {r["group"] for r in table if r["table"] == "breakdown-ethnicity"}
    assert {"White", "Black or Black British", "Not recorded"} <= groups


@pytest.fixture
def this_year(force_a):
    """Charges for the latest complete quarter and, so far, for the one in progress."""
    volume = Kpi.objects.get(slug="charge-volume")
    for period, charges in ((Period.latest_complete(), 89), (Period.current(), 3)):
        KpiSnapshot.objects.create(force=force_a, kpi=volume, period=period.slug, value=charges)


def test_chief_officer_opens_the_deck_on_the_latest_complete_quarter(
    this_year, alice, force_a, login, live_server, page
):
    """Given Alice, a chief officer, with figures for the last complete quarter and for the
    quarter in progress,
    When she opens the flight deck,
    Then it shows the latest complete quarter, not the one in progress;
    When she chooses the quarter in progress,
    Then the page says it is in progress;
    When she follows a link to a quarter that has not started,
    Then she is back on the latest complete quarter and told why."""
    complete, current = Period.latest_complete(), Period.current()
    login("alice")
    page.get_by_role("link", name="Flight deck", exact=True).click()
    page.wait_for_url("**/flight-deck/")
    heading = page.locator("h1 + p, h1 ~ p").first
    assert f"{complete.label} ·" in heading.inner_text()
    assert "in progress" not in heading.inner_text()
    assert page.locator("#kpi-charge-volume .kpi-value").inner_text() == "89"
    quarter = page.get_by_label("Quarter", exact=True)
    assert quarter.locator("option:checked").inner_text() == complete.label
    assert quarter.locator(f'option[value="{current.slug}"]').inner_text() == (
        f"{current.label} (in progress)"
    )
    assert_accessible(page)

    quarter.select_option(current.slug)
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert f"{current.label} (in progress)" in heading.inner_text()
    assert "figures are to date" in page.locator("#period-in-progress").inner_text()
    assert_accessible(page)

    future = current.shift(8)
    page.goto(f"{live_server.url}/forces/{force_a.slug}/flight-deck/?period={future.slug}")
    assert page.url.endswith("/flight-deck/")
    assert f"{complete.label} ·" in heading.inner_text()
    assert f"{future.label} has not started yet" in page.get_by_role("alert").inner_text()
