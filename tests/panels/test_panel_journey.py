"""Browser journey: a chair records a full meeting, and its learning reaches the KPIs."""

import datetime as dt

import pandas as pd
import pytest
from playwright.sync_api import expect

from kpis.models import KpiSnapshot
from tests.browser.a11y import assert_accessible
from tests.browser.flight_deck import assert_on_flight_deck

from .factories import make_batch, make_panel, make_record

pytestmark = pytest.mark.browser


@pytest.fixture
def imported(force_a):
    batch = make_batch(force_a)
    return [
        make_record(
            force_a,
            f"AS/24/{100 + i}",
            batch=batch,
            outcome_type=["16", "15", "18"][i % 3],
            outcome_date=dt.date(2024, 4, 3) + dt.timedelta(days=7 * i),
        )
        for i in range(8)
    ]


def _judge(page, judgement: str, comment: str, theme: str, *, next_case: bool):
    page.get_by_label(judgement).check()
    page.get_by_label("Comment on the judgement").fill(comment)
    page.get_by_label("Findings").fill(f"Finding: {comment}")
    page.get_by_label(theme).check()
    button = "Save and review" if next_case else "Save case"
    page.get_by_role("button", name=button).click()


def test_a_chair_records_a_meeting_and_the_next_agenda_carries_its_action(
    ruth, alice, force_a, imported, login, live_server, page
):
    """Given Ruth, who chairs Avon and Somerset's panel, and imported NFA-closed cases,
    When she records a meeting with an ISVA's case and two dip-sampled ones, findings,
    themes and an action, and finalises it,
    Then the panel KPIs are computed, and the next meeting's agenda shows the open action."""
    panel = make_panel(force_a, chair=ruth)
    login("ruth")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/panels/")
    page.get_by_role("link", name=panel.name).click()
    page.get_by_role("link", name="Record a meeting").click()

    page.get_by_label("Date").fill("2024-07-15")
    for box in page.locator("input[name=attendees]").all():
        box.check()
    page.get_by_role("button", name="Start the meeting record").click()
    expect(page.locator("#meeting-status")).to_have_text("Draft")

    # The date comes back filled in, so the details save without typing it again.
    page.get_by_role("link", name="Edit attendance and agenda").click()
    expect(page.get_by_label("Date")).to_have_value("2024-07-15")
    page.get_by_label("Agenda").fill("Terms of reference")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Meeting details saved.")).to_be_visible()

    # The ISVA's case, by crime reference, judged as it is added.
    add_form = page.locator("form[aria-labelledby=add-case-heading]")
    add_form.get_by_role("textbox", name="Crime reference").fill("as/24/101")
    add_form.get_by_label("Proposed by a member").check()
    page.locator("#id_proposed_by").select_option(label=str(panel.members.get(name="Isla ISVA")))
    add_form.get_by_label("3 – Concerns").check()
    add_form.get_by_label("Comment on the judgement").fill("Victim contact lapsed for weeks")
    add_form.get_by_label("Findings").fill("No ISVA referral at report")
    add_form.get_by_label("ISVA and specialist support referral").check()
    page.get_by_role("button", name="Add case").click()
    expect(page.locator("#case-table")).to_contain_text("Linked to imported record")
    assert "AS/24/101" not in page.content()

    # Two from the dip-sample of the quarter before.
    page.locator("#id_period").select_option("2024-25-q1")
    page.get_by_label("How many cases").fill("2")
    page.get_by_label("Seed").fill("11")
    page.get_by_role("button", name="Draw").click()
    expect(page.locator(".draw")).to_have_count(2)
    expect(page.locator("#sample-summary")).to_contain_text(
        "8 cases closed with an NFA outcome in 2024/25 Q1; 1 skipped as already reviewed"
    )
    page.get_by_role("button", name="Add the ticked cases").click()
    expect(page.locator("#case-table tbody tr")).to_have_count(3)

    page.locator("#case-table tbody tr").nth(1).get_by_role("link").click()
    assert_accessible(page)
    _judge(
        page,
        "2 – Decision sound, learning",
        "Sound, but no early advice",
        "CPS early advice and charging",
        next_case=True,
    )
    _judge(
        page,
        "1 – Decision sound, investigation good",
        "Thorough and suspect-focused",
        "Suspect-focused investigation",
        next_case=False,
    )
    expect(page.get_by_text("Needs judgement")).to_have_count(0)

    page.get_by_text("Raise an action from a finding").click()
    page.get_by_label("Title").fill("Refer every victim to an ISVA at first contact")
    page.locator("#id_case").select_option(index=1)
    page.locator("#id_owner").select_option(label="Ruth")
    page.get_by_label("Due date").fill("2024-09-15")
    page.locator("#id_pillar").select_option(
        label="Pillar 3: Procedural justice for victim engagement"
    )
    page.get_by_role("button", name="Raise action").click()
    expect(page.locator("#actions")).to_contain_text("Refer every victim to an ISVA")
    assert_accessible(page)

    page.get_by_role("button", name="Finalise the record").click()
    expect(page.locator("#meeting-status")).to_have_text("Finalised")

    page.locator("#meeting-papers").get_by_role("link", name="Minutes").click()
    expect(page.locator("#minutes-status")).to_have_text("Finalised")
    expect(page.locator("#minutes-cases h3")).to_have_count(3)
    expect(page.locator("#minutes-actions")).to_contain_text("Refer every victim to an ISVA")
    assert "AS/24/101" not in page.content()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the minutes (Word)").click()
    assert download.value.suggested_filename == (f"{force_a.slug}-panel-2024-07-15-minutes.docx")

    snapshots = {
        s.kpi.slug: s.value
        for s in KpiSnapshot.objects.filter(force=force_a, period="2024-25-q2").select_related(
            "kpi"
        )
    }
    assert snapshots["panels-held"] == 1
    assert snapshots["panel-cases-reviewed"] == 3
    assert snapshots["panel-isva-share"] == pytest.approx(1 / 3)  # stored as a fraction
    assert snapshots["panel-actions-open"] == 1
    assert snapshots["panel-actions-overdue"] == 1
    assert snapshots["panel-learning-themes"] == 3

    page.goto(f"{live_server.url}/forces/{force_a.slug}/panels/?period=2024-25-q2")
    expect(page.locator("#kpi-panels-held .kpi-value")).to_have_text("1")
    expect(page.locator("#kpi-panel-isva-share .kpi-value")).to_have_text("33.3%")
    assert_accessible(page)

    page.get_by_role("link", name=panel.name).click()
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Date").fill("2024-10-10")
    page.get_by_role("button", name="Start the meeting record").click()
    agenda = page.locator("#agenda-actions")
    expect(agenda).to_contain_text("Refer every victim to an ISVA at first contact")
    expect(agenda).to_contain_text("Overdue")
    page.locator("#meeting-papers").get_by_role("link", name="Agenda").click()
    expect(page.locator("#agenda-actions")).to_contain_text("Refer every victim to an ISVA")
    assert_accessible(page)

    # The action is moved on from its own page; its due date comes back filled in.
    page.locator("#agenda-actions").get_by_role(
        "link", name="Refer every victim to an ISVA at first contact"
    ).click()
    expect(page.get_by_label("Due date")).to_have_value("2024-09-15")
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_label("Progress").fill("Briefing drafted")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action updated.")).to_be_visible()

    assert_on_flight_deck(page, live_server, force_a, "panels-held", "1", period="2024-25-q2")
    assert_on_flight_deck(
        page, live_server, force_a, "panel-cases-reviewed", "3", period="2024-25-q2"
    )


