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


def test_a_national_viewer_answers_which_forces_are_significantly_lower_and_whether_ours_is(
    make_user, force_a, login, live_server, page
):
    """Given the Home Office table for 2024/25 Q1, and Vic, a national viewer who also works
    for the Metropolitan Police,
    When Vic opens the national overview for the charge rate for rape in that quarter,
    Then the forces significantly lower than England and Wales are named, worked out by hand
    from the table, the Metropolitan Police is marked among them as Vic's own force, and the
    page says so in words."""
    from soteria.models import Force, Membership
    from tests.kpis.test_national_overview import expected

    write_home_office_quarter(Q1, NATIONAL)
    vic = make_user("vic", Role.NATIONAL_VIEWER, None)
    Membership.objects.create(
        user=vic, force=Force.objects.get(name="Metropolitan Police"), role=Role.ANALYST
    )
    _, _, _, judged = expected()
    lower = sorted(name for name, judgement in judged.items() if judgement == "lower")
    assert "Metropolitan Police" in lower
    login("vic")

    page.goto(f"{live_server.url}/national/")
    page.get_by_label("Measure", exact=True).select_option(label="Charge/summons rate")
    page.get_by_label("Offences", exact=True).select_option(label="Rape")
    page.get_by_label("Window", exact=True).select_option(label="Quarter")
    page.get_by_label("Ending with", exact=True).select_option(value=Q1.slug)
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("#funnel-chart .main-svg")

    answer = page.locator("#lower-forces")
    named = answer.inner_text().split(":", 1)[1].strip().rstrip(".").split(", ")
    assert sorted(named) == lower
    assert answer.locator("mark").inner_text() == "Metropolitan Police"
    mine = page.locator("#my-force").inner_text()
    assert mine.startswith("Metropolitan Police: 4.0% (40 of 1,000;")
    assert "significantly lower (beyond 99.8% limits) than England and Wales" in mine
    assert_accessible(page)


def test_a_national_administrator_sets_a_forces_most_similar_forces_and_its_deck_names_them(
    make_user, bob, force_b, login, live_server, page
):
    """Given the Home Office table for 2024/25 Q1 and the computed default groups,
    When Nadia, a national administrator, sets Staffordshire's most similar forces to Kent and
    Essex with a reason,
    Then the group page shows them with her reason in the history, and Bob's flight deck (he
    has imported no records) compares the charge rate three ways, naming the group."""
    from kpis.engine.peers import compute_peer_groups

    write_home_office_quarter(Q1, {**NATIONAL, "Essex": {"1": 25, "16": 60, "15": 315}})
    compute_peer_groups()
    make_user("nadia", Role.ADMINISTRATOR, None)
    login("nadia")
    page.goto(f"{live_server.url}/national/peer-groups/")
    page.get_by_role("link", name="Staffordshire", exact=True).click()
    page.screenshot(path="/tmp/peer-group-before.png", full_page=True)
    assert_accessible(page)
    checked = page.locator("#div_id_members input:checked")
    while checked.count():
        checked.first.uncheck()
    page.get_by_label("Kent", exact=True).check()
    page.get_by_label("Essex", exact=True).check()
    page.get_by_label("Why is the group changed?").fill("Similar demand profile")
    page.get_by_role("button", name="Save the group").click()
    page.wait_for_load_state()

    assert page.locator("#members").inner_text() == "Essex, Kent"
    assert "Similar demand profile" in page.locator("#history-heading + *").inner_text()
    page.screenshot(path="/tmp/peer-group-after.png", full_page=True)
    assert_accessible(page)

    page.context.clear_cookies()
    login("bob")
    page.goto(f"{live_server.url}/forces/{force_b.slug}/flight-deck/?period={Q1.slug}&offence=rape")
    tile = page.locator("#kpi-ho-charge-rate")
    assert "vs Most similar forces (set nationally, 2)" in tile.inner_text()
    page.locator("#kpi-ho-charge-rate").screenshot(path="/tmp/deck-ho-tile.png")
    page.screenshot(path="/tmp/deck-national.png", full_page=True)
    assert_accessible(page)
    tile.get_by_role("link").first.click()
    page.wait_for_selector("#chart-comparators .main-svg")
    page.screenshot(path="/tmp/drilldown-comparators.png", full_page=True)
    assert_accessible(page)
