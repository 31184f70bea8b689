"""The import reaper: stuck batches are re-queued once, then failed; raw uploads expire.

Issue 12: a worker process killed by the kernel left its import "Importing" at
0% for ever; a whole worker lost left it frozen for an hour; raw uploads of
pending, stuck or cancelled batches stayed in private storage for ever.
"""

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from kpis.imports import reaper, tasks
from kpis.imports import services as imports
from kpis.models import CrimeRecord, ImportBatch
from soteria.celery import app

from .import_helpers import records, write_extract

pytestmark = pytest.mark.django_db
Status = ImportBatch.Status
LATER = imports.STALE_AFTER + dt.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR


@pytest.fixture
def batch(tmp_path, force_a):
    path = write_extract(tmp_path / "extract.csv", records(3))
    return imports.create_batch(
        kind="records", source=path, file_name="extract.csv", force=force_a, uploaded_by=None
    )


def lost_worker(batch: ImportBatch, *, task_id: str = "dead-task") -> ImportBatch:
    """The batch was claimed by a task whose worker then died: Importing, nothing written."""
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=task_id)
    assert imports.claim(ImportBatch.objects.get(pk=batch.pk), task_id=task_id)
    return ImportBatch.objects.get(pk=batch.pk)


def reasons(batch: ImportBatch) -> list[str]:
    return list(batch.history.values_list("history_change_reason", flat=True))


def test_a_batch_whose_worker_was_lost_is_requeued_and_imported(
    batch, django_capture_on_commit_callbacks, caplog
):
    lost_worker(batch)

    with django_capture_on_commit_callbacks(execute=True):
        report = reaper.reap_stale_imports(now=timezone.now() + LATER)

    batch.refresh_from_db()
    assert report.requeued == [batch.pk]
    assert f"Import reaper: requeued [{batch.pk}]" in caplog.text
    assert batch.status == Status.SUCCEEDED
    assert CrimeRecord.objects.count() == 3
    assert batch.task_id not in ("", "dead-task")
    assert "Re-queued by the import reaper: its worker was lost" in reasons(batch)


def test_a_live_import_is_left_alone(batch):
    lost_worker(batch)  # claimed just now: its task may well be running

    report = reaper.reap_stale_imports()

    batch.refresh_from_db()
    assert report.requeued == report.failed == []
    assert batch.status == Status.RUNNING


def test_a_late_copy_of_the_lost_task_does_nothing_once_the_batch_is_requeued(
    batch, django_capture_on_commit_callbacks
):
    lost_worker(batch)
    with django_capture_on_commit_callbacks(execute=False):
        reaper.reap_stale_imports(now=timezone.now() + LATER)
    batch.refresh_from_db()
    assert batch.status == Status.PENDING

    assert imports.claim(batch, task_id="dead-task") is False  # redelivered an hour on
    assert imports.claim(batch, task_id=batch.task_id) is True


def test_a_batch_stuck_again_after_its_requeue_fails_with_a_clear_message(
    batch, django_capture_on_commit_callbacks
):
    lost_worker(batch)
    with django_capture_on_commit_callbacks(execute=False):
        reaper.reap_stale_imports(now=timezone.now() + LATER)
    batch.refresh_from_db()
    lost_worker(batch, task_id=batch.task_id)  # and its worker is lost again

    with django_capture_on_commit_callbacks(execute=True):
        report = reaper.reap_stale_imports(now=timezone.now() + LATER)

    batch.refresh_from_db()
    assert report.failed == [batch.pk]
    assert batch.status == Status.FAILED
    assert batch.message == (
        "The import stopped (its worker was lost) and nothing was written; upload the file again."
    )
    assert batch.rows_written == 0
    assert not Path(batch.stored_path).exists()
    assert CrimeRecord.objects.count() == 0


def test_a_waiting_batch_whose_job_was_lost_is_requeued_then_failed(
    batch, django_capture_on_commit_callbacks
):
    imports.queue_import(batch=batch)  # sent, but the queue lost it (Redis without its file)
    with django_capture_on_commit_callbacks(execute=False):
        assert reaper.reap_stale_imports().requeued == []  # it may just be queued behind others
        assert reaper.reap_stale_imports(now=timezone.now() + LATER).requeued == [batch.pk]
        report = reaper.reap_stale_imports(now=timezone.now() + 2 * LATER)

    batch.refresh_from_db()
    assert report.failed == [batch.pk]
    assert batch.status == Status.FAILED
    assert "never started" in batch.message and "nothing was written" in batch.message


def test_a_waiting_upload_still_not_started_after_a_day_is_expired_and_its_file_deleted(batch):
    ImportBatch.objects.filter(pk=batch.pk).update(task_id="", message=imports.QUEUE_DOWN_MESSAGE)

    report = reaper.reap_stale_imports(now=timezone.now() + dt.timedelta(hours=25))

    batch.refresh_from_db()
    assert report.expired == [batch.pk]
    assert batch.status == Status.FAILED
    assert "within 24 hours" in batch.message and "nothing was written" in batch.message
    assert not Path(batch.stored_path).exists()