def test_the_learning_summary_is_printable_and_accessible(ruth, force_a, login, live_server, page):
    """Given a finalised meeting, when Ruth opens the quarter's learning summary,
    then she sees the themes chart and findings, with no crime reference, on an accessible page."""
    from panels import services

    panel = make_panel(force_a, chair=ruth)
    meeting = services.create_meeting(
        panel=panel, by=ruth, date=dt.date(2024, 7, 15), attendees=panel.members.all()
    )
    from panels.models import LearningTheme

    services.add_case(
        meeting=meeting,
        by=ruth,
        crime_reference="AS/24/999",
        selection="proposed",
        proposed_by=panel.members.get(name="Isla ISVA"),
        judgement="concerns",
        judgement_comment="Delay",
        findings="Digital download took five months",
        themes=LearningTheme.objects.filter(slug__in=["digital-evidence", "timeliness"]),
    )
    services.finalise_meeting(meeting=meeting, by=ruth)
    login("ruth")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/panels/reports/?period=2024-25-q2")
    expect(page.locator("#themes-chart .main-svg").first).to_be_visible()
    expect(page.get_by_text("Digital download took five months").first).to_be_visible()
    assert "AS/24/999" not in page.content()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    cases = pd.read_csv(download.value.path())
    assert list(cases["findings"]) == ["Digital download took five months"]
    assert cases["as_at_meeting_finalised"].notna().all()


def test_an_external_member_finds_her_panel_and_nothing_else(
    ruth, make_user, force_a, login, live_server, page
):
    """Given Isla, an ISVA with an external panel member's account, seated on the panel,
    When she signs in,
    Then her work page shows the next meeting, she reaches her panels from it, reads her
    panel's meeting and its agenda, and the navigation offers her nothing else."""
    from panels import services
    from soteria.models import Role

    isla = make_user("isla", Role.EXTERNAL_PANEL_MEMBER, force_a, first_name="Isla")
    panel = make_panel(force_a, chair=ruth)
    services.add_member(panel=panel, by=ruth, name="Isla", organisation_type="isva", user=isla)
    services.create_meeting(
        panel=panel, by=ruth, date=dt.date(2024, 7, 15), attendees=panel.members.all()
    )
    login("isla")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_role("link", name="National", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Scrutiny panels", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/forces/{force_a.slug}/panels/")
    expect(page.get_by_role("link", name="Flight deck", exact=True)).to_have_count(0)
    page.get_by_role("link", name="15 Jul 2024").click()
    expect(page.locator("#meeting-status")).to_have_text("Draft")
    expect(page.get_by_text("Add a case by crime reference")).to_have_count(0)
    page.locator("#meeting-papers").get_by_role("link", name="Agenda").click()
    expect(page.locator("#agenda-members")).to_contain_text("Isla (Independent sexual")
    assert_accessible(page)
    assert page.goto(f"{live_server.url}/forces/{force_a.slug}/flight-deck/").status == 404
