"""Recomputing many quarters: one force's quarters in one pass, every force side by side.

A full recompute (the nightly job, a new Home Office table, new peer groups) is one Celery
task per force, sent as a group (kpis.engine.tasks.recompute_group), so each worker takes
whole forces and two workers finish in about half the time of one. Within a force's task,
compute_force_snapshots reads the force's records once into prepared frames
(record_kpis.force_frames) and the Home Office batches' version once, holds them for the
whole run, and computes each quarter from them with compute_snapshots, the same function a
single-quarter recompute runs: the results are the same row for row
(tests/kpis/test_recompute.py), only the reading is shared.
"""

from django.db.models import Count

from soteria.models import Force
from soteria.periods import Period

from . import record_kpis
from .models import CrimeRecord
from .snapshots import compute_snapshots, periods_with_data


def compute_force_snapshots(*, force: Force, periods: list[Period]) -> int:
    """Recompute the force's quarters in order, reading its records once; returns how many
    snapshots were stored. Each quarter is replaced in its own transaction, as
    compute_snapshots does, so a run stopped part-way leaves every quarter whole."""
    record_kpis.force_frames(force=force)  # read here; every quarter below finds it cached
    return sum(compute_snapshots(force=force, period=period) for period in periods)


def recompute_plan(
    *, forces: list[Force] | None = None, periods: list[Period] | None = None
) -> list[tuple[Force, list[Period]]]:
    """Every force with data and its quarters (or only those of ``periods`` among them), the
    forces with the most records first.

    Largest first, so that with several workers the last task to start is a small one and
    no worker is left computing a big force alone at the end.
    """
    forces = list(Force.objects.all()) if forces is None else forces
    sizes = dict(
        CrimeRecord.objects.values("force_id").annotate(n=Count("id")).values_list("force_id", "n")
    )
    plan = [(force, periods_with_data(force=force)) for force in forces]
    if periods is not None:
        plan = [(force, [p for p in quarters if p in periods]) for force, quarters in plan]
    plan = [(force, quarters) for force, quarters in plan if quarters]
    plan.sort(key=lambda item: (-sizes.get(item[0].pk, 0), item[0].name))
    return plan
