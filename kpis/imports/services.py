"""Crime-outcome imports: from an uploaded file to written rows, all or nothing.

The service, the Celery task and the management command share one name,
``import_outcomes``. A batch is claimed with a conditional UPDATE, so two
workers given the same batch cannot both run it. Everything a batch writes
(and any rows it replaces) happens inside one transaction: a rejected file, a
database error or a killed worker leaves nothing behind. The same file twice
is "already imported"; a file that covers data already held waits until a
person confirms the replacement, and who confirmed it, and when, is kept on
the batch and in its history.

Imports of one force are written one at a time (kpis.imports.locks), so the
check for data already held sees whatever an import before it committed. A
batch whose worker was lost is re-queued or failed by kpis.imports.reaper;
the raw upload (crime references not yet pseudonymised) is deleted as soon as
the batch is imported, rejected, cancelled or failed.
"""

import datetime as dt
import logging
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from soteria import jobs
from soteria.models import Force
from soteria.periods import Period

from ..engine.models import CrimeRecord, ImportBatch
from ..engine.snapshots import queue_snapshots
from .files import FileProblem
from .home_office import import_home_office
from .locks import hold_for_writing
from .records import import_records
from .uploads import (  # the batch's life starts with its upload: one front door for callers
    UploadNotStored,
    create_batch,
    previous_import,
    remove_stored_file,
    upload_dir,
)
from .writer import refresh_statistics

log = logging.getLogger(__name__)
# A batch "Importing" for longer than this has no live task: Celery kills any task after
# CELERY_TASK_TIME_LIMIT, which is shorter (tests/test_celery_settings.py). It may then be
# reclaimed by a redelivered task, and the reaper re-queues or fails it.
STALE_AFTER = dt.timedelta(minutes=30)
Progress = Callable[..., None]
QUEUE_DOWN_MESSAGE = (
    "Saved; it will start as soon as the job queue is back. Nothing has been written yet."
)
SNAPSHOTS_NOT_QUEUED = "Imported; KPI snapshots not queued (job queue unavailable)"
NOT_RECOMPUTED_NOTE = (
    " The flight deck's figures were not recomputed yet (the job queue was unavailable); "
    "this happens automatically within about ten minutes of the queue coming back."
)
__all__ = [
    "STALE_AFTER",
    "UploadNotStored",
    "cancel_batch",
    "claim",
    "confirm_replacement",
    "create_batch",
    "import_outcomes",
    "previous_import",
    "progress_of",
    "queue_import",
    "remove_stored_file",
    "upload_dir",
]


def claim(batch: ImportBatch, *, task_id: str | None = None) -> bool:
    """Take the batch for this process; False if another process has it (or it is done).

    A task passes its id: a batch re-queued under a new task id (by the reaper) is no
    longer claimed by a late copy of the old task.
    """
    now = timezone.now()
    mine = ImportBatch.objects.filter(pk=batch.pk)
    if task_id:
        mine = mine.filter(Q(task_id="") | Q(task_id=task_id))
    claimable = mine.filter(status=ImportBatch.Status.PENDING)
    stale = mine.filter(status=ImportBatch.Status.RUNNING, started_at__lt=now - STALE_AFTER)
    updated = claimable.update(status=ImportBatch.Status.RUNNING, started_at=now)
    if updated != 1:
        updated = stale.update(started_at=now)
    batch.refresh_from_db()
    return updated == 1


