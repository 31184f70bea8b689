"""The import's Celery tasks: run one batch (reporting progress for the page's progress bar),
and the reaper that re-queues or fails batches whose worker was lost.

The importer (pandas) is imported when a task runs, not when Django starts: every process
imports the task modules at start-up (AppConfig.ready), and a web process never imports
(docs/performance.md, "make run").
"""

import logging
import time

from celery import shared_task

from ..engine.models import ImportBatch

log = logging.getLogger(__name__)
# After a progress report fails (Redis unreachable), the next is tried this much later.
PROGRESS_RETRY_AFTER = 30.0


@shared_task(bind=True, name="kpis.import_outcomes")
def import_outcomes(self, *, batch_id: int) -> str:
    """Run one import batch; progress goes to the result backend for the page's progress bar.

    Progress is for the page only: a report that fails (Redis restarting) is skipped, and the
    import goes on; it never stops the import.
    """
    from . import services

    batch = ImportBatch.objects.get(pk=batch_id)
    quiet_until = 0.0

    def progress(**counts):
        nonlocal quiet_until
        if time.monotonic() < quiet_until:
            return
        try:
            self.update_state(state="PROGRESS", meta=counts)
        except Exception as exc:
            quiet_until = time.monotonic() + PROGRESS_RETRY_AFTER
            log.warning(
                "Import batch %s: progress not reported (%s); the import goes on",
                batch_id,
                type(exc).__name__,
            )

    live = not self.request.is_eager and self.backend.__class__.__name__ != "DisabledBackend"
    services.import_outcomes(
        batch=batch, progress=progress if live else None, task_id=self.request.id
    )
    return batch.status


@shared_task(name="kpis.reap_stale_imports")
def reap_stale_imports() -> dict[str, int]:
    """Every 10 minutes (beat): re-queue or fail stuck batches, expire old raw uploads."""
    from . import reaper

    return reaper.reap_stale_imports().counts()
