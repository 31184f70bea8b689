"""The import pages: upload, the import's page with its progress and report, confirm, cancel.

Ann is an analyst in Avon and Somerset (she imports); Alice, a chief officer
there, may not; Bob in Staffordshire must never see Avon and Somerset's imports.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kpis.models import CrimeRecord, HomeOfficeOutcome, ImportBatch
from soteria.models import Role

from .import_helpers import extract_text, records
from .test_import_home_office import ho_row, write_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(make_user, force_a):
    return make_user("ann", Role.ANALYST, force_a, first_name="Ann", last_name="Lyst")


@pytest.fixture
def ann_client(client, ann):
    client.force_login(ann)
    return client


def upload(client, force, rows, *, name="extract.csv", kind="records"):
    data = extract_text(rows).encode()
    return client.post(
        reverse("kpis:imports", kwargs={"force_slug": force.slug}),
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def detail_url(batch, name="kpis:import-detail"):
    return reverse(name, kwargs={"force_slug": batch.force.slug, "pk": batch.pk})


def test_an_analyst_uploads_an_extract_and_sees_the_result(
    ann_client, force_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(ann_client, force_a, records(3))

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(batch)
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.uploaded_by.username == "ann"
    page = ann_client.get(response.url)
    assert "Imported 3 rows" in page.content.decode()
    assert 'aria-valuenow="100"' in page.content.decode()


def test_the_history_lists_every_batch(
    ann_client, force_a, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(ann_client, force_a, records(3), name="april.csv")
        upload(ann_client, force_a, records(3), name="april-again.csv")

    with django_assert_max_num_queries(8):
        response = ann_client.get(reverse("kpis:imports", kwargs={"force_slug": force_a.slug}))

    text = response.content.decode()
    assert "april.csv" in text and "april-again.csv" in text
    assert "Already imported" in text
    assert "Ann Lyst" in text


def test_a_rejected_file_shows_every_bad_row_and_offers_the_report(
    ann_client, force_a, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    rows = records(5)
    rows[2]["offence_code"] = "28A"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(ann_client, force_a, rows)

    batch = ImportBatch.objects.get()
    # A batch's history has a handful of rows; soteria.history reads each one's instance.
    with django_assert_max_num_queries(16):
        page = ann_client.get(response.url).content.decode()
    assert batch.status == ImportBatch.Status.REJECTED
    assert CrimeRecord.objects.count() == 0
    assert "is not a RASSO Home Office offence code" in page
    assert "<td>4</td>" in page
    report = ann_client.get(detail_url(batch, "kpis:import-errors"))
    assert report["Content-Type"].startswith("text/csv")
    lines = report.content.decode().splitlines()
    assert lines[0] == (
        "line,column,value,reason,as_at_import_uploaded,as_at_import_finished,"
        "as_at_records_imported,as_at_generated"
    )
    assert lines[1].startswith("4,offence_code,28A,")
    uploaded = timezone.localtime(batch.created_at)
    assert lines[1].split(",")[-4] == f"{uploaded:%Y-%m-%d %H:%M}"


def test_the_form_says_what_is_wrong_with_the_file(ann_client, force_a):
    response = ann_client.post(
        reverse("kpis:imports", kwargs={"force_slug": force_a.slug}),
        {"kind": "records", "file": SimpleUploadedFile("extract.pdf", b"%PDF")},
    )

    assert response.status_code == 200
    assert "Choose a .csv or .xlsx file" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_progress_is_json_for_the_progress_bar(
    ann_client, force_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(ann_client, force_a, records(4))
    batch = ImportBatch.objects.get()

    data = ann_client.get(detail_url(batch, "kpis:import-progress")).json()

    assert data["done"] is True
    assert (data["read"], data["validated"], data["written"], data["percent"]) == (4, 4, 4, 100)


def test_a_pending_import_shows_an_unfinished_bar_that_polls(ann_client, force_a):
    upload(ann_client, force_a, records(2))  # no commit in this test: the task never runs
    batch = ImportBatch.objects.get()

    page = ann_client.get(detail_url(batch)).content.decode()

    assert batch.status == ImportBatch.Status.PENDING
    assert 'data-done="false"' in page
    assert "progress-bar-animated" in page
    assert ann_client.get(detail_url(batch, "kpis:import-progress")).json()["done"] is False


def test_an_analyst_confirms_a_replacement_and_it_is_recorded(
    ann_client, ann, force_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(ann_client, force_a, records(3), name="first.csv")
        upload(ann_client, force_a, records(2), name="corrected.csv")
    batch = ImportBatch.objects.get(file_name="corrected.csv")
    assert batch.status == ImportBatch.Status.AWAITING_CONFIRMATION
    page = ann_client.get(detail_url(batch)).content.decode()
    assert "Confirm replacement" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = ann_client.post(detail_url(batch, "kpis:import-confirm"))

    batch.refresh_from_db()
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.replacement_confirmed_by == ann
    assert CrimeRecord.objects.count() == 2
    page = ann_client.get(detail_url(batch)).content.decode()
    assert "Replacement of earlier data confirmed by <strong>Ann Lyst</strong>" in page
    assert "Replacement of 3 earlier rows confirmed by Ann Lyst" in page  # the audit history
    history = ann_client.get(reverse("kpis:imports", kwargs={"force_slug": force_a.slug}))
    assert "Replacement confirmed by Ann Lyst" in history.content.decode()


def test_an_analyst_may_cancel_a_replacement(
    ann_client, force_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(ann_client, force_a, records(3), name="first.csv")
        upload(ann_client, force_a, records(2), name="corrected.csv")
    batch = ImportBatch.objects.get(file_name="corrected.csv")

    ann_client.post(detail_url(batch, "kpis:import-cancel"))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
    assert CrimeRecord.objects.count() == 3


def test_confirming_needs_post(ann_client, force_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(ann_client, force_a, records(1))
    batch = ImportBatch.objects.get()

    assert ann_client.get(detail_url(batch, "kpis:import-confirm")).status_code == 405


def test_a_chief_officer_sees_no_upload_form_and_may_not_upload(alice_client, force_a, alice):
    from soteria.models import Membership

    Membership.objects.create(user=alice, force=force_a, role=Role.SOTERIA_LEAD)
    page = alice_client.get(reverse("kpis:imports", kwargs={"force_slug": force_a.slug}))
    assert page.status_code == 200
    assert "Upload a file" not in page.content.decode()

    assert upload(alice_client, force_a, records(1)).status_code == 403
    assert ImportBatch.objects.count() == 0


def test_a_panel_member_may_not_see_imports(client, ruth, force_a):
    client.force_login(ruth)

    assert (
        client.get(reverse("kpis:imports", kwargs={"force_slug": force_a.slug})).status_code == 403
    )


def test_bob_cannot_see_avon_and_somerset_imports(
    ann_client, bob, force_a, force_b, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(ann_client, force_a, records(5))
    batch = ImportBatch.objects.get()
    client.force_login(bob)

    for name in ("kpis:import-detail", "kpis:import-progress", "kpis:import-errors"):
        assert client.get(detail_url(batch, name)).status_code == 404
    assert client.post(detail_url(batch, "kpis:import-confirm")).status_code == 404
    assert (
        client.get(reverse("kpis:imports", kwargs={"force_slug": force_a.slug})).status_code == 404
    )
    assert upload(client, force_a, records(1)).status_code == 404


def test_a_staffordshire_analyst_cannot_reach_a_force_a_batch_through_their_own_force(
    make_user, client, force_a, force_b, ann_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(ann_client, force_a, records(1))
    batch = ImportBatch.objects.get()
    client.force_login(make_user("sam", Role.ANALYST, force_b))

    url = reverse("kpis:import-detail", kwargs={"force_slug": force_b.slug, "pk": batch.pk})

    assert client.get(url).status_code == 404


def test_rows_for_another_force_are_rejected(
    ann_client, force_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(ann_client, force_a, records(2, force="Staffordshire"))

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    assert "is not Avon and Somerset, the force this import is for" in batch.errors[0]["reason"]


def test_a_force_analyst_cannot_upload_a_home_office_table(
    ann_client, force_a, tmp_path, django_capture_on_commit_callbacks
):
    """The Home Office table is national data: the force's upload path refuses it."""
    path = write_table(tmp_path / "prc-outcomes-open-data-mar2024-tables-300125.csv", [ho_row()])

    with django_capture_on_commit_callbacks(execute=True):
        response = ann_client.post(
            reverse("kpis:imports", kwargs={"force_slug": force_a.slug}),
            {"kind": "home-office", "file": SimpleUploadedFile(path.name, path.read_bytes())},
        )

    assert response.status_code == 200
    assert "national data" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not HomeOfficeOutcome.objects.exists()


def test_the_downloaded_report_cannot_run_a_formula(
    ann_client, force_a, django_capture_on_commit_callbacks
):
    rows = records(2)
    rows[1]["victim_sex"] = "=HYPERLINK(1)"
    with django_capture_on_commit_callbacks(execute=True):
        upload(ann_client, force_a, rows)
    batch = ImportBatch.objects.get()

    report = ann_client.get(detail_url(batch, "kpis:import-errors")).content.decode()

    assert "3,victim_sex,'=HYPERLINK(1)," in report
