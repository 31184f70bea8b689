"""Browser journeys: a national analyst loads the Home Office table; a national viewer
answers "which forces are significantly lower than England and Wales, and is ours one?"."""

import pytest

from kpis.models import HomeOfficeOutcome, ImportBatch
from soteria.models import Role
from tests.kpis.home_office_tables import write_home_office_quarter
from tests.kpis.test_import_home_office import ho_row, write_table
from tests.kpis.test_national_overview import NATIONAL, Q1

from .a11y import assert_accessible

pytestmark = pytest.mark.browser


def test_a_national_analyst_loads_the_home_office_table(
    make_user, login, live_server, page, tmp_path
):
    """Given Nina, a national analyst,
    When she uploads a Home Office table on the national imports page,
    Then it is imported for every force and listed as the table in use."""
    make_user("nina", Role.NATIONAL_ANALYST, None, first_name="Nina")
    rows = [ho_row(), ho_row(**{"Force Name": "Staffordshire"})]
    path = write_table(tmp_path / "prc-outcomes-open-data-mar2024-tables-300125.csv", rows)
    login("nina")
    page.goto(f"{live_server.url}/national/imports/")
    assert_accessible(page)

    page.get_by_label("Home Office outcomes table").set_input_files(str(path))
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_load_state()

    assert page.locator("#import-result").inner_text().startswith("Imported 2 rows")
    assert ImportBatch.objects.get().force is None
    assert HomeOfficeOutcome.objects.count() == 2
    page.get_by_role("link", name="National data imports").first.click()
    assert "prc-outcomes-open-data-mar2024" in page.locator("#national-table").inner_text()
    assert_accessible(page)


def test_a_force_analyst_cannot_reach_the_national_imports(
    make_user, force_a, login, live_server, page
):
    make_user("ann", Role.ANALYST, force_a)
    login("ann")

    response = page.goto(f"{live_server.url}/national/imports/")

    assert response.status == 403


def test_a_national_viewer_reads_the_funnel_and_the_forces_significantly_lower(
    make_user, login, live_server, page
):
    """Given the Home Office table for 2024/25 Q1,
    When Vic, a national viewer, opens the national overview for rape in that quarter,
    Then the funnel is drawn, the forces significantly lower are named, Durham is left out."""
    write_home_office_quarter(Q1, NATIONAL)
    make_user("vic", Role.NATIONAL_VIEWER, None)
    login("vic")
    page.goto(f"{live_server.url}/national/?period={Q1.slug}&window=quarter&offence=rape")

    page.wait_for_selector("#funnel-chart .main-svg")
    assert "Metropolitan Police" in page.locator("#lower-forces").inner_text()
    assert "Durham" in page.locator("#left-out").inner_text()
    page.screenshot(path="/tmp/national-overview.png", full_page=True)
    assert_accessible(page)


def test_a_chief_officer_sees_their_force_highlighted(alice, force_a, login, live_server, page):
    write_home_office_quarter(Q1, NATIONAL)
    login("alice")
    page.goto(f"{live_server.url}/national/?period={Q1.slug}&window=quarter")

    assert "Avon and Somerset" in page.locator("#my-force").inner_text()
    assert (
        page.locator('tr[data-force="Avon and Somerset"]').get_attribute("class") == "table-warning"
    )
