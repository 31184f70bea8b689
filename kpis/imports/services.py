"""Crime-outcome imports: from an uploaded file to written rows, all or nothing.

The service, the Celery task and the management command share one name,
``import_outcomes``. A batch is claimed with a conditional UPDATE, so two
workers given the same batch cannot both run it. Everything a batch writes
(and any rows it replaces) happens inside one transaction: a rejected file, a
database error or a killed worker leaves nothing behind. The same file twice
is "already imported"; a file that covers data already held waits until a
person confirms the replacement, and who confirmed it, and when, is kept on
the batch and in its history.
"""

import datetime as dt
import hashlib
import logging
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from soteria import jobs
from soteria.models import Force
from soteria.periods import Period

from ..engine.models import ImportBatch
from ..engine.snapshots import queue_snapshots
from .files import FileProblem
from .home_office import import_home_office
from .records import import_records

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=30)
Progress = Callable[..., None]


def upload_dir() -> Path:
    path = Path(settings.IMPORT_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def create_batch(
    *, kind: str, source, file_name: str, force: Force | None, uploaded_by
) -> ImportBatch:
    """Store the file privately and record a batch. The same file again is 'already imported'.

    ``source`` is a path or an open binary file (an upload). A Home Office table is national
    data and belongs to no force (``force`` must be None; see national_views).
    """
    if kind == ImportBatch.Kind.HOME_OFFICE and force is not None:
        raise ValueError("A Home Office outcomes table is national data: it has no force")
    suffix = Path(file_name).suffix.lower()[:8]
    stored = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    with open(stored, "wb") as out:
        handle = open(source, "rb") if isinstance(source, str | Path) else source
        try:
            if hasattr(handle, "chunks"):
                blocks = handle.chunks()
            else:
                blocks = iter(lambda: handle.read(1 << 20), b"")
            for block in blocks:
                digest.update(block)
                out.write(block)
        finally:
            if isinstance(source, str | Path):
                handle.close()
    batch = ImportBatch(
        kind=kind,
        force=force,
        file_name=Path(file_name).name[:255],
        file_sha256=digest.hexdigest(),
        stored_path=str(stored),
        uploaded_by=uploaded_by,
    )
    earlier = previous_import(batch)
    if earlier is not None:
        batch.status = ImportBatch.Status.DUPLICATE
        batch.message = (
            f"Already imported: the same file was imported on "
            f"{timezone.localtime(earlier.finished_at or earlier.created_at):%-d %b %Y at %H:%M}"
            f" ({earlier.rows_written:,} rows). Nothing has changed."
        )
        batch.finished_at = timezone.now()
        stored.unlink(missing_ok=True)
        batch.stored_path = ""
    batch.save()
    return batch


def previous_import(batch: ImportBatch) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(
            kind=batch.kind,
            force=batch.force,
            file_sha256=batch.file_sha256,
            status=ImportBatch.Status.SUCCEEDED,
        )
        .exclude(pk=batch.pk)
        .order_by("-finished_at")
        .first()
    )


def claim(batch: ImportBatch) -> bool:
    """Take the batch for this process; False if another process has it (or it is done)."""
    now = timezone.now()
    claimable = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PENDING)
    stale = ImportBatch.objects.filter(
        pk=batch.pk, status=ImportBatch.Status.RUNNING, started_at__lt=now - STALE_AFTER
    )
    updated = claimable.update(status=ImportBatch.Status.RUNNING, started_at=now)
    if updated != 1:
        updated = stale.update(started_at=now)
    batch.refresh_from_db()
    return updated == 1


def import_outcomes(*, batch: ImportBatch, progress: Progress | None = None) -> ImportBatch:
    """Run one claimed batch to its end: imported, rejected, awaiting confirmation or failed."""
    if not claim(batch):
        return batch
    earlier = previous_import(batch)
    if earlier is not None:
        batch.status = ImportBatch.Status.DUPLICATE
        batch.message = "Already imported: the same file was imported before. Nothing has changed."
        batch.finished_at = timezone.now()
        batch.save()
        remove_stored_file(batch)
        return batch
    replace = batch.replacement_confirmed_at is not None
    importer = import_records if batch.kind == ImportBatch.Kind.RECORDS else import_home_office
    try:
        with transaction.atomic():
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
            _queue_snapshots(result.periods)
        remove_stored_file(batch)
    except _Rollback:
        _finish_unwritten(batch, result)
    except FileProblem as problem:
        batch.status = ImportBatch.Status.REJECTED
        batch.message = f"The file was rejected and nothing was written: {problem}"
        batch.rows_written = batch.rows_replaced = 0
        batch.finished_at = timezone.now()
        batch._change_reason = "Rejected"
        batch.save()
        remove_stored_file(batch)
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


class _Rollback(Exception):
    pass


def _copy_counts(batch: ImportBatch, result) -> None:
    batch.rows_read = result.rows_read
    batch.rows_valid = result.rows_valid
    batch.rows_written = result.rows_written
    batch.rows_replaced = result.rows_replaced
    batch.overlapping = result.overlapping
    batch.coverage = result.coverage
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
    return text + f". Covers {describe_coverage(batch)}."


def _queue_snapshots(periods: dict[int, set[Period]]) -> None:
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
        queue_snapshots(force=forces[force_id], periods=span)


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


def remove_stored_file(batch: ImportBatch) -> None:
    if batch.stored_path:
        Path(batch.stored_path).unlink(missing_ok=True)


def queue_import(*, batch: ImportBatch) -> None:
    """Queue the Celery task once the batch is committed, remembering its task id for progress."""
    task_id = uuid.uuid4().hex
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=task_id)
    batch.task_id = task_id
    jobs.queue("kpis.import_outcomes", task_id=task_id, batch_id=batch.pk)


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
