"""Browser journey: from the flight deck to the force's problem profile, its workbook and
its PDF."""

import io
import unicodedata

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from kpis.imports.synthetic import add_synthetic_records
from soteria.models import Role

from .a11y import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_opens_the_problem_profile_and_downloads_it(
    live_server, page, login, make_user, force_a, tmp_path
):
    """Given Avon's crime records,
    when its analyst follows "Problem profile" and chooses rape for the 12 months to 2024/25 Q4,
    then every section is shown, the attrition chart is drawn, the XLSX arrives with a
    sheet per section and the PDF with a contents listing every section."""
    add_synthetic_records(forces=[force_a], records=2000, seed=5, optional=True)
    make_user("ann", Role.ANALYST, force_a)
    login("ann")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/")
    page.get_by_role("link", name="Problem profile", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("RASSO problem profile")
    page.get_by_label("12 months ending", exact=True).select_option("2024-25-q4")
    page.get_by_label("Offences", exact=True).select_option("rape")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#profile-scope")).to_contain_text("Apr 2024 to Mar 2025 · Rape")
    for title in (
        "Demand",
        "Victims",
        "Relationships",
        "Suspects",
        "Outcomes and attrition",
        "Where",
        "Data gaps",
    ):
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
    expect(page.locator("#attrition-chart .main-svg").first).to_be_visible()
    expect(page.locator("#by-month-chart .main-svg").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "problem-profile.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download XLSX (a sheet per section)").click()
    download = info.value
    assert download.suggested_filename == f"{force_a.slug}-problem-profile-2024-25-q4-rape.xlsx"
    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert book.sheetnames[:2] == ["Demand", "Victims"] and book.sheetnames[-1] == "About"
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Download PDF (printable data pack)").click()
    printed = info.value
    assert printed.suggested_filename == f"{force_a.slug}-problem-profile-2024-25-q4-rape.pdf"
    text = PdfReader(printed.path()).pages[0].extract_text()
    cover = " ".join(unicodedata.normalize("NFKC", text).split())  # ligatures as letters
    assert "RASSO problem profile" in cover and "Apr 2024 to Mar 2025 · Rape" in cover
    assert "6. Where" in cover and "7. Data gaps" in cover
