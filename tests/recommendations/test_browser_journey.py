"""Browser journey: the PCC office closes recommendation 11 of the 2024 Soteria inspection
by evidence, and publishes the force's inspection response record once a chief officer has
approved the chief constable's response, confirming before it publishes."""

import pytest

from kpis.models import Kpi, KpiSnapshot
from recommendations.models import Response, ResponseRecord, Status
from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def charge_rate_history(force_a):
    kpi = Kpi.objects.get(slug="charge-rate")
    for period, value in (("2024-25-q1", 4.0), ("2024-25-q2", 5.5), ("2024-25-q3", 6.1)):
        KpiSnapshot.objects.create(
            force=force_a,
            kpi=kpi,
            period=period,
            value=value / 100,
            numerator=value,
            denominator=100,
        )


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_pcc_staff_close_recommendation_11_by_evidence_and_publish_the_record(
    pat, owen, alice, force_a, rec11, charge_rate_history, login, live_server, page, tmp_path
):
    """Given Pat in Avon and Somerset's PCC office, Owen (pillar 5 lead) and Alice (chief officer),
    When Pat opens recommendation 11 of the 2024 inspection, assigns Owen and pillar 5, adds an
    action, links KPIs, and Alice tries to sign it off before and after Pat adds evidence,
    Then the sign-off is refused without evidence, and while the action is open,
    And accepted once the action is complete,
    And Pat cannot publish the response record until Alice approves the chief constable's
    response, and then only after confirming, when version 1 is frozen,
    And Pat can start version 2 while version 1 stays readable as published."""
    login("pat")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/recommendations/")
    assert_accessible(page)
    page.locator(f"#rec-{rec11.pk}").get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Recommendation 11")

    page.get_by_role("link", name="Edit the response").click()
    page.get_by_label("Owner").select_option(label="Owen")
    page.get_by_label("Pillar 5: Data and analysis").check()
    page.get_by_label("RAG").select_option(label="Amber")
    page.get_by_role("button", name="Save the response").click()
    assert page.locator("#response-owner").inner_text() == "Owen"
    assert "Pillar 5" in page.locator("#response-pillars").inner_text()

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action").fill("Publish the RASSO problem profile")
    page.get_by_label("Owner").select_option(label="Owen")
    page.get_by_label("Due date").fill("2030-03-31")
    page.get_by_role("button", name="Save the action").click()
    assert "Publish the RASSO problem profile" in page.locator("#actions").inner_text()

    page.get_by_text("Choose linked KPIs").click()
    page.get_by_label("Charge rate", exact=True).check()
    page.get_by_label("RASSO problem profile").check()
    page.get_by_role("button", name="Save linked KPIs").click()
    assert page.get_by_role("alert").inner_text() == "2 KPIs linked."
    charge_rate = page.locator("#linked-kpi-charge-rate")
    assert charge_rate.locator(".kpi-value").inner_text() == "6.1%"
    assert charge_rate.locator("svg.sparkline polyline").count() == 1
    assert_accessible(page)
    sign_out(page)

    login("alice")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/recommendations/{rec11.pk}/")
    page.get_by_role("button", name="Sign off as complete").click()
    assert "cannot be marked complete without evidence" in page.get_by_role("alert").inner_text()
    assert Response.objects.get(recommendation=rec11, force=force_a).status != Status.COMPLETE
    sign_out(page)

    login("pat")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/recommendations/{rec11.pk}/")
    page.get_by_role("link", name="Add a progress update").click()
    page.get_by_label("Progress").fill("Problem profile signed off by the Knowledge Hub.")
    page.get_by_label("About").select_option(label="Publish the RASSO problem profile")
    evidence = tmp_path / "rasso-problem-profile.pdf"
    evidence.write_bytes(b"%PDF-1.4 synthetic evidence for the test\n")
    page.get_by_label("Evidence files").set_input_files(str(evidence))
    page.get_by_role("button", name="Add the update").click()
    assert page.get_by_role("alert").inner_text() == "Progress update added with 1 evidence file."
    assert page.get_by_role("link", name="rasso-problem-profile.pdf").is_visible()
    sign_out(page)

    login("alice")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/recommendations/{rec11.pk}/")
    page.get_by_role("button", name="Sign off as complete").click()
    assert "while 1 action is open" in page.get_by_role("alert").inner_text()
    sign_out(page)

    login("pat")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/recommendations/{rec11.pk}/")
    page.get_by_role("link", name="Update Publish the RASSO problem profile").click()
    page.get_by_label("Status").select_option(label="Complete")
    page.get_by_role("button", name="Save the action").click()
    assert page.get_by_role("alert").inner_text() == "Action updated."
    sign_out(page)

    login("alice")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/recommendations/{rec11.pk}/")
    page.get_by_label("Sign-off note").fill("Checked the profile and the performance framework.")
    page.get_by_role("button", name="Sign off as complete").click()
    assert page.get_by_role("alert").inner_text() == "Signed off as complete."
    assert "Complete" in page.locator("#response-status").inner_text()
    assert "Green" in page.locator("#response-rag").inner_text()
    assert "Signed off as complete by Alice" in page.locator("#history-heading + *").inner_text()
    sign_out(page)

    record_url = (
        f"{live_server.url}/forces/{force_a.slug}/recommendations/inspections/"
        "soteria-nom-2024/response-record/"
    )
    login("pat")
    page.goto(record_url)
    assert "56 days" in page.locator("#record-state").inner_text()
    page.get_by_role("link", name="Edit the draft").click()
    page.get_by_label("Police and crime commissioner", exact=True).fill("Clare Moody")
    page.get_by_label("Chief constable", exact=True).fill("Sarah Crew")
    page.get_by_label("Police and crime commissioner's initial response").fill(
        "The office will monitor every recommendation."
    )
    page.get_by_label("Chief constable's response", exact=True).fill(
        "Every recommendation is in the improvement plan."
    )
    for number in ("3", "5", "7", "9", "11"):
        page.get_by_label(f"Chief constable's response to recommendation {number}").fill(
            f"Response to recommendation {number}."
        )
    page.get_by_label("Police and crime commissioner's overall comments").fill(
        "I look forward to monitoring progress."
    )
    page.get_by_role("button", name="Save the draft").click()
    assert page.get_by_role("alert").inner_text() == "Draft saved."
    assert "awaiting a chief officer's approval" in page.locator("#approval").inner_text()
    assert page.get_by_role("link", name="Publish version 1…").count() == 0
    sign_out(page)

    login("alice")
    page.goto(record_url)
    page.get_by_role("button", name="Approve the chief constable's response").click()
    assert page.get_by_role("alert").inner_text() == (
        "You approved the chief constable's response."
    )
    assert "approved by Alice" in page.locator("#approval").inner_text()
    sign_out(page)

    login("pat")
    page.goto(record_url)
    page.get_by_role("link", name="Publish version 1…").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Publish version 1 of the response record?"
    )
    assert "approved by Alice" in page.locator("#publish-summary").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Publish version 1").click()
    assert "Tick the box to confirm" in page.locator("main form").inner_text()
    assert ResponseRecord.objects.get().state == ResponseRecord.State.DRAFT
    page.get_by_label("I have read version 1, and it may be published now as it stands").check()
    page.get_by_role("button", name="Publish version 1").click()
    assert page.get_by_role("alert").inner_text() == "Version 1 published. It is now frozen."
    assert "Version 1, published by Pat Lee" in page.locator("#record-state").inner_text()
    assert page.locator("#record-version").inner_text() == "Version: 1"
    assert page.get_by_role("link", name="Edit the draft").count() == 0
    assert "Response to recommendation 11." in page.locator("#cc-response-11").inner_text()
    assert "Complete" in page.locator("#cc-response-11").inner_text()
    assert_accessible(page)
    record = ResponseRecord.objects.get(force=force_a, inspection=rec11.inspection)
    assert record.state == ResponseRecord.State.PUBLISHED
    assert record.snapshot["pcc"] == "Clare Moody"

    page.get_by_role("button", name="Start version 2").click()
    assert page.get_by_role("alert").inner_text() == (
        "Version 2 started, a copy of version 1, which stays as published."
    )
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Edit version 2 of the response record"
    )
    page.get_by_label("Police and crime commissioner's overall comments").fill(
        "Progress is on track."
    )
    page.get_by_role("button", name="Save the draft").click()
    assert "Draft of version 2" in page.locator("#record-state").inner_text()
    page.locator("#record-versions").get_by_role("link", name="Version 1", exact=True).click()
    assert "I look forward to monitoring progress." in page.locator("#response-record").inner_text()
    assert "A later version exists" in page.locator("#record-state").inner_text()
    assert_accessible(page)
