"""The import's Celery task: runs one batch, reporting progress for the page's progress bar."""

from celery import shared_task

from ..engine.models import ImportBatch
from . import services


@shared_task(bind=True, name="kpis.import_outcomes")
def import_outcomes(self, *, batch_id: int) -> str:
    """Run one import batch; progress goes to the result backend for the page's progress bar."""
    batch = ImportBatch.objects.get(pk=batch_id)

    def progress(**counts):
        self.update_state(state="PROGRESS", meta=counts)

    live = not self.request.is_eager and self.backend.__class__.__name__ != "DisabledBackend"
    services.import_outcomes(batch=batch, progress=progress if live else None)
    return batch.status
