"""A full recompute fans out one task per force, and each task computes all of its force's
quarters from one read of its records: the snapshots are the same, row for row, as those
computed one force-quarter at a time from a cold start (the way before issue 17).

Avon and Somerset and Staffordshire have crafted (synthetic) records over two quarters, and
a Home Office table names them and Kent (which has no records of its own).
"""

import pytest

from kpis.engine import record_kpis, tasks
from kpis.engine.recompute import recompute_plan
from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import KpiSnapshot
from soteria.models import Force
from soteria.periods import Period

from .home_office_tables import write_home_office_quarter

pytestmark = pytest.mark.django_db
LAST = Period.latest_complete()
FIRST = LAST.shift(-1)


def forget_loaded_records() -> None:
    record_kpis._frames.clear()
    record_kpis._national.clear()
    record_kpis._figures.clear()


def stored() -> dict[tuple, dict]:
    rows = KpiSnapshot.objects.values().order_by("pk")
    return {
        (r["force_id"], r["kpi_id"], r["period"], r["offence_group"], r["definition_version"]): {
            k: v for k, v in r.items() if k not in ("id", "computed_at")
        }
        for r in rows
    }


@pytest.fixture
def records(force_a, force_b):
    add_synthetic_records(
        forces=[force_a, force_b], records=300, seed=3, first_day=FIRST.start, extract_day=LAST.end
    )
    table = {"Avon and Somerset": {"1": 12, "15": 40}, "Staffordshire": {"1": 5, "14": 9, "15": 30}}
    table["Kent"] = {"1": 7, "16": 11, "15": 25}
    write_home_office_quarter(LAST, table)
    return force_a, force_b


def test_every_force_with_data_is_planned_largest_first(records):
    force_a, force_b = records
    plan = recompute_plan()
    assert {force.name for force, _ in plan} == {force_a.name, force_b.name, "Kent"}
    assert plan[-1][0].name == "Kent"  # no records: smallest, last
    periods = dict((force.name, periods) for force, periods in plan)
    assert periods[force_a.name][0] == FIRST
    assert periods[force_a.name][-1] == LAST
    assert periods["Kent"] == [LAST]


def test_the_fan_out_stores_what_one_quarter_at_a_time_stores(records, settings, monkeypatch):
    plan = recompute_plan()
    for force, periods in plan:
        for period in periods:
            forget_loaded_records()  # one task per force-quarter, each in a fresh worker
            compute_snapshots(force=force, period=period)
    one_at_a_time = stored()
    assert len({key[0] for key in one_at_a_time}) == 3
    KpiSnapshot.objects.all().delete()
    forget_loaded_records()

    reads = []
    read_records = record_kpis.read_records
    monkeypatch.setattr(
        record_kpis,
        "read_records",
        lambda *, force: reads.append(force.name) or read_records(force=force),
    )
    queued = tasks.compute_all_snapshots.apply().get()  # eager: the group runs here

    assert queued == 3
    assert stored() == one_at_a_time
    # Each force is read once for all of its quarters (Kent's read finds none), not per quarter.
    assert sorted(reads) == ["Avon and Somerset", "Kent", "Staffordshire"]


def test_the_group_has_one_task_per_force_with_its_quarters(records):
    force_a, _ = records
    work = tasks.recompute_group()
    assert [t.task for t in work.tasks] == ["kpis.compute_force_snapshots"] * 3
    mine = next(t for t in work.tasks if t.kwargs["force_id"] == force_a.pk)
    assert mine.kwargs["periods"] == [FIRST.slug, LAST.slug]
    assert Force.objects.count() == 43  # the other forces have no data and no task