def import_outcomes(
    *, batch: ImportBatch, progress: Progress | None = None, task_id: str | None = None
) -> ImportBatch:
    """Run one claimed batch to its end: imported, rejected, awaiting confirmation or failed.

    What the batch says afterwards is what was committed: anything that goes wrong after the
    commit (queueing the snapshot recompute, deleting the upload) is noted, never turned into
    "nothing was written".
    """
    if not claim(batch, task_id=task_id):
        return batch
    token = batch.started_at
    replace = batch.replacement_confirmed_at is not None
    importer = import_records if batch.kind == ImportBatch.Kind.RECORDS else import_home_office
    unsent: list[Exception] = []
    result = None
    try:
        with transaction.atomic():
            if not hold_for_writing(batch, token=token):
                return batch  # reclaimed by another run since this one claimed it
            if previous_import(batch) is not None:
                batch.status = ImportBatch.Status.DUPLICATE
                batch.message = (
                    "Already imported: the same file was imported before. Nothing has changed."
                )
                batch.finished_at = timezone.now()
                batch.save()
            else:
                result = importer(
                    path=Path(batch.stored_path), batch=batch, replace=replace, progress=progress
                )
                _copy_counts(batch, result)
                if result.error_count:
                    raise _Rollback
                if result.overlapping and not replace:
                    raise _Rollback
                batch.status = ImportBatch.Status.SUCCEEDED
                batch.message = _success_message(batch, result)
                batch.finished_at = timezone.now()
                batch.errors = []
                batch._change_reason = "Imported"
                batch.save()
                if batch.kind == ImportBatch.Kind.HOME_OFFICE:
                    # First, so that (run eagerly, or by a free worker) the recomputes below
                    # compare with the groups the new table gives.
                    jobs.queue("kpis.compute_peer_groups", on_publish_error=unsent.append)
                _queue_snapshots(result.periods, on_publish_error=unsent.append)
    except _Rollback:
        _finish_unwritten(batch, result)
        return batch
    except FileProblem as problem:
        batch.status = ImportBatch.Status.REJECTED
        batch.message = f"The file was rejected and nothing was written: {problem}"
        batch.rows_written = batch.rows_replaced = 0
        batch.finished_at = timezone.now()
        batch._change_reason = "Rejected"
        batch.save()
        remove_stored_file(batch)
        return batch
    except Exception as exc:
        # The exception's text may quote a cell (a raw reference), so only its type is kept.
        # Frame locations only: source lines and messages may hold data.
        log.error(
            "Import batch %s failed (%s); nothing was written.\n%s",
            batch.pk,
            type(exc).__name__,
            "\n".join(
                f"  {frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(exc.__traceback__)
            ),
        )
        batch.status = ImportBatch.Status.FAILED
        batch.message = (
            f"The import stopped part-way ({type(exc).__name__}) and nothing was written. "
            "Try again; if it fails again, ask the system administrator."
        )
        batch.rows_written = batch.rows_replaced = 0
        batch.finished_at = timezone.now()
        batch._change_reason = "Failed"
        batch.save()
        remove_stored_file(batch)
        return batch
    # Committed: from here on nothing may say otherwise.
    remove_stored_file(batch)
    if batch.kind == ImportBatch.Kind.RECORDS and batch.status == ImportBatch.Status.SUCCEEDED:
        refresh_statistics(model=CrimeRecord, rows_written=batch.rows_written)
    if unsent:
        note_snapshots_not_queued(batch)
    return batch


def note_snapshots_not_queued(batch: ImportBatch) -> None:
    """The rows are in but their recompute was not queued: say so; the reaper queues it later."""
    log.warning("Import batch %s: KPI snapshots not queued; the reaper will queue them", batch.pk)
    batch.message += NOT_RECOMPUTED_NOTE
    batch._change_reason = SNAPSHOTS_NOT_QUEUED
    batch.save()


class _Rollback(Exception):
    pass


def _copy_counts(batch: ImportBatch, result) -> None:
    batch.rows_read = result.rows_read
    batch.rows_valid = result.rows_valid
    batch.rows_written = result.rows_written
    batch.rows_replaced = result.rows_replaced
    batch.overlapping = result.overlapping
    batch.coverage = result.coverage
    batch.optional_columns = result.optional_columns
    days = [d for span in result.coverage.values() if isinstance(span, list) for d in span]
    periods = result.coverage.get("periods") if isinstance(result.coverage, dict) else None
    if periods:
        days = [
            Period.parse(periods[0]).start.isoformat(),
            Period.parse(periods[-1]).end.isoformat(),
        ]
    batch.period_first = dt.date.fromisoformat(min(days)) if days else None
    batch.period_last = dt.date.fromisoformat(max(days)) if days else None


def _finish_unwritten(batch: ImportBatch, result) -> None:
    batch.rows_written = batch.rows_replaced = 0
    if result.error_count:
        batch.status = ImportBatch.Status.REJECTED
        batch.errors = result.errors
        shown = (
            ""
            if len(result.errors) == result.error_count
            else f" (the first {len(result.errors):,} are listed)"
        )
        batch.message = (
            f"The file was rejected and nothing was written: {result.error_count:,} "
            f"problem{'s' if result.error_count != 1 else ''} in "
            f"{len({e['line'] for e in result.errors}):,} row"
            f"{'s' if len({e['line'] for e in result.errors}) != 1 else ''}{shown}. "
            "Correct the rows named below and upload the file again."
        )
        batch.finished_at = timezone.now()
        batch._change_reason = "Rejected"
        remove_stored_file(batch)
    else:
        batch.status = ImportBatch.Status.AWAITING_CONFIRMATION
        batch.message = (
            f"This file covers {describe_coverage(batch)}, for which {result.overlapping:,} "
            "rows from earlier imports are already held. Nothing has been written yet: confirm "
            "to replace those rows with this file, or cancel."
        )
        batch._change_reason = "Waiting for confirmation to replace earlier data"
    batch.save()


def describe_coverage(batch: ImportBatch) -> str:
    coverage = batch.coverage or {}
    if "periods" in coverage:
        periods = [Period.parse(p) for p in coverage["periods"]]
        if not periods:
            return "no quarters"
        return f"{periods[0].label} to {periods[-1].label} (every force in the table)"
    names = dict(Force.objects.filter(slug__in=coverage).values_list("slug", "name"))
    parts = []
    for slug, (first, last) in coverage.items():
        first_day, last_day = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        parts.append(
            f"{names.get(slug, slug)} crimes recorded from {first_day:%-d %b %Y} to {last_day:%-d %b %Y}"
        )
    return "; ".join(parts) or "nothing"


