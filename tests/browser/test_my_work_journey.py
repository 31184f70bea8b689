"""Browser journeys: each role signs in to their "my work" page and opens the work on it;
a Soteria lead approves a return with a comment and its pillar lead is told, with the
comment; the evidence form refuses a part bigger than its whole and a quarter not ended."""

import datetime as dt

import pytest
from django.utils import timezone

from kpis.evidence import services as evidence
from kpis.models import EvidenceReturn, ImportBatch
from panels import services as panels
from recommendations import services as recommendations
from recommendations.models import Inspection, Status
from soteria.models import Pillar, Role
from soteria.periods import Period

from ..panels.factories import make_panel
from .a11y import assert_accessible

pytestmark = pytest.mark.browser
LATEST = Period.latest_complete()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def submitted_return(force, lead, pillar_number=4):
    period = Period.latest_complete()
    pillar = Pillar.objects.get(number=pillar_number)
    ret = evidence.start_return(force=force, pillar=pillar, period=period, by=lead)
    evidence.save_return(
        evidence_return=ret,
        values={
            "sickness-days": {"number": 4.5},
            "burnout-indicator": {"numerator": 6, "denominator": 40},
            "reflective-practice": {"numerator": 30, "denominator": 40},
            "supervision": {"numerator": 35, "denominator": 40},
            "accredited-investigators": {"numerator": 28, "denominator": 40},
            "demand-caseload-evidence": {"yes_no": True},
        },
        narrative="Checked by HR.",
        by=lead,
    )
    evidence.submit_return(evidence_return=ret, by=lead)
    return ret


def test_approving_with_a_comment_tells_the_pillar_lead(
    make_user, force_a, login, live_server, page
):
    """Given Pat's pillar 4 return submitted to Sam, the Soteria lead,
    When Sam opens it from her "my work" page and approves it with a comment,
    Then Pat's bell shows one new notification, his "my work" page shows the comment,
    and opening it takes him to the approved return, which shows the comment too."""
    pat = make_user("pat", Role.PILLAR_LEAD, force_a, pillars=[4], first_name="Pat")
    make_user("sam", Role.SOTERIA_LEAD, force_a, first_name="Sam", last_name="Roe")
    period = Period.latest_complete()
    submitted_return(force_a, pat)

    login("sam")
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    assert page.locator("#nav-unread").inner_text().startswith("1")  # Pat's submission
    assert_accessible(page)
    page.get_by_role("link", name=f"Review the pillar 4 return, {period.label}").click()
    page.get_by_label("Comment for the pillar lead").fill("Good work: keep the HR extract.")
    page.get_by_role("button", name="Approve").click()
    assert page.get_by_text("Return approved").is_visible()
    sign_out(page)

    login("pat")
    assert page.locator("#nav-unread").inner_text().startswith("1")
    new = page.locator("#my-unread")
    assert "Sam Roe approved" in new.inner_text()
    assert "commenting: Good work: keep the HR extract." in new.inner_text()
    assert_accessible(page)
    new.get_by_role("button").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/evidence/{period.slug}/pillar-4/")
    banner = page.locator("#reviewer-comment").inner_text()
    assert "Approved by Sam Roe, who commented:" in banner
    assert "Good work: keep the HR extract." in banner
    assert page.locator("#nav-unread").count() == 0  # read now
    assert EvidenceReturn.objects.get().reviewer_comment == "Good work: keep the HR extract."


def test_the_form_says_what_is_wrong_with_more_upheld_than_requested(
    make_user, force_a, login, live_server, page
):
    """Given Val, pillar 3's lead, when she enters 20 reviews upheld of 12 requested,
    then the form says so at the field and nothing is saved; and a quarter still running
    cannot be opened by its address."""
    make_user("val", Role.PILLAR_LEAD, force_a, pillars=[3], first_name="Val")
    period = Period.latest_complete()
    login("val")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/evidence/{period.slug}/pillar-3/edit/")
    page.fill("#id_vrr-requests__number", "12")
    page.fill("#id_vrr-upheld__number", "20")
    page.get_by_role("button", name="Save draft").click()
    error = page.locator("#kpi-vrr-upheld .invalid-feedback").inner_text()
    assert "cannot be more than Victims' Right to Review requests (12): you entered 20" in error
    assert "The return was not saved" in page.locator("#error-summary").inner_text()
    assert not EvidenceReturn.objects.exists()
    assert_accessible(page)

    current = Period.current()
    page.goto(f"{live_server.url}/forces/{force_a.slug}/evidence/{current.slug}/pillar-3/edit/")
    assert page.url.endswith(f"/forces/{force_a.slug}/evidence/")
    assert f"{current.label} has not ended yet" in page.get_by_role("alert").inner_text()