def test_an_unconfirmed_replacement_expires_after_a_day_and_keeps_the_earlier_data(
    tmp_path, force_a
):
    first = write_extract(tmp_path / "first.csv", records(3))
    imports.import_outcomes(
        batch=imports.create_batch(
            kind="records", source=first, file_name="first.csv", force=force_a, uploaded_by=None
        )
    )
    second = write_extract(tmp_path / "second.csv", records(4, prefix="AS/2024/B"))
    held = imports.create_batch(
        kind="records", source=second, file_name="second.csv", force=force_a, uploaded_by=None
    )
    imports.import_outcomes(batch=held)
    assert held.status == Status.AWAITING_CONFIRMATION
    assert Path(held.stored_path).exists()  # kept: confirming needs it

    assert reaper.reap_stale_imports(now=timezone.now() + dt.timedelta(hours=23)).expired == []
    report = reaper.reap_stale_imports(now=timezone.now() + dt.timedelta(hours=25))

    held.refresh_from_db()
    assert report.expired == [held.pk]
    assert held.status == Status.CANCELLED
    assert "not confirmed within 24 hours" in held.message
    assert not Path(held.stored_path).exists()
    assert CrimeRecord.objects.count() == 3


def test_raw_uploads_are_deleted_once_imported_rejected_or_cancelled(tmp_path, force_a, alice):
    good = write_extract(tmp_path / "good.csv", records(3))
    imported = imports.create_batch(
        kind="records", source=good, file_name="good.csv", force=force_a, uploaded_by=None
    )
    imports.import_outcomes(batch=imported)
    bad = write_extract(tmp_path / "bad.csv", records(2, prefix="AS/2024/X", offence_code="99"))
    rejected = imports.create_batch(
        kind="records", source=bad, file_name="bad.csv", force=force_a, uploaded_by=None
    )
    imports.import_outcomes(batch=rejected)
    again = write_extract(tmp_path / "again.csv", records(2, prefix="AS/2024/Y"))
    cancelled = imports.create_batch(
        kind="records", source=again, file_name="again.csv", force=force_a, uploaded_by=None
    )
    imports.import_outcomes(batch=cancelled)
    assert imports.cancel_batch(batch=cancelled, by=alice)

    statuses = [b.status for b in (imported, rejected, cancelled)]
    assert statuses == [Status.SUCCEEDED, Status.REJECTED, Status.CANCELLED]
    for done in (imported, rejected, cancelled):
        assert not Path(done.stored_path).exists()


def test_any_upload_left_over_for_a_day_is_deleted_unless_an_import_still_needs_it(
    batch, upload_dir
):
    lost_worker(batch)
    old = time.time() - 25 * 3600
    leftover = upload_dir / "0123456789abcdef.csv"  # a crash's partial file, no batch
    leftover.write_bytes(b"crime_reference\nAS/1\n")
    demo = upload_dir / "demo" / "synthetic-avon-and-somerset-1-2024-25-q4.csv"
    demo.parent.mkdir()
    demo.write_bytes(b"# SYNTHETIC\n")
    fresh = upload_dir / "fedcba9876543210.csv"  # an upload being written right now
    fresh.write_bytes(b"crime_reference\n")
    for path in (leftover, demo, Path(batch.stored_path)):
        os.utime(path, (old, old))

    report = reaper.reap_stale_imports()

    assert report.files_deleted == 2
    assert not leftover.exists() and not demo.exists()
    assert fresh.exists()
    assert Path(batch.stored_path).exists()  # its batch is importing


def test_the_command_reaps_at_once_with_now(batch, capsys, django_capture_on_commit_callbacks):
    lost_worker(batch)
    call_command("reap_imports")
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.RUNNING

    with django_capture_on_commit_callbacks(execute=True):
        call_command("reap_imports", "--now")

    assert f"Re-queued (worker or job lost): batch {batch.pk}" in capsys.readouterr().out
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.SUCCEEDED


def test_the_task_runs_the_reaper():
    assert tasks.reap_stale_imports.apply().get() == {
        "queued": 0,
        "requeued": 0,
        "failed": 0,
        "expired": 0,
        "snapshots_queued": 0,
        "files_deleted": 0,
    }


def test_beat_runs_the_reaper_every_ten_minutes(settings):
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "kpis.reap_stale_imports"
    )
    assert entry["schedule"].minute == set(range(0, 60, 10))
    assert "kpis.reap_stale_imports" in app.tasks


def test_no_live_task_is_old_enough_to_be_reaped():
    assert app.conf.task_time_limit < imports.STALE_AFTER.total_seconds()


@pytest.mark.parametrize(
    "name", ["kpis.compute_snapshots", "kpis.import_outcomes", "kpis.reap_stale_imports"]
)
def test_every_job_is_retried_after_its_worker_is_lost(name):
    task = app.tasks[name]
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert task.retry_on_worker_lost is True
