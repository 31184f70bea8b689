"""The import reaper (task ``kpis.reap_stale_imports``, every 10 minutes; ``reap_imports``).

A batch can be left "Waiting" or "Importing" with no task behind it: its worker
was killed (out of memory, a lost container), the job queue lost its message,
or the queue was down when the file was uploaded. The reaper finds them and:

- queues a batch that was saved while the job queue was down (it never ran);
- re-queues, once, a batch that has had no live task for longer than its
  timeout (``STALE_AFTER``: longer than any task may run, so no live task can
  still hold it); the batch runs again from the start, under a new task id, so
  a late copy of the old task does nothing;
- fails one that was re-queued before and is stuck again, saying that nothing
  was written and to upload the file again.

Every action is a conditional change made under the batch's row lock (an
import holds its batch's row for its whole transaction), so the reaper never
touches a batch that an import is writing, and two reapers never act twice.
Each is recorded in the batch's history.

It also keeps raw uploads (crime references not yet pseudonymised) from
lingering: a batch still waiting, or still awaiting confirmation, 24 hours
after its upload is expired and its file deleted, and any file in the upload
folder older than 24 hours that no live batch needs is deleted. And it queues
the snapshot recompute of an import whose recompute could not be queued when
it finished (the job queue was down).
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from soteria.models import Force
from soteria.periods import Period

from ..engine.models import HomeOfficeOutcome, ImportBatch
from ..engine.snapshots import queue_snapshots
from .services import (
    NOT_RECOMPUTED_NOTE,
    SNAPSHOTS_NOT_QUEUED,
    STALE_AFTER,
    queue_import,
    remove_stored_file,
)

log = logging.getLogger(__name__)
Status = ImportBatch.Status
# A batch saved while the queue was down is queued by the next run after this.
UNSENT_AFTER = dt.timedelta(minutes=1)
UPLOADS_EXPIRE_AFTER = dt.timedelta(hours=24)
REQUEUED = "Re-queued by the import reaper"
LOST_RUNNING = (
    "The import stopped (its worker was lost) and nothing was written; upload the file again."
)
LOST_WAITING = (
    "The import never started (its queued job was lost) and nothing was written; upload the "
    "file again."
)
EXPIRED_WAITING = (
    "The import could not start within 24 hours of the upload (the job queue was unavailable), "
    "so the uploaded file was deleted and nothing was written; upload the file again."
)
EXPIRED_CONFIRMATION = (
    "The replacement was not confirmed within 24 hours of the upload, so the uploaded file was "
    "deleted and nothing was written; the earlier data was kept. Upload the file again to "
    "replace it."
)


@dataclass
class Reaped:
    """What one run did, by batch id."""

    queued: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    snapshots_queued: list[int] = field(default_factory=list)
    files_deleted: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "queued": len(self.queued),
            "requeued": len(self.requeued),
            "failed": len(self.failed),
            "expired": len(self.expired),
            "snapshots_queued": len(self.snapshots_queued),
            "files_deleted": self.files_deleted,
        }


def reap_stale_imports(
    *,
    now: dt.datetime | None = None,
    ignore_timeouts: bool = False,
    live_task_ids: frozenset[str] | set[str] = frozenset(),
) -> Reaped:
    """One pass of the reaper. ``ignore_timeouts`` (``reap_imports --now``) treats every
    waiting or importing batch as stuck unless its task id is in ``live_task_ids`` (what the
    workers say they are running or hold) or an import is writing it."""
    now = now or timezone.now()
    report = Reaped()
    _expire_uploads(now=now, report=report)
    stale_before = now if ignore_timeouts else now - STALE_AFTER
    unsent_before = now if ignore_timeouts else now - UNSENT_AFTER
    cutoffs = {"stale": stale_before, "unsent": unsent_before}
    candidates = ImportBatch.objects.filter(status__in=(Status.RUNNING, Status.PENDING))
    for pk in candidates.values_list("pk", flat=True):
        _reap(pk, cutoffs=cutoffs, live=live_task_ids, report=report)
    _queue_missing_snapshots(report=report)
    _delete_old_uploads(now=now, report=report)
    for name in ("queued", "requeued", "failed", "expired", "snapshots_queued"):
        if getattr(report, name):
            log.warning("Import reaper: %s %s", name.replace("_", " "), getattr(report, name))
    if report.files_deleted:
        log.warning("Import reaper: deleted %s old uploads", report.files_deleted)
    return report


def _last_change(batch: ImportBatch) -> dt.datetime | None:
    """When the batch last changed hands (created, confirmed, re-queued): its history."""
    latest = batch.history.order_by("-history_date").first()
    return latest.history_date if latest else None


def _is_stuck(batch: ImportBatch, cutoffs: dict[str, dt.datetime]) -> bool:
    if batch.status == Status.RUNNING:
        return batch.started_at is not None and batch.started_at < cutoffs["stale"]
    since = _last_change(batch) or batch.created_at
    return since < cutoffs["stale" if batch.task_id else "unsent"]


def _reap(pk: int, *, cutoffs: dict[str, dt.datetime], live, report: Reaped) -> None:
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status__in=(Status.RUNNING, Status.PENDING))
            .first()
        )
        if batch is None or (batch.task_id and batch.task_id in live):
            return  # an import is writing it, or it changed hands since it was listed
        if not _is_stuck(batch, cutoffs):
            return
        running = batch.status == Status.RUNNING
        if not running and not batch.task_id:
            batch.message = ""
            batch._change_reason = "Queued by the import reaper: the job queue was down before"
            batch.save()
            queue_import(batch=batch)
            report.queued.append(pk)
        elif batch.history.filter(history_change_reason__startswith=REQUEUED).exists():
            _fail(
                batch,
                LOST_RUNNING if running else LOST_WAITING,
                reason="Failed by the import reaper: stuck again after being re-queued",
            )
            report.failed.append(pk)
        else:
            lost = "its worker was lost" if running else "its job was lost"
            batch.status = Status.PENDING
            batch.message = (
                f"Re-queued: the import did not finish ({lost}), so it runs again from the "
                "start. Nothing had been written."
            )
            batch._change_reason = f"{REQUEUED}: {lost}"
            batch.save()
            queue_import(batch=batch)
            report.requeued.append(pk)


def _fail(batch: ImportBatch, message: str, *, reason: str, status: str = Status.FAILED) -> None:
    batch.status = status
    batch.message = message
    batch.rows_written = batch.rows_replaced = 0
    batch.finished_at = timezone.now()
    batch._change_reason = reason
    batch.save()
    transaction.on_commit(lambda: remove_stored_file(batch))


def _expire_uploads(*, now: dt.datetime, report: Reaped) -> None:
    """Batches still waiting, or awaiting confirmation, a day after the upload."""
    old = now - UPLOADS_EXPIRE_AFTER
    waiting = (Status.PENDING, Status.AWAITING_CONFIRMATION)
    candidates = ImportBatch.objects.filter(status__in=waiting, created_at__lt=old)
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=waiting, created_at__lt=old)
                .first()
            )
            if batch is None:
                continue
            reason = "Expired by the import reaper: 24 hours after the upload"
            if batch.status == Status.PENDING:
                _fail(batch, EXPIRED_WAITING, reason=reason)
            else:
                _fail(batch, EXPIRED_CONFIRMATION, reason=reason, status=Status.CANCELLED)
            report.expired.append(pk)


def _delete_old_uploads(*, now: dt.datetime, report: Reaped) -> None:
    """Whatever else is in the upload folder after 24 hours (a lost worker's, a crash's)."""
    folder = Path(settings.IMPORT_UPLOAD_DIR)
    if not folder.is_dir():
        return
    needed = {
        Path(p).resolve()
        for p in ImportBatch.objects.filter(
            status__in=(Status.PENDING, Status.RUNNING, Status.AWAITING_CONFIRMATION)
        )
        .exclude(stored_path="")
        .values_list("stored_path", flat=True)
    }
    old = (now - UPLOADS_EXPIRE_AFTER).timestamp()
    for path in folder.rglob("*"):
        try:
            if path.is_file() and path.stat().st_mtime < old and path.resolve() not in needed:
                path.unlink()
                report.files_deleted += 1
        except OSError as exc:
            log.error("Import reaper could not delete an old upload: %s", exc)


def _queue_missing_snapshots(*, report: Reaped) -> None:
    """Imports whose snapshot recompute could not be queued when they finished."""
    history = ImportBatch.history.model.objects
    flagged = history.filter(history_change_reason=SNAPSHOTS_NOT_QUEUED).values("id")
    for batch in ImportBatch.objects.filter(pk__in=flagged, status=Status.SUCCEEDED):
        latest = batch.history.order_by("-history_date", "-history_id").first()
        if latest.history_change_reason != SNAPSHOTS_NOT_QUEUED:
            continue  # queued by an earlier run
        unsent: list[Exception] = []
        with transaction.atomic():
            for force, periods in snapshot_spans(batch).items():
                queue_snapshots(force=force, periods=periods, on_publish_error=unsent.append)
        if unsent:
            continue  # the queue is still down: the next run tries again
        batch.message = batch.message.replace(NOT_RECOMPUTED_NOTE, "")
        batch._change_reason = "KPI snapshots queued by the import reaper"
        batch.save()
        report.snapshots_queued.append(batch.pk)


def snapshot_spans(batch: ImportBatch) -> dict[Force, list[Period]]:
    """The force-quarters an imported batch's rows can change, from what the batch kept."""
    latest = Period.latest_complete()
    coverage = batch.coverage or {}
    if batch.kind == ImportBatch.Kind.HOME_OFFICE:
        periods = [p for p in map(Period.parse, coverage.get("periods", [])) if p <= latest]
        forces = Force.objects.filter(
            pk__in=HomeOfficeOutcome.objects.filter(batch=batch).values("force")
        )
        return {force: periods for force in forces if periods}
    spans = {}
    for force in Force.objects.filter(slug__in=coverage):
        current, span = Period.containing(dt.date.fromisoformat(coverage[force.slug][0])), []
        while current <= latest:
            span.append(current)
            current = current.next()
        if span:
            spans[force] = span
    return spans
