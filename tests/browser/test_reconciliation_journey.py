"""Browser journey: an analyst finds the quarters where the force's own records and its Home
Office published charges disagree."""

import pytest

from soteria.models import Role
from tests.kpis.test_reconciliation import Q2, reconciled  # noqa: F401 (a fixture)

from .a11y import assert_accessible

pytestmark = pytest.mark.browser


def test_an_analyst_reaches_the_reconciliation_from_the_imports_page(
    reconciled,  # noqa: F811
    make_user,
    force_a,
    login,
    live_server,
    page,
):
    """Given Avon and Somerset's own records and a Home Office table that disagrees in Q2,
    When Andy, its analyst, follows the link on the imports page,
    Then the quarter is listed with both figures and why it is beyond the tolerance."""
    make_user("andy", Role.ANALYST, force_a)
    login("andy")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/imports/")
    page.locator("#reconciliation-link").click()
    page.wait_for_load_state()

    row = page.locator(f'tr[data-period="{Q2.slug}"][data-offence="rape"]')
    assert "charge rates differ by 4.0 points" in row.inner_text()
    page.screenshot(path="/tmp/reconciliation.png", full_page=True)
    assert_accessible(page)
