"""Browser journey: from the flight deck to the board pack and its PDF."""

import pytest
from playwright.sync_api import expect

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from soteria.models import Role
from soteria.periods import Period

from .a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Q1 = Period.parse("2024-25-q1")


def test_a_chief_officer_downloads_the_quarters_pack_as_a_pdf(
    live_server, page, login, make_user, force_a, force_b, tmp_path
):
    """Given Avon's figures for 2024/25 Q1,
    when its chief officer opens the flight deck and follows "Board pack",
    then the pack shows every section and, on "Download PDF", a PDF arrives."""
    add_synthetic_records(forces=[force_a, force_b], records=1500, seed=3)
    for period in Q1.trailing(3):
        compute_snapshots(force=force_a, period=period)
    make_user("chief", Role.CHIEF_OFFICER, force_a)
    login("chief")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/flight-deck/?period={Q1.slug}")
    expect(page.locator("#data-as-at")).to_contain_text("Data as at")
    page.get_by_role("link", name="Board pack").click()
    expect(page.get_by_role("heading", name="Quarterly performance pack")).to_be_visible()
    expect(page.locator("#pack-summary")).to_be_visible()
    expect(page.locator("#pack-kpi-charge-rate")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "board-pack.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    download = info.value
    assert download.suggested_filename == f"{force_a.slug}-board-pack-{Q1.slug}-all.pdf"
    assert open(download.path(), "rb").read(4) == b"%PDF"