def _success_message(batch: ImportBatch, result) -> str:
    text = f"Imported {result.rows_written:,} rows"
    if result.rows_replaced:
        text += f", replacing {result.rows_replaced:,} rows from earlier imports"
    skipped = getattr(result, "rows_skipped", 0)
    if skipped:
        text += f" ({skipped:,} rows outside RASSO or the 43 forces were skipped)"
    return f"{text}. Covers {describe_coverage(batch)}. {result.message}".rstrip()


def _queue_snapshots(periods: dict[int, set[Period]], *, on_publish_error=None) -> None:
    latest = Period.latest_complete()
    forces = Force.objects.in_bulk(list(periods))
    for force_id, touched in periods.items():
        if not touched:
            continue
        first, last = min(touched), min(max(touched), latest)
        span, current = [], first
        while current <= last:
            span.append(current)
            current = current.next()
        queue_snapshots(force=forces[force_id], periods=span, on_publish_error=on_publish_error)


def confirm_replacement(*, batch: ImportBatch, by, queue: bool = True) -> bool:
    """A person confirms that this file should replace the data it overlaps; it is queued again.

    ``by`` is None only on the command line (``import_outcomes --replace``), where the
    operator confirms in advance.
    """
    updated = ImportBatch.objects.filter(
        pk=batch.pk, status=ImportBatch.Status.AWAITING_CONFIRMATION
    ).update(
        status=ImportBatch.Status.PENDING,
        replacement_confirmed_by=by,
        replacement_confirmed_at=timezone.now(),
    )
    if updated != 1:
        return False
    batch.refresh_from_db()
    # The history's reason column holds 100 characters.
    batch._change_reason = (
        f"Replacement of {batch.overlapping:,} earlier rows confirmed by {_name(by)}"
    )[:100]
    batch._history_user = by
    batch.save()
    if queue:
        queue_import(batch=batch)
    return True


def cancel_batch(*, batch: ImportBatch, by) -> bool:
    updated = ImportBatch.objects.filter(
        pk=batch.pk, status=ImportBatch.Status.AWAITING_CONFIRMATION
    ).update(status=ImportBatch.Status.CANCELLED, finished_at=timezone.now())
    if updated != 1:
        return False
    batch.refresh_from_db()
    batch.message = f"Cancelled by {_name(by)}: the earlier data was kept and nothing was written."
    batch._change_reason = f"Cancelled by {_name(by)}"[:100]
    batch._history_user = by
    batch.save()
    remove_stored_file(batch)
    return True


def queue_import(*, batch: ImportBatch) -> None:
    """Queue the Celery task once the batch is committed, remembering its task id for progress.

    If the job queue cannot be reached the batch stays "Waiting" with no task id and says
    so; ``batch.task_id`` is then blank, and the reaper queues it once the queue is back.
    """
    task_id = uuid.uuid4().hex
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=task_id)
    batch.task_id = task_id

    def not_sent(exc: Exception) -> None:
        ImportBatch.objects.filter(
            pk=batch.pk, status=ImportBatch.Status.PENDING, task_id=task_id
        ).update(task_id="", message=QUEUE_DOWN_MESSAGE)
        batch.task_id, batch.message = "", QUEUE_DOWN_MESSAGE

    jobs.queue(
        "kpis.import_outcomes", task_id=task_id, on_publish_error=not_sent, batch_id=batch.pk
    )


def progress_of(batch: ImportBatch) -> dict:
    """What the progress bar shows: live counts from the running task, else the batch's own."""
    counts = {
        "read": batch.rows_read,
        "validated": batch.rows_valid,
        "written": batch.rows_written,
        "total": batch.rows_read,
    }
    if batch.status == ImportBatch.Status.RUNNING and batch.task_id:
        live = _task_progress(batch.task_id)
        if live:
            counts.update({k: int(live.get(k, 0)) for k in counts})
    done = batch.status not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
    total = counts["total"] or 0
    percent = 100 if done else (int(100 * counts["read"] / total) if total else 0)
    return {
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "done": done,
        "percent": min(percent, 100),
        **counts,
    }


def _task_progress(task_id: str) -> dict | None:
    from celery.result import AsyncResult

    from soteria.celery import app

    if app.conf.task_always_eager:
        return None
    try:
        result = AsyncResult(task_id, app=app)
        if result.state == "PROGRESS" and isinstance(result.info, dict):
            return result.info
    except Exception:  # no result backend reachable: fall back to the batch's counts
        log.warning("Progress unavailable for task %s", task_id)
    return None


def _name(user) -> str:
    if user is None:
        return "the operator, in advance"
    return user.get_full_name() or user.username
