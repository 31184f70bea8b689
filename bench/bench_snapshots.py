"""Snapshot engine: full recompute of 43 forces x 20 quarters from 1,000,000 records, and one
force-quarter. Goals: full recompute <= 60 s with one worker; one force-quarter <= 1 s.

One worker is this single process computing force-quarter after force-quarter, exactly as
one Celery worker runs the queued compute_snapshots tasks (the same service function).
The data set is SYNTHETIC (kpis.imports.synthetic.synthetic_extract), written once and reused.
"""

import statistics
import time

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from kpis.engine import record_kpis  # noqa: E402
from kpis.engine.snapshots import compute_snapshots  # noqa: E402
from kpis.imports.synthetic import add_synthetic_records  # noqa: E402
from kpis.models import CrimeRecord, HomeOfficeOutcome, ImportBatch, KpiSnapshot  # noqa: E402
from soteria.models import Force  # noqa: E402
from soteria.periods import Period, period_range  # noqa: E402
from soteria.services import load_reference_data  # noqa: E402

RECORDS = 1_000_000
FIRST = Period(2019, 1)  # 2019/20 Q1
LAST = FIRST.shift(19)  # 20 quarters: 2019/20 Q1 to 2023/24 Q4
MARK = "bench-snapshots"


def prepare() -> list[Force]:
    call_command("migrate", verbosity=0)
    load_reference_data()
    forces = list(Force.objects.all())
    mine = ImportBatch.objects.filter(file_sha256__startswith=MARK, kind=ImportBatch.Kind.RECORDS)
    if (
        mine.count() == len(forces)
        and CrimeRecord.objects.filter(batch__in=mine).count() == RECORDS
    ):
        return forces
    print("Writing the synthetic data set (once; reused by later runs)...", flush=True)
    started = time.perf_counter()
    CrimeRecord.objects.filter(batch__in=mine).delete()
    HomeOfficeOutcome.objects.filter(batch__file_sha256__startswith=MARK).delete()
    ImportBatch.objects.filter(file_sha256__startswith=MARK).delete()
    add_synthetic_records(
        forces=forces,
        records=RECORDS,
        seed=1,
        tag=MARK,
        first_day=FIRST.start,
        extract_day=LAST.end,
    )
    write_home_office_table(forces)
    print(f"  written in {time.perf_counter() - started:.0f} s", flush=True)
    return forces


def write_home_office_table(forces: list[Force]) -> None:
    """A Home Office outcomes table (closed basis) aggregated from the synthetic records."""
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.HOME_OFFICE,
        file_name="SYNTHETIC Home Office table",
        file_sha256=f"{MARK}-home-office",
    )
    rows = []
    for period in period_range(FIRST, LAST):
        counts = (
            CrimeRecord.objects.filter(outcome_date__gte=period.start, outcome_date__lte=period.end)
            .exclude(outcome_type="")
            .values("force_id", "offence_code", "offence_group", "outcome_type")
            .annotate(n=Count("id"))
        )
        for c in counts:
            rows.append(
                HomeOfficeOutcome(
                    force_id=c["force_id"],
                    batch=batch,
                    financial_year=f"{period.year}-{(period.year + 1) % 100:02d}",
                    quarter=period.quarter,
                    offence_code=c["offence_code"],
                    offence_group=c["offence_group"],
                    outcome_type=c["outcome_type"],
                    closed_count=c["n"],
                    recorded_count=c["n"],
                )
            )
    HomeOfficeOutcome.objects.bulk_create(rows, batch_size=5000)


def clear_caches() -> None:
    record_kpis._frames.clear()
    record_kpis._national.clear()
    record_kpis._figures.clear()


def main() -> None:
    forces = prepare()
    periods = period_range(FIRST, LAST)
    total_records = CrimeRecord.objects.count()
    print(
        f"PostgreSQL {connection.pg_version // 10000}; {total_records:,} crime records; "
        f"{len(forces)} forces x {len(periods)} quarters"
    )

    clear_caches()
    started = time.perf_counter()
    stored = 0
    for force in forces:
        for period in periods:
            stored += compute_snapshots(force=force, period=period)
    full = time.perf_counter() - started
    print(
        f"full recompute: {full:.1f} s for {len(forces) * len(periods)} force-quarters, "
        f"{stored:,} snapshots (goal <= 60 s, one worker)"
    )

    force = next(f for f in forces if f.slug == "avon-and-somerset")
    cold, warm = [], []
    for period in periods[-5:]:
        clear_caches()
        t = time.perf_counter()
        compute_snapshots(force=force, period=period)
        cold.append(time.perf_counter() - t)
        t = time.perf_counter()
        compute_snapshots(force=force, period=period)
        warm.append(time.perf_counter() - t)
    print(
        f"one force-quarter ({force.name}): median {statistics.median(cold):.2f} s from a cold start "
        f"(loading the force's records), {statistics.median(warm):.2f} s with them loaded (goal <= 1 s)"
    )
    assert KpiSnapshot.objects.filter(force=force).exists()


if __name__ == "__main__":
    main()