def open_first_item(page, title: str):
    """Open the named item on "my work" and check the page it leads to opened."""
    page.get_by_role("link", name=title).first.click()
    page.wait_for_load_state()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "not found" not in heading.lower() and "not allowed" not in heading.lower()
    return heading


@pytest.fixture
def force_work(make_user, force_a):
    """Work for each role in Avon and Somerset: an overdue return sent back, a return
    awaiting approval, a recommendation awaiting sign-off, a response record ready to
    publish, a panel meeting in two weeks, a failed import."""
    today = timezone.localdate()
    lead = make_user("pat", Role.PILLAR_LEAD, force_a, pillars=[4, 6], first_name="Pat")
    sam = make_user("sam", Role.SOTERIA_LEAD, force_a, first_name="Sam")
    alice = make_user("alice", Role.CHIEF_OFFICER, force_a, first_name="Alice")
    make_user("penny", Role.PCC_STAFF, force_a, first_name="Penny")
    ruth = make_user("ruth", Role.PANEL_MEMBER, force_a, first_name="Ruth")
    isla = make_user("isla", Role.EXTERNAL_PANEL_MEMBER, force_a, first_name="Isla")
    make_user("andy", Role.ANALYST, force_a, first_name="Andy")
    returned = submitted_return(force_a, lead)
    evidence.return_for_changes(evidence_return=returned, by=sam, comment="Which report?")
    EvidenceReturn.objects.filter(pk=returned.pk).update(due_date=today - dt.timedelta(days=3))
    inspection = Inspection.objects.get(slug="soteria-nom-2024", force=None)
    rec = inspection.recommendations.get(number="11")
    response = recommendations.ensure_response(force=force_a, recommendation=rec)
    response.status = Status.AWAITING_SIGN_OFF
    response.save()
    panel = make_panel(force_a, chair=ruth)
    seat = panel.members.exclude(user=ruth).first()
    seat.user = isla
    seat.save()
    panels.create_meeting(panel=panel, by=ruth, date=today + dt.timedelta(days=14), attendees=[])
    ImportBatch.objects.create(
        force=force_a,
        kind="records",
        file_name="november.csv",
        file_sha256="0" * 64,
        status=ImportBatch.Status.FAILED,
        message="The file has no header row.",
    )
    return {"alice": alice, "rec": rec, "panel": panel}


@pytest.mark.parametrize(
    "username, section, item, lands_on",
    [
        ("pat", "Overdue", f"Pillar 4 return, {LATEST.label}", "Evidence return"),
        ("sam", "Overdue", f"Pillar 4 return, {LATEST.label}", "Evidence return"),
        ("alice", "Awaiting your approval or sign-off", "Sign off recommendation 11", ""),
        ("penny", "Overdue", "Recommendation", ""),
        ("ruth", "Upcoming panel meetings", "RASSO", ""),
        ("isla", "Upcoming panel meetings", "RASSO", ""),
        ("andy", "Overdue", "Avon and Somerset: november.csv (failed)", ""),
    ],
)
def test_each_role_opens_their_work(force_work, login, page, username, section, item, lands_on):
    """Given work waiting for each role, when each signs in, then their "my work" page
    lists it under the right heading and each item opens the page where it is done."""
    login(username)
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    assert page.get_by_role("heading", level=2, name=section).is_visible()
    assert_accessible(page)
    heading = open_first_item(page, item)
    if lands_on:
        assert heading.startswith(lands_on)


def test_a_national_administrator_gives_a_new_starter_a_role(django_user_model, login, page):
    """Given a new starter with no role, when the national administrator signs in,
    then "my work" asks them to give her a role and the link opens her account."""
    django_user_model.objects.create_superuser("root", "root@example.org", "password")
    django_user_model.objects.create_user("nell", first_name="Nell", last_name="New")
    login("root")
    assert_accessible(page)
    page.get_by_role("link", name="Give Nell New a role").click()
    page.wait_for_load_state()
    assert page.get_by_label("Username").input_value() == "nell"
