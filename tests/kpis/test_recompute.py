"""A full recompute fans out one task per force, and each task computes all of its force's
quarters from one read of its records: the snapshots are the same, row for row, as those
computed one force-quarter at a time from a cold start (the way before issue 17).

Avon and Somerset and Staffordshire have crafted (synthetic) records over two quarters, and
a Home Office table names them and Kent (which has no records of its own).
"""

import pytest

from kpis.engine import record_frames, record_kpis, tasks
from kpis.engine.recompute import compute_force_snapshots, recompute_plan
from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import CrimeRecord, Kpi, KpiSnapshot
from soteria.models import Force
from soteria.periods import Period

from .home_office_tables import write_home_office_quarter

pytestmark = pytest.mark.django_db
LAST = Period.latest_complete()
FIRST = LAST.shift(-1)


def forget_loaded_records() -> None:
    record_frames._frames.clear()
    record_frames._counts.clear()
    record_kpis._national.clear()
    record_kpis._figures.clear()
    record_kpis._quarter_tables.clear()


def watch_reads(monkeypatch) -> list[tuple[str, Period | None, int]]:
    """Each read of a force's records from here on: (force, quarter or None for all, rows)."""
    reads = []
    read_records = record_frames.read_records

    def read(*, force, period=None):
        frame = read_records(force=force, period=period)
        reads.append((force.name, period, len(frame)))
        return frame

    monkeypatch.setattr(record_frames, "read_records", read)
    return reads


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

    reads = watch_reads(monkeypatch)
    queued = tasks.compute_all_snapshots.apply().get()  # eager: the group runs here

    assert queued == 3
    assert stored() == one_at_a_time
    # Each force is read once for all of its quarters (Kent's read finds none), not per quarter.
    assert sorted((name, period) for name, period, _ in reads) == [
        (name, None) for name in ("Avon and Somerset", "Kent", "Staffordshire")
    ]


def test_the_group_has_one_task_per_force_with_its_quarters(records):
    force_a, _ = records
    work = tasks.recompute_group()
    assert [t.task for t in work.tasks] == ["kpis.compute_force_snapshots"] * 3
    mine = next(t for t in work.tasks if t.kwargs["force_id"] == force_a.pk)
    assert mine.kwargs["periods"] == [FIRST.slug, LAST.slug]
    assert Force.objects.count() == 43  # the other forces have no data and no task


def test_a_lone_quarter_reads_only_its_records_and_stores_what_a_whole_read_stores(
    force_a, monkeypatch
):
    """Five years of records: a quarter's own recompute (the one an import queues) reads
    only those its KPIs can look at (record_frames.quarter_records), and stores the same
    snapshots, row for row, as a run over the force's whole set of records."""
    add_synthetic_records(
        forces=[force_a],
        records=1600,
        seed=5,
        first_day=LAST.shift(-19).start,
        extract_day=LAST.end,
    )
    # Six suspects each named in a report long closed, two and a half years ago, and in one
    # of the last quarter's: repeat suspects only the look-back's records show (six, so that
    # disclosure control does not withhold the count).
    old = (
        CrimeRecord.objects.filter(
            force=force_a,
            recorded_date__range=(LAST.shift(-10).start, LAST.shift(-10).end),
            outcome_date__lt=LAST.shift(-8).start,
        )
        .exclude(outcome_type="")
        .order_by("pk")[:6]
    )
    recent = CrimeRecord.objects.filter(
        force=force_a, recorded_date__gte=LAST.start, suspect_ref_hash=""
    ).order_by("pk")[:6]  # no suspect named yet: the quarter's other suspects stay as they are
    assert len(old) == len(recent) == 6
    for n, pair in enumerate(zip(old, recent, strict=True)):
        CrimeRecord.objects.filter(pk__in=[r.pk for r in pair]).update(suspect_ref_hash=f"{n}" * 64)
    quarters = [LAST.shift(-9), LAST]
    reads = watch_reads(monkeypatch)
    for period in quarters:
        forget_loaded_records()
        compute_snapshots(force=force_a, period=period)
    alone = stored()
    KpiSnapshot.objects.all().delete()
    forget_loaded_records()
    compute_force_snapshots(force=force_a, periods=quarters)

    assert stored() == alone
    whole = CrimeRecord.objects.filter(force=force_a).count()
    rows = [n for _, _, n in reads]
    assert rows[-1] == whole  # the run over both quarters read every record, once
    assert all(0 < n < whole for n in rows[:-1]), (rows, whole)  # each quarter alone: fewer
    summaries = {
        s["provenance"]["summary"]
        for s in alone.values()
        if s["provenance"].get("source") == "records"
    }
    assert f"Computed from {whole:,} crime records for {LAST.label}" in summaries
    kpi = Kpi.objects.get(slug="repeat-suspect-share").pk
    repeat = next(v for k, v in alone.items() if k[1:4] == (kpi, LAST.slug, "all"))
    assert repeat["numerator"] >= 6  # the look-back's suspects counted, not withheld


def test_a_second_quarter_of_the_same_data_reads_the_whole_set_once(force_a, monkeypatch):
    """An import over many quarters queues one task per quarter: the first reads its own
    records, the next the whole set, which every later quarter shares."""
    add_synthetic_records(
        forces=[force_a], records=400, seed=6, first_day=LAST.shift(-19).start, extract_day=LAST.end
    )
    forget_loaded_records()
    reads = watch_reads(monkeypatch)
    for period in (LAST.shift(-2), LAST.shift(-1), LAST):
        compute_snapshots(force=force_a, period=period)
    assert [(period, rows) for _, period, rows in reads][1:] == [(None, 400)]
    assert reads[0][1] == LAST.shift(-2) and reads[0][2] < 400
