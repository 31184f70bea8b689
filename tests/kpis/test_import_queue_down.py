"""The job queue is down when work is queued after a commit: what was committed stands.

Issue 12: with the broker gone after the last chunk was written, queueing the
snapshot recompute raised inside the importer, and the batch said "Failed …
nothing was written" over 300,000 committed rows. And an upload with the broker
down answered 500 after 20 s, leaving its batch "Waiting" for ever.

These tests commit for real (transaction=True), as the importer and the upload
page do, so the jobs are sent when they would be in production.
"""

import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from kpis.imports import reaper
from kpis.imports import services as imports
from kpis.models import CrimeRecord, ImportBatch, KpiSnapshot
from soteria import jobs
from soteria.celery import app
from soteria.models import Role

from .import_faults import private_redis, queue_down, real_queue  # noqa: F401
from .import_helpers import extract_text, records, write_extract

pytestmark = pytest.mark.django_db(transaction=True)
Status = ImportBatch.Status


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR


@pytest.fixture
def ann(make_user, force_a):
    return make_user("ann", Role.ANALYST, force_a, first_name="Ann")


def sending_fails(task_name: str):
    """The broker refuses every send of this task (as kombu reports a refused connection)."""
    return mock.patch.object(
        app.tasks[task_name],
        "apply_async",
        side_effect=OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
    )


def test_a_job_that_cannot_be_sent_after_commit_is_logged_and_reported_not_raised(caplog):
    not_sent = []
    with queue_down(), sending_fails("kpis.compute_snapshots"):
        task_id = jobs.queue(
            "kpis.compute_snapshots",
            on_publish_error=not_sent.append,
            force_id=1,
            period="2024-25-q1",
        )  # no transaction open: sent (and failing) at once, as after a commit

    assert len(task_id) == 32
    assert [type(e) for e in not_sent] == [OperationalError]
    assert f"Could not queue kpis.compute_snapshots (task {task_id}) after commit" in caplog.text


def test_an_import_whose_recompute_cannot_be_queued_still_says_its_rows_were_imported(
    tmp_path, force_a
):
    path = write_extract(tmp_path / "extract.csv", records(40))
    batch = imports.create_batch(
        kind="records", source=path, file_name="extract.csv", force=force_a, uploaded_by=None
    )

    with queue_down(), sending_fails("kpis.compute_snapshots"):
        imports.import_outcomes(batch=batch)

    batch.refresh_from_db()
    assert batch.status == Status.SUCCEEDED
    assert batch.rows_written == 40 == CrimeRecord.objects.count()
    assert batch.message.startswith("Imported 40 rows")
    assert "nothing was written" not in batch.message
    assert "not recomputed yet" in batch.message
    assert batch.history.first().history_change_reason == imports.SNAPSHOTS_NOT_QUEUED
    assert not Path(batch.stored_path).exists()  # the raw upload is gone all the same


def test_the_reaper_queues_the_recompute_once_the_queue_is_back(tmp_path, force_a):
    path = write_extract(tmp_path / "extract.csv", records(40, recorded_date="2024-05-01"))
    batch = imports.create_batch(
        kind="records", source=path, file_name="extract.csv", force=force_a, uploaded_by=None
    )
    with queue_down(), sending_fails("kpis.compute_snapshots"):
        imports.import_outcomes(batch=batch)
    assert not KpiSnapshot.objects.filter(force=force_a).exists()

    with queue_down(), sending_fails("kpis.compute_snapshots"):
        still_down = reaper.reap_stale_imports()
    assert still_down.snapshots_queued == []

    back = reaper.reap_stale_imports()  # eager: the recompute runs as it is queued

    batch.refresh_from_db()
    assert back.snapshots_queued == [batch.pk]
    assert KpiSnapshot.objects.filter(force=force_a, period="2024-25-q1").exists()
    assert "not recomputed yet" not in batch.message
    assert batch.message.startswith("Imported 40 rows")
    assert batch.history.first().history_change_reason == (
        "KPI snapshots queued by the import reaper"
    )
    assert reaper.reap_stale_imports().snapshots_queued == []  # once only


def upload(client, force, rows):
    return client.post(
        reverse("kpis:imports", kwargs={"force_slug": force.slug}),
        {
            "kind": "records",
            "file": SimpleUploadedFile("extract.csv", extract_text(rows).encode(), "text/csv"),
        },
        follow=True,
    )


def test_an_upload_while_the_queue_is_down_is_saved_and_the_page_says_so_plainly(
    client, ann, force_a, uploads
):
    client.force_login(ann)

    with queue_down(), sending_fails("kpis.import_outcomes"):
        page = upload(client, force_a, records(3))

    assert page.status_code == 200
    assert "Saved; it will start as soon as the job queue is back." in page.content.decode()
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.task_id) == (Status.PENDING, "")
    assert batch.message == imports.QUEUE_DOWN_MESSAGE
    assert Path(batch.stored_path).exists()  # kept until it is imported


def test_the_reaper_starts_a_batch_saved_while_the_queue_was_down(client, ann, force_a):
    client.force_login(ann)
    with queue_down(), sending_fails("kpis.import_outcomes"):
        upload(client, force_a, records(3))
    batch = ImportBatch.objects.get()

    too_soon = reaper.reap_stale_imports()
    assert too_soon.queued == []
    later = reaper.reap_stale_imports(now=timezone.now() + reaper.UNSENT_AFTER)

    batch.refresh_from_db()
    assert later.queued == [batch.pk]
    assert batch.status == Status.SUCCEEDED  # eager: it ran as it was queued
    assert CrimeRecord.objects.count() == 3
    reasons = list(batch.history.values_list("history_change_reason", flat=True))
    assert "Queued by the import reaper: the job queue was down before" in reasons


def test_with_the_broker_stopped_an_upload_answers_within_seconds(
    client,
    ann,
    force_a,
    private_redis,  # noqa: F811
):
    client.force_login(ann)
    private_redis.stop()

    with real_queue(private_redis.url):
        started = time.monotonic()
        page = upload(client, force_a, records(3))
        elapsed = time.monotonic() - started

    assert page.status_code == 200
    assert "Saved; it will start as soon as the job queue is back." in page.content.decode()
    assert elapsed < 8, f"the upload took {elapsed:.1f} s with the broker down"
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.task_id) == (Status.PENDING, "")


def test_with_the_broker_stopped_a_finished_import_still_says_imported(
    tmp_path,
    force_a,
    private_redis,  # noqa: F811
):
    path = write_extract(tmp_path / "extract.csv", records(40))
    batch = imports.create_batch(
        kind="records", source=path, file_name="extract.csv", force=force_a, uploaded_by=None
    )
    private_redis.stop()  # the broker drops before the import finishes

    with real_queue(private_redis.url):
        imports.import_outcomes(batch=batch)

    batch.refresh_from_db()
    assert batch.status == Status.SUCCEEDED
    assert batch.rows_written == 40 == CrimeRecord.objects.count()
    assert batch.message.startswith("Imported 40 rows")
    assert "not recomputed yet" in batch.message
