"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task
from django.db import transaction

from soteria.models import Force
from soteria.periods import Period

from .services import snapshots


@shared_task
def compute_snapshots(*, force_id: int, period: str) -> int:
    """Recompute one force-quarter. One task per force-period, so more workers finish sooner."""
    force = Force.objects.get(pk=force_id)
    return snapshots.compute_snapshots(force=force, period=Period.parse(period))


def queue_snapshots(*, force: Force, periods: list[Period]) -> None:
    """Queue a recompute of each period once the current transaction commits."""
    for period in periods:
        transaction.on_commit(
            lambda p=period: compute_snapshots.delay(force_id=force.pk, period=p.slug)
        )


@shared_task
def compute_all_snapshots() -> int:
    """Nightly: queue every force-quarter that has data, one task each."""
    queued = 0
    for force in Force.objects.all():
        periods = snapshots.periods_with_data(force=force)
        queue_snapshots(force=force, periods=periods)
        queued += len(periods)
    return queued


@shared_task
def send_evidence_reminders() -> int:
    """Daily: remind pillar leads of evidence returns due in 5 days or overdue."""
    from django.utils import timezone

    from .services import evidence

    return evidence.send_evidence_reminders(today=timezone.localdate())


@shared_task
def send_evidence_summaries() -> int:
    """Weekly: each force Soteria lead gets the state of the force's evidence returns."""
    from django.utils import timezone

    from .services import evidence

    return evidence.send_evidence_summaries(today=timezone.localdate())


@shared_task(bind=True)
def import_outcomes(self, *, batch_id: int) -> str:
    """Run one import batch; progress goes to the result backend for the page's progress bar."""
    from .models import ImportBatch
    from .services import imports

    batch = ImportBatch.objects.get(pk=batch_id)

    def progress(**counts):
        self.update_state(state="PROGRESS", meta=counts)

    live = not self.request.is_eager and self.backend.__class__.__name__ != "DisabledBackend"
    imports.import_outcomes(batch=batch, progress=progress if live else None)
    return batch.status
