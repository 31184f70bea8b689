"""Browser journey: a pillar lead's quarterly evidence return, from draft to the flight deck."""

import pytest
from django.utils import timezone

from kpis.evidence import services as service
from kpis.models import EvidenceReturn, KpiSnapshot
from soteria.models import Pillar, Role
from soteria.periods import Period

from .a11y import assert_accessible
from .flight_deck import assert_on_flight_deck

pytestmark = pytest.mark.browser


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def fill(page, values: dict[str, str]):
    for name, value in values.items():
        page.fill(f"#id_{name}", value)


def test_a_return_goes_from_draft_to_the_flight_deck(make_user, force_a, login, live_server, page):
    """Given Pat, pillar 4's lead in Avon and Somerset, and Sam, its Soteria lead,
    When Pat saves a draft, corrects a figure the form refuses and submits,
    And Sam returns it with a comment, Pat corrects and resubmits, and Sam approves,
    Then the return is approved and locked, its figures are in the KPI snapshots
    with their provenance, and (once the flight deck exists) on the flight deck."""
    make_user("pat", Role.PILLAR_LEAD, force_a, pillars=[4], first_name="Pat", last_name="Lee")
    make_user("sam", Role.SOTERIA_LEAD, force_a, first_name="Sam", last_name="Roe")
    period = Period.latest_complete()

    # Pat starts the return from the grid and saves a draft.
    login("pat")
    page.get_by_role("link", name="Evidence returns").click()
    assert page.locator(f"#cell-4-{period.slug}").get_by_text("Not started").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Start pillar 4 return for {period.label}").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Edit evidence return")
    fill(page, {"sickness-days__number": "4.5"})
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_text("Draft saved").is_visible()
    assert page.input_value("#id_sickness-days__number") == "4.5"
    assert_accessible(page)

    # Pat fills in the rest, with one numerator larger than its denominator.
    fill(
        page,
        {
            "staff-survey__numerator": "50",
            "staff-survey__denominator": "80",
            "burnout-indicator__numerator": "6",
            "burnout-indicator__denominator": "40",
            "reflective-practice__numerator": "30",
            "reflective-practice__denominator": "40",
            "supervision__numerator": "45",
            "supervision__denominator": "40",
            "accredited-investigators__numerator": "28",
            "accredited-investigators__denominator": "40",
            "narrative": "Sickness from the HR system; supervision from the unit's log.",
        },
    )
    page.check("#id_demand-caseload-evidence__yes_no_0")
    page.get_by_role("button", name="Submit for approval").click()
    error = page.locator("#kpi-supervision .invalid-feedback")
    assert "cannot be more than RASSO investigators (40)" in error.inner_text()
    fill(page, {"supervision__numerator": "35"})
    page.get_by_role("button", name="Submit for approval").click()
    assert page.get_by_text("Return submitted to the Soteria lead").is_visible()
    sign_out(page)

    # Sam returns it with a comment.
    return_url = f"{live_server.url}/forces/{force_a.slug}/evidence/{period.slug}/pillar-4/"
    login("sam")
    page.goto(return_url)
    assert "35 of 40 (87.5%)" in page.locator("#value-supervision").inner_text()
    page.get_by_label("Comment for the pillar lead").fill("Please give the HR report's date.")
    page.get_by_role("button", name="Return for changes").click()
    assert page.get_by_text("Return sent back to the pillar lead").is_visible()
    sign_out(page)

    # Pat reads the comment, corrects the narrative and a figure, and resubmits.
    login("pat")
    page.goto(return_url + "edit/")
    assert "Please give the HR report's date." in page.locator("#reviewer-comment").inner_text()
    fill(
        page,
        {
            "sickness-days__number": "5.5",
            "narrative": "Sickness from the HR report of 3 July; supervision from the unit's log.",
        },
    )
    page.get_by_role("button", name="Submit for approval").click()
    assert page.locator(".evidence-status").first.inner_text() == "Resubmitted"
    sign_out(page)

    # Sam approves.
    login("sam")
    page.goto(return_url)
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_text("Return approved").is_visible()
    assert page.locator(".evidence-status").first.inner_text() == "Approved"
    assert "5.5 days" in page.locator("#value-sickness-days").inner_text()
    assert "Approved" in page.locator("#history-heading + div").inner_text()
    assert_accessible(page)

    ret = EvidenceReturn.objects.get(force=force_a, period=period.slug)
    assert ret.status == EvidenceReturn.Status.APPROVED
    snapshot = KpiSnapshot.objects.get(force=force_a, period=period.slug, kpi__slug="sickness-days")
    assert snapshot.value == 5.5
    assert snapshot.provenance["summary"].startswith("Entered by Pat Lee, approved by Sam Roe on")
    assert "HR report of 3 July" in snapshot.provenance["narrative"]
    assert_on_flight_deck(page, live_server, force_a, "sickness-days", "5.5", period=period.slug)


def test_an_approved_return_offers_no_edit_until_reopened(
    make_user, force_a, login, live_server, page
):
    """Given an approved return, when its pillar lead opens the edit page,
    then they are sent back to the locked return with a message saying why."""
    pat = make_user("pat", Role.PILLAR_LEAD, force_a, pillars=[4], first_name="Pat")
    sam = make_user("sam", Role.SOTERIA_LEAD, force_a, first_name="Sam")
    period = Period.latest_complete()
    ret = service.start_return(
        force=force_a, pillar=Pillar.objects.get(number=4), period=period, by=pat
    )
    ret.status, ret.reviewed_by = EvidenceReturn.Status.APPROVED, sam
    ret.approved_at = timezone.now()
    ret.save()
    login("pat")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/evidence/{period.slug}/pillar-4/edit/")
    assert page.url.endswith("/pillar-4/")
    assert (
        "cannot be changed unless the Soteria lead reopens it"
        in page.get_by_role("alert").inner_text()
    )
    assert page.get_by_role("link", name="Edit this return").count() == 0
