"""Browser journeys: an analyst uploads an extract, watches its progress, and reads the report."""

import pytest

from kpis.imports import services as imports
from kpis.models import CrimeRecord, ImportBatch
from soteria.models import Role
from tests.kpis.import_helpers import records, write_extract

from .a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def ann(make_user, force_a):
    return make_user("ann", Role.ANALYST, force_a, first_name="Ann", last_name="Lyst")


def test_an_analyst_uploads_an_extract_and_sees_it_in_the_history(
    ann, force_a, login, live_server, page, tmp_path
):
    """Given Ann, an analyst in Avon and Somerset,
    When she uploads a valid extract on the import page,
    Then she sees it imported, and it is listed in the import history."""
    path = write_extract(tmp_path / "april-extract.csv", records(25))
    login("ann")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/imports/")
    assert_accessible(page)

    page.get_by_label("File to import").set_input_files(str(path))
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_load_state()

    assert page.locator("#import-result").inner_text().startswith("Imported 25 rows")
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
    assert_accessible(page)
    page.get_by_role("link", name="Data imports").first.click()
    assert page.get_by_role("link", name="april-extract.csv").is_visible()


def test_a_file_with_one_bad_row_is_rejected_with_that_row_named(
    ann, force_a, login, live_server, page, tmp_path
):
    """Given an extract whose 51st record has a future recorded date,
    When Ann uploads it,
    Then the page names line 52 and the reason, offers the report, and nothing is written."""
    rows = records(100)
    rows[50]["recorded_date"] = "2099-01-01"
    rows[50]["outcome_type"] = rows[50]["outcome_date"] = ""
    path = write_extract(tmp_path / "bad.csv", rows)
    login("ann")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/imports/")

    page.get_by_label("File to import").set_input_files(str(path))
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_load_state()

    report = page.locator("#error-report tbody tr")
    assert report.count() == 1
    assert report.first.inner_text().split("\t")[:2] == ["52", "recorded_date"]
    assert "is in the future" in report.first.inner_text()
    assert page.get_by_role("link", name="Download the report (CSV)").is_visible()
    assert CrimeRecord.objects.count() == 0
    assert_accessible(page)


def test_the_progress_bar_follows_an_import_and_survives_a_reload(
    ann, force_a, login, live_server, page, tmp_path
):
    """Given an import waiting for a worker,
    When Ann opens its page, reloads it, and the worker then runs the import,
    Then the page moves from the unfinished bar to the result by itself."""
    path = write_extract(tmp_path / "queued.csv", records(40))
    batch = imports.create_batch(
        kind="records", source=path, file_name="queued.csv", force=force_a, uploaded_by=ann
    )
    login("ann")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/imports/{batch.pk}/")
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "0"
    page.reload()
    assert "Waiting" in page.locator("#progress-text").inner_text()

    imports.import_outcomes(batch=batch)

    page.locator("#import-result").wait_for(timeout=10_000)
    assert page.locator("#import-result").inner_text().startswith("Imported 40 rows")
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
    assert ImportBatch.objects.get().status == ImportBatch.Status.SUCCEEDED
