"""Browser journey on the demo data: a chief officer signs in and opens the flight deck,
which shows the latest complete quarter with figures, not the one still in progress.

Last in this package by name: its live server's database is flushed after it."""

import datetime as dt

import pytest

from kpis.models import CrimeRecord

from .conftest import demo_username

pytestmark = pytest.mark.browser

QUARTER_ENDS = [(3, 31, 4), (6, 30, 1), (9, 30, 2), (12, 31, 3)]  # month, day, financial quarter


def latest_complete_quarter(today: dt.date) -> tuple[str, dt.date]:
    """Worked out from the calendar: the last financial quarter to end before today."""
    ends = [
        (dt.date(year, month, day), year if quarter != 4 else year - 1, quarter)
        for year in (today.year - 1, today.year)
        for month, day, quarter in QUARTER_ENDS
    ]
    end, year, quarter = max(e for e in ends if e[0] < today)
    return f"{year}/{(year + 1) % 100:02d} Q{quarter}", end


def test_the_deck_opens_on_the_latest_complete_quarter(demo, live_server, page):
    label, end = latest_complete_quarter(dt.date.today())
    # The demo has figures for that quarter (records with outcomes given in it).
    assert CrimeRecord.objects.filter(outcome_date__gt=end - dt.timedelta(days=85)).exists()

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(demo_username("avon-and-somerset", "chief-officer"))
    page.get_by_label("Password").fill("soteria-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/forces/avon-and-somerset/flight-deck/")

    heading = page.locator("h1 + p strong").first.inner_text()
    assert heading == label
    selected = page.locator("#id_period option:checked").inner_text()
    assert selected == label
    assert page.locator("#period-in-progress").count() == 0
    # The tiles carry that quarter's figures: the charge rate reads as a percentage.
    assert page.locator("#kpi-charge-rate .kpi-value").inner_text().endswith("%")
