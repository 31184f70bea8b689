"""Without workers (the demo load), many force-quarters are computed over one child process
per core and stored by the parent: the snapshots are the same, row for row, as those
computed one force-quarter at a time in one process. During the demo load, the recomputes
its loaders queue are held and each force-quarter is computed once, at the end.

The records are committed (transactional_db), as the demo load's are, so that the child
processes can read them. Avon and Somerset and Staffordshire have crafted (synthetic)
records over three quarters; a Home Office table names them and Kent.
"""

import pytest

from kpis.engine import recompute, snapshots
from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import KpiSnapshot
from soteria import jobs
from soteria.models import Force
from soteria.periods import Period
from soteria.services import load_demo_data

from .home_office_tables import write_home_office_quarter
from .test_recompute import forget_loaded_records, stored

pytestmark = pytest.mark.django_db(transaction=True)
LAST = Period.latest_complete()
FIRST = LAST.shift(-2)


@pytest.fixture
def records(force_a, force_b):
    add_synthetic_records(
        forces=[force_a, force_b], records=400, seed=5, first_day=FIRST.start, extract_day=LAST.end
    )
    table = {"Avon and Somerset": {"1": 12, "15": 40}, "Staffordshire": {"1": 5, "14": 9, "15": 30}}
    table["Kent"] = {"1": 7, "16": 11, "15": 25}
    write_home_office_quarter(LAST, table)
    return force_a, force_b


def test_child_processes_store_what_one_process_stores(records, monkeypatch):
    contexts = []
    get_context = recompute.multiprocessing.get_context
    monkeypatch.setattr(
        recompute.multiprocessing, "get_context", lambda m: contexts.append(m) or get_context(m)
    )
    plan = recompute.recompute_plan()
    for force, periods in plan:
        for period in periods:
            compute_snapshots(force=force, period=period)
    in_one_process = stored()
    assert len({key[0] for key in in_one_process}) == 3
    KpiSnapshot.objects.all().delete()
    forget_loaded_records()  # the children read the records afresh

    count = recompute.compute_many(plan=plan, processes=2)

    assert contexts == ["fork"]  # computed in child processes
    assert count == len(in_one_process)
    assert stored() == in_one_process


def test_inside_a_transaction_it_computes_in_this_process(records, monkeypatch):
    from django.db import transaction

    def no_children(*args, **kwargs):
        raise AssertionError("child processes cannot see an uncommitted transaction")

    monkeypatch.setattr(recompute.multiprocessing, "get_context", no_children)
    plan = recompute.recompute_plan()
    with transaction.atomic():
        assert recompute.compute_many(plan=plan, processes=2) == sum(
            KpiSnapshot.objects.filter(force=force).count() for force, _ in plan
        )


def queue_twice(*, forces: list[Force], seed: int) -> dict[str, int]:
    """A demo loader that queues the same recompute twice, and one of a force with no demo
    records (as the Home Office import does for every force)."""
    kent = Force.objects.get(name="Kent")
    for _ in range(2):
        snapshots.queue_snapshots(force=forces[0], periods=[LAST])
    snapshots.queue_snapshots(force=kent, periods=[LAST])
    return {}


def test_the_demo_load_computes_each_queued_force_quarter_once_at_the_end(
    records, settings, monkeypatch
):
    settings.DEMO_DATA_LOADERS = [
        "tests.kpis.test_compute_many.queue_twice",
        "kpis.engine.recompute.load_demo_snapshots",
    ]
    monkeypatch.setattr(recompute, "periods_with_data", lambda *, force: [FIRST])
    computed = []
    replace = snapshots.replace_snapshots

    def counting(*, force, period, rows):  # in this process, wherever computed
        computed.append((force.name, period))
        return replace(force=force, period=period, rows=rows)

    monkeypatch.setattr(recompute, "replace_snapshots", counting)
    monkeypatch.setattr(snapshots, "replace_snapshots", counting)

    load_demo_data(seed=1)

    assert sorted(computed) == [
        ("Avon and Somerset", FIRST),
        ("Avon and Somerset", LAST),
        ("Kent", LAST),
        ("Staffordshire", FIRST),
    ]
    assert KpiSnapshot.objects.filter(force__name="Kent", period=LAST.slug).exists()


def test_held_jobs_not_taken_are_sent_when_the_block_ends(records, force_a):
    with jobs.held("kpis.compute_snapshots"):
        snapshots.queue_snapshots(force=force_a, periods=[LAST, LAST])
        assert not KpiSnapshot.objects.exists()  # held, not run (tasks are eager here)
    assert KpiSnapshot.objects.filter(force=force_a, period=LAST.slug).exists()
    assert jobs.take_held("kpis.compute_snapshots") == []  # no longer held


def test_children_do_not_share_a_connection_left_open_beside_a_running_event_loop(
    records, monkeypatch, tmp_path
):
    """Where an event loop runs in this thread (Playwright's in the browser tests), Django
    keeps the thread's sync connection apart and close_all does not see it; the children,
    which run no loop, must not take it over (on PostgreSQL two children then read each
    other's replies: "lost synchronization with server")."""
    import asyncio
    import os

    from django.db import connections

    seen = tmp_path / "children.txt"
    collect = recompute.collect_results

    def noting_the_connection(**kwargs):  # in a child
        raw = connections["default"].connection
        with open(seen, "a") as file:
            file.write(f"{os.getpid()} {id(connections['default'])} {id(raw)}\n")
        return collect(**kwargs)

    monkeypatch.setattr(recompute, "collect_results", noting_the_connection)
    plan = recompute.recompute_plan()
    inherited = connections["default"]
    inherited.ensure_connection()  # the sync connection, open (and kept alive here)
    loop = asyncio.new_event_loop()
    asyncio._set_running_loop(loop)  # as Playwright's sync API leaves it between calls
    try:
        count = recompute.compute_many(plan=plan, processes=2)
    finally:
        asyncio._set_running_loop(None)
        loop.close()
    assert count == KpiSnapshot.objects.count() > 0
    children = [line.split() for line in seen.read_text().splitlines()]
    assert {pid for pid, _, _ in children} - {str(os.getpid())}
    assert str(id(inherited)) not in {wrapper for _, wrapper, _ in children}
    assert str(id(inherited.connection)) not in {raw for _, _, raw in children}
