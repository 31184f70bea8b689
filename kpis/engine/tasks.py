"""The engine's Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task

from soteria.models import Force
from soteria.periods import Period

from . import peers, snapshots


@shared_task(name="kpis.compute_snapshots")
def compute_snapshots(*, force_id: int, period: str) -> int:
    """Recompute one force-quarter. One task per force-period, so more workers finish sooner."""
    force = Force.objects.get(pk=force_id)
    return snapshots.compute_snapshots(force=force, period=Period.parse(period))


@shared_task(name="kpis.compute_all_snapshots")
def compute_all_snapshots() -> int:
    """Nightly: queue every force-quarter that has data, one task each."""
    queued = 0
    for force in Force.objects.all():
        periods = snapshots.periods_with_data(force=force)
        snapshots.queue_snapshots(force=force, periods=periods)
        queued += len(periods)
    return queued


@shared_task(name="kpis.compute_peer_groups")
def compute_peer_groups() -> dict:
    """After a national table is confirmed: recompute the default most-similar groups."""
    return peers.compute_peer_groups()
