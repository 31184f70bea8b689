"""The `import_outcomes` Celery task: a thin wrapper that takes a batch id; progress for the bar."""

from unittest import mock

import pytest

from kpis.imports import services as imports
from kpis.imports import tasks
from kpis.models import CrimeRecord, ImportBatch
from soteria.celery import app

from .import_helpers import records, write_extract

pytestmark = pytest.mark.django_db


def make_batch(tmp_path, force, count=3):
    path = write_extract(tmp_path / "extract.csv", records(count))
    return imports.create_batch(
        kind="records", source=path, file_name="extract.csv", force=force, uploaded_by=None
    )


def test_the_task_imports_the_batch_by_id(tmp_path, force_a):
    batch = make_batch(tmp_path, force_a)

    result = tasks.import_outcomes.apply(kwargs={"batch_id": batch.pk})

    assert result.get() == ImportBatch.Status.SUCCEEDED
    assert CrimeRecord.objects.count() == 3


def test_running_the_task_twice_changes_nothing(tmp_path, force_a):
    batch = make_batch(tmp_path, force_a)
    tasks.import_outcomes.apply(kwargs={"batch_id": batch.pk})

    again = tasks.import_outcomes.apply(kwargs={"batch_id": batch.pk})

    assert again.get() == ImportBatch.Status.SUCCEEDED
    assert CrimeRecord.objects.count() == 3


def test_queueing_waits_for_the_commit_and_remembers_the_task_id(
    tmp_path, force_a, django_capture_on_commit_callbacks
):
    batch = make_batch(tmp_path, force_a)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        imports.queue_import(batch=batch)

    batch.refresh_from_db()
    assert len(callbacks) == 1
    assert len(batch.task_id) == 32
    assert batch.status == ImportBatch.Status.PENDING


def test_a_running_import_reports_the_workers_live_counts(tmp_path, force_a):
    batch = make_batch(tmp_path, force_a)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", task_id="abc")
    batch.refresh_from_db()
    live = {"read": 50_000, "validated": 49_000, "written": 49_000, "total": 100_000}

    with mock.patch.object(imports, "_task_progress", return_value=live):
        progress = imports.progress_of(batch)

    assert progress["percent"] == 50
    assert progress["done"] is False
    assert (progress["read"], progress["written"]) == (50_000, 49_000)


def test_a_worker_killed_mid_import_leaves_the_batch_claimable_later(
    tmp_path, force_a, time_machine
):
    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    batch = make_batch(tmp_path, force_a)
    assert imports.claim(batch)  # the worker took it, then died without finishing

    assert imports.claim(ImportBatch.objects.get(pk=batch.pk)) is False
    time_machine.shift(imports.STALE_AFTER.total_seconds() + 60)
    stale = ImportBatch.objects.get(pk=batch.pk)
    imports.import_outcomes(batch=stale)

    assert stale.status == ImportBatch.Status.SUCCEEDED
    assert CrimeRecord.objects.count() == 3


def test_progress_that_cannot_be_reported_never_stops_the_import(tmp_path, force_a, caplog):
    """Redis restarting mid-import: the progress report fails, the import goes on."""
    batch = make_batch(tmp_path, force_a)

    class RedisBackend:  # any real result store
        pass

    task = app.tasks["kpis.import_outcomes"]
    with (
        mock.patch.object(type(task), "_backend", RedisBackend()),
        mock.patch.object(
            task, "update_state", side_effect=ConnectionError("Redis is down")
        ) as update_state,
    ):
        status = task.run(batch_id=batch.pk)

    assert update_state.called
    assert status == ImportBatch.Status.SUCCEEDED
    assert CrimeRecord.objects.count() == 3
    assert "progress not reported (ConnectionError); the import goes on" in caplog.text
