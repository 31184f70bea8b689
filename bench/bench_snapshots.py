"""Snapshot engine: full recompute of 43 forces x 20 quarters from 1,000,000 records by real
Celery workers, and one force-quarter. Goals: full recompute <= 60 s with one worker and
<= 0.6x that with two workers on two cores; one force-quarter <= 1 s.

The full recompute is what the nightly job sends (kpis.engine.tasks.recompute_group: one
compute_force_snapshots task per force, as a group), run by real workers started here
(`celery worker --concurrency 1`, one and then two of them) against Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/15) and the bench's PostgreSQL database. The
time is from building the group until the last task's result is in. Each worker starts cold
(nothing cached), as after a deployment. ROUNDS=N repeats each figure N times (default 1).
The data set is SYNTHETIC (kpis.imports.synthetic.synthetic_extract), written once and reused.
"""

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from kpis.engine import record_frames, record_kpis  # noqa: E402
from kpis.engine.snapshots import compute_snapshots  # noqa: E402
from kpis.engine.tasks import recompute_group  # noqa: E402
from kpis.imports.synthetic import add_synthetic_records  # noqa: E402
from kpis.models import CrimeRecord, HomeOfficeOutcome, ImportBatch, KpiSnapshot  # noqa: E402
from soteria.celery import app  # noqa: E402
from soteria.models import Force  # noqa: E402
from soteria.periods import Period, period_range  # noqa: E402
from soteria.services import load_reference_data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
ROUNDS = int(os.environ.get("ROUNDS", 1))
RECORDS = 1_000_000
FIRST = Period(2019, 1)  # 2019/20 Q1
LAST = FIRST.shift(19)  # 20 quarters: 2019/20 Q1 to 2023/24 Q4
MARK = "bench-snapshots"


def prepare() -> list[Force]:
    call_command("migrate", verbosity=0)
    load_reference_data()
    forces = list(Force.objects.all())
    mine = ImportBatch.objects.filter(file_sha256__startswith=MARK, kind=ImportBatch.Kind.RECORDS)
    others = ImportBatch.objects.filter(kind=ImportBatch.Kind.RECORDS).exclude(pk__in=mine)
    if others.exists():
        # Another bench's records (bench_import leaves a million for one force in this
        # database): removed, so that the figures are for the million records said.
        CrimeRecord.objects.filter(batch__in=others).delete()
        others.delete()
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
    record_frames._frames.clear()
    record_kpis._national.clear()
    record_kpis._figures.clear()


def start_workers(count: int) -> list[subprocess.Popen]:
    """``count`` Celery workers of one process each, against REDIS and the bench database."""
    env = {
        **os.environ,
        "CELERY_BROKER_URL": REDIS,
        "CELERY_RESULT_BACKEND": REDIS,
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }
    app.control.purge()
    workers = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "soteria", "worker"),
                *("--concurrency", "1", "--pool", "prefork", "--loglevel", "WARNING"),
                *("--without-gossip", "--without-mingle", "--hostname", f"bench{n}@%h"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for n in range(count)
    ]
    for _ in range(600):
        if len(app.control.ping(timeout=0.5) or []) >= count:
            return workers
    stop_workers(workers)
    raise RuntimeError("the Celery workers did not answer")


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)


def worker_cpu_seconds() -> float:
    """CPU time (user and system) of every worker process that has exited so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def full_recompute(workers: int) -> tuple[float, float, int, int]:
    """Seconds for the nightly group on ``workers`` fresh workers, the workers' CPU seconds
    (start-up included), snapshots stored, tasks."""
    cpu = worker_cpu_seconds()
    running = start_workers(workers)
    try:
        started = time.perf_counter()
        work = recompute_group(periods=period_range(FIRST, LAST))
        stored = sum(work.apply_async().get(timeout=1800, interval=0.2))
        seconds = time.perf_counter() - started
    finally:
        stop_workers(running)
    return seconds, worker_cpu_seconds() - cpu, stored, len(work.tasks)


def main() -> None:
    forces = prepare()
    periods = period_range(FIRST, LAST)
    total_records = CrimeRecord.objects.count()
    print(
        f"PostgreSQL {connection.pg_version // 10000}; {total_records:,} crime records; "
        f"{len(forces)} forces x {len(periods)} quarters; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    app.conf.update(
        broker_url=REDIS, result_backend=REDIS, task_always_eager=False, task_ignore_result=False
    )
    one, two, cpu_one, cpu_two, loads = [], [], [], [], []
    for _ in range(ROUNDS):
        seconds, cpu, stored, tasks = full_recompute(1)
        one.append(seconds)
        cpu_one.append(cpu)
        seconds, cpu, *_ = full_recompute(2)
        two.append(seconds)
        cpu_two.append(cpu)
        loads.append(os.getloadavg()[0])
    spread = "" if ROUNDS == 1 else f" (runs: {', '.join(f'{s:.0f}' for s in one)})"
    print(
        f"full recompute, one worker: {statistics.median(one):.1f} s{spread} for {tasks} force "
        f"tasks, {stored:,} snapshots (goal <= 60 s); the worker used "
        f"{statistics.median(cpu_one):.0f} s of CPU"
    )
    ratios = [b / a for a, b in zip(one, two, strict=True)]
    spread = "" if ROUNDS == 1 else f" (ratios: {', '.join(f'{r:.2f}' for r in ratios)})"
    print(
        f"full recompute, two workers: {statistics.median(two):.1f} s, "
        f"{statistics.median(ratios):.2f}x one worker's{spread} (goal <= 0.6x); the workers used "
        f"{statistics.median(cpu_two):.0f} s of CPU between them; load average after each "
        f"round: {', '.join(f'{x:.1f}' for x in loads)}"
    )
    app.conf.update(task_always_eager=True)

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
