"""The engine's Celery tasks: thin wrappers that take ids and call services.

The modules that compute (pandas) are imported when a task runs, not when Django starts:
every process imports the task modules at start-up (AppConfig.ready), and a web process
never computes (docs/performance.md, "make run").
"""

from celery import group, shared_task

from soteria.models import Force
from soteria.periods import Period

from . import snapshots


@shared_task(name="kpis.compute_snapshots")
def compute_snapshots(*, force_id: int, period: str) -> int:
    """Recompute one force-quarter (after an import, a return or a panel changes it)."""
    force = Force.objects.get(pk=force_id)
    return snapshots.compute_snapshots(force=force, period=Period.parse(period))


@shared_task(name="kpis.compute_force_snapshots")
def compute_force_snapshots(*, force_id: int, periods: list[str]) -> int:
    """Recompute a force's quarters in one pass over its records: one task of a full recompute."""
    from . import recompute

    force = Force.objects.get(pk=force_id)
    return recompute.compute_force_snapshots(
        force=force, periods=[Period.parse(p) for p in periods]
    )


def recompute_group(
    *, forces: list[Force] | None = None, periods: list[Period] | None = None
) -> group:
    """A full recompute as a Celery group: one compute_force_snapshots task per force with data,
    the largest forces first, so that every worker takes whole forces and more workers finish
    sooner."""
    from . import recompute

    return group(
        compute_force_snapshots.si(force_id=force.pk, periods=[p.slug for p in quarters])
        for force, quarters in recompute.recompute_plan(forces=forces, periods=periods)
    )


@shared_task(name="kpis.compute_all_snapshots")
def compute_all_snapshots() -> int:
    """Nightly: every force-quarter that has data, fanned out one task per force; returns how
    many forces were queued. Nobody waits for the group, so its results are not stored."""
    work = recompute_group()
    work.apply_async(ignore_result=True)
    return len(work.tasks)


@shared_task(name="kpis.compute_peer_groups")
def compute_peer_groups() -> dict:
    """After a national table is confirmed: recompute the default most-similar groups."""
    from . import peers

    return peers.compute_peer_groups()
