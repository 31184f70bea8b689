"""Recomputing many quarters: one force's quarters in one pass, every force side by side.

A full recompute (the nightly job, a new Home Office table, new peer groups) is one Celery
task per force, sent as a group (kpis.engine.tasks.recompute_group), so each worker takes
whole forces and two workers finish in about half the time of one. Within a force's task,
compute_force_snapshots reads the force's records once into prepared frames
(record_frames.force_frames) and the Home Office batches' version once, holds them for the
whole run, and computes each quarter from them with compute_snapshots, the same function a
single-quarter recompute runs: the results are the same row for row
(tests/kpis/test_recompute.py), only the reading is shared.

Without workers (the demo data that `make run` loads, with Celery eager), compute_many
spreads the force-quarters over one process per core: each child computes, the parent
stores, so SQLite never has two writers. Same results, row for row
(tests/kpis/test_compute_many.py).
"""

import multiprocessing
import os

from django.db import connection, connections, transaction
from django.db.models import Count

from soteria import jobs
from soteria.models import Force
from soteria.periods import Period

from . import record_frames
from .models import CrimeRecord
from .snapshots import (
    collect_results,
    compute_snapshots,
    periods_with_data,
    prepare_snapshots,
    replace_snapshots,
)

# Quarters a child process computes in one go: few enough that the cores share a large force.
CHUNK = 4


def compute_force_snapshots(*, force: Force, periods: list[Period]) -> int:
    """Recompute the force's quarters in order, reading its records once; returns how many
    snapshots were stored. Each quarter is replaced in its own transaction, as
    compute_snapshots does, so a run stopped part-way leaves every quarter whole."""
    record_frames.force_frames(force=force)  # read here; every quarter below finds it cached
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


def compute_many(*, plan: list[tuple[Force, list[Period]]], processes: int | None = None) -> int:
    """Recompute every force-quarter of ``plan`` (as recompute_plan gives it, largest force
    first); returns how many snapshots were stored.

    Over ``processes`` child processes (default: one per core) when the database allows it:
    each computes a few quarters of one force at a time, latest quarters (the dearest: the
    most records) first, and prepares their rows; the parent stores them as they come in,
    each force-quarter replaced whole, a child's few quarters in one transaction (on SQLite
    each commit waits for the disk). In this process, one force at a time,
    when there is one core, when fork is not available, or when the children could not see
    the data (an in-memory database, or this process inside a transaction).
    """
    processes = processes or _cores()
    chunks = [
        (force.pk, [p.slug for p in reversed(periods)][start : start + CHUNK])
        for force, periods in plan
        for start in range(0, len(periods), CHUNK)
    ]
    if (
        processes < 2
        or len(chunks) < 2
        or "fork" not in multiprocessing.get_all_start_methods()
        or connection.in_atomic_block
        or connection.vendor == "sqlite"
        and connection.is_in_memory_db()
    ):
        return sum(compute_force_snapshots(force=force, periods=periods) for force, periods in plan)
    forces = {force.pk: force for force, _ in plan}
    stored = 0
    connections.close_all()  # each child opens its own; a connection must not cross a fork
    context = multiprocessing.get_context("fork")
    with context.Pool(min(processes, len(chunks)), initializer=_own_connections) as pool:
        for force_id, prepared in pool.imap_unordered(_prepare, chunks):
            with transaction.atomic():
                for slug, rows in prepared:
                    period = Period.parse(slug)
                    stored += replace_snapshots(force=forces[force_id], period=period, rows=rows)
    return stored


def _own_connections() -> None:
    """In a new child process: a database connection of its own, whatever it inherited.

    close_all above closes the connections this thread can see, but Django keeps them
    apart for sync and async code in one thread: where an event loop was running in the
    parent (Playwright's, in the browser tests), the connection of the thread's sync code
    stays open, and the children, which run no loop, would share its socket with each
    other. Each wrapper is replaced, not closed: the socket is the parent's (psycopg does
    not close a connection opened by another process when it is let go)."""
    for alias in connections:
        connections[alias] = connections.create_connection(alias)


def _prepare(chunk: tuple[int, list[str]]) -> tuple[int, list[tuple[str, list[list]]]]:
    """In a child process: one force's quarters computed and their rows prepared, not stored."""
    force_id, slugs = chunk
    force = Force.objects.get(pk=force_id)
    record_frames.force_frames(force=force)  # all of them: the quarters below share one read
    prepared = []
    for slug in slugs:
        period = Period.parse(slug)
        results = collect_results(force=force, period=period)
        prepared.append((slug, prepare_snapshots(force=force, period=period, results=results)))
    return force_id, prepared


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def load_demo_snapshots(*, forces: list[Force], seed: int) -> dict[str, int]:
    """Demo data, last of the loaders: snapshots for the demo forces, every quarter, and for
    every force-quarter the earlier loaders queued a recompute of.

    The earlier loaders bring the (synthetic) records, the Home Office table, returns,
    panels and recommendations, and each queues a recompute of what it touched; during the
    demo load those are held (soteria.services.load_demo_data, soteria.jobs.held) and done
    here, each force-quarter once, from all of the data (replacing, so running it again
    changes nothing).
    """
    quarters = {force.pk: set(periods_with_data(force=force)) for force in forces}
    for job in jobs.take_held("kpis.compute_snapshots"):
        quarters.setdefault(job["force_id"], set()).add(Period.parse(job["period"]))
    by_pk = Force.objects.in_bulk(list(quarters))
    plan = [(by_pk[pk], sorted(periods)) for pk, periods in quarters.items()]
    plan.sort(key=lambda item: (-len(item[1]), item[0].name))
    return {"KPI snapshots computed": compute_many(plan=plan)}
