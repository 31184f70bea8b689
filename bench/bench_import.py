"""Import benchmark: a million-row synthetic extract through the importer, against plain COPY.

In one run it writes (or reuses) bench-out/extract-1000000.csv, imports it with
the real service (validation, pseudonymisation, COPY into kpis_crimerecord, in
one transaction) in a child process so its peak memory is its own, then times
a plain COPY of the same file into a bare table of text columns. It prints the
ratio and the importer's peak resident memory. Goals (issue 17): ratio <= 4, peak
memory <= 500 MB. It measures; it never fails on a number.

Then the storage floor, in the same run: the rows the importer wrote (hashed, validated) are
copied out as COPY text and COPY'd back (1) into an empty table shaped as kpis_crimerecord
with its indexes (what the importer's COPY itself costs PostgreSQL) and (2) into one without
indexes, the indexes built afterwards (a staging table). Both against the bare COPY.

Last, a force's quarterly import: 25,000 rows for the quarter after the million's (same
force, new crimes) into the database now holding the million, end to end (the upload stored,
validated, checked against the force's earlier rows, written; goal <= 2 s), and the snapshot
recompute it queues, run as a worker would that has just started (the disclosure solver
loaded as it started; the force's records read for the job; goal <= 5 s).

    make bench                         # PostgreSQL at DATABASE_URL (default soteria_bench)
    BENCH_ROWS=100000 make bench BENCH=bench_import
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/soteria_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soteria.settings")
ROWS = int(os.environ.get("BENCH_ROWS", 1_000_000))
QUARTERLY_ROWS = 25_000
FORCE = "avon-and-somerset"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def high_water_kb() -> int:
    """This process's peak resident memory since it started (Linux's VmHWM). Not
    getrusage's ru_maxrss: Linux carries that across exec, so a child started from a parent
    holding the generated million rows would report the parent's size."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(path: str) -> None:
    """Import the file with the real service and report seconds and peak memory as JSON; then
    time the snapshot recompute the import queued (the force's quarters it touched)."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from kpis.engine.snapshots import compute_snapshots
    from kpis.imports import services as imports
    from kpis.models import ImportBatch
    from soteria.models import Force
    from soteria.periods import Period

    sources, settings.KPI_SOURCES = settings.KPI_SOURCES, []  # the import alone, first
    force = Force.objects.get(slug=FORCE)
    started = time.perf_counter()
    batch = imports.create_batch(
        kind=ImportBatch.Kind.RECORDS,
        source=path,
        file_name=Path(path).name,
        force=force,
        uploaded_by=None,
    )
    stored = time.perf_counter()
    imports.import_outcomes(batch=batch)
    finished = time.perf_counter()
    peak_kb = high_water_kb()
    settings.KPI_SOURCES = sources
    queued, snapshots_seconds, snapshots_cpu = [], None, None
    if batch.period_first and batch.period_last:
        first = Period.containing(batch.period_first)
        last = min(Period.containing(batch.period_last), Period.latest_complete())
        while first <= last:
            queued.append(first)
            first = first.next()
    if queued and os.environ.get("BENCH_SNAPSHOTS"):
        from soteria.celery import load_solver

        load_solver()  # what a worker does as it starts (worker_init), before any job
        connection.close()
        started_snapshots, started_cpu = time.perf_counter(), time.process_time()
        for period in queued:
            compute_snapshots(force=force, period=period)
        snapshots_seconds = time.perf_counter() - started_snapshots
        snapshots_cpu = time.process_time() - started_cpu
    print(
        json.dumps(
            {
                "seconds": finished - stored,
                "end_to_end": finished - started,
                "peak_mb": peak_kb / 1024,
                "status": batch.status,
                "rows": batch.rows_written,
                "message": batch.message[:300],
                "queued": [p.slug for p in queued],
                "snapshots_seconds": snapshots_seconds,
                "snapshots_cpu": snapshots_cpu,
            }
        )
    )


def run_child(path: Path, *, snapshots: bool = False) -> dict:
    env = {**os.environ, **({"BENCH_SNAPSHOTS": "1"} if snapshots else {})}
    run = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if run.returncode != 0:
        print(run.stdout, run.stderr)
        raise SystemExit("importer child failed")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    if report["status"] != "succeeded":
        raise SystemExit(f"import did not succeed: {report}")
    return report


def storage_floor(url: str) -> tuple[float, float, float]:
    """Seconds to COPY the importer's own rows (as COPY text) into an empty copy of
    kpis_crimerecord with its indexes; into one without, indexes built afterwards; and into
    a table without indexes that is then indexed and attached as the force's partition of a
    table partitioned by force (the staging approach issue 17 suggests)."""
    import psycopg

    with psycopg.connect(url) as conn:
        columns = [
            row[0]
            for row in conn.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'kpis_crimerecord'::regclass "
                "AND attnum > 0 AND NOT attisdropped AND attname <> 'id' ORDER BY attnum"
            )
        ]
        names = ", ".join(columns)
        force_id = conn.execute("SELECT force_id FROM kpis_crimerecord LIMIT 1").fetchone()[0]
        buffer = bytearray()
        with conn.cursor().copy(f"COPY kpis_crimerecord ({names}) TO STDOUT") as copy:
            for block in copy:
                buffer += block

        def load(table: str) -> None:
            with conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for start in range(0, len(buffer), 1 << 20):
                    copy.write(buffer[start : start + (1 << 20)])

        def index(table: str, primary_key: str) -> None:
            conn.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({primary_key})")
            conn.execute(f"CREATE UNIQUE INDEX ON {table} (force_id, crime_ref_hash)")
            conn.execute(f"CREATE INDEX ON {table} (force_id, recorded_date)")

        timings = []
        for indexed in (True, False):
            conn.execute("DROP TABLE IF EXISTS bench_floor")
            like = "INCLUDING ALL" if indexed else "INCLUDING IDENTITY INCLUDING CONSTRAINTS"
            conn.execute(f"CREATE TABLE bench_floor (LIKE kpis_crimerecord {like})")
            conn.commit()
            started = time.perf_counter()
            load("bench_floor")
            if not indexed:
                index("bench_floor", "id")
            conn.commit()
            timings.append(time.perf_counter() - started)
        conn.execute("DROP TABLE bench_floor")
        # A partitioned table's primary key must hold the partition key: (id, force_id).
        conn.execute("DROP TABLE IF EXISTS bench_parted")
        conn.execute(
            "CREATE TABLE bench_parted (LIKE kpis_crimerecord INCLUDING DEFAULTS "
            "INCLUDING IDENTITY) PARTITION BY LIST (force_id)"
        )
        index("bench_parted", "id, force_id")
        conn.execute(
            "CREATE TABLE bench_staging (LIKE kpis_crimerecord INCLUDING DEFAULTS "
            "INCLUDING IDENTITY INCLUDING CONSTRAINTS)"
        )
        conn.commit()
        started = time.perf_counter()
        load("bench_staging")
        index("bench_staging", "id, force_id")
        conn.execute(f"ALTER TABLE bench_staging ADD CHECK (force_id = {int(force_id)})")
        conn.execute(
            f"ALTER TABLE bench_parted ATTACH PARTITION bench_staging FOR VALUES IN ({int(force_id)})"
        )
        conn.commit()
        timings.append(time.perf_counter() - started)
        conn.execute("DROP TABLE bench_parted")
        conn.commit()
    return timings[0], timings[1], timings[2]


def copy_baseline(url: str, path: Path, columns: list[str]) -> float:
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_bare_extract")
        conn.execute(
            "CREATE TABLE bench_bare_extract (" + ", ".join(f"{c} text" for c in columns) + ")"
        )
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor, open(path, "rb") as handle:
            handle.readline()  # the "# SYNTHETIC DATA" note; COPY's HEADER skips the header
            with cursor.copy("COPY bench_bare_extract FROM STDIN (FORMAT csv, HEADER)") as copy:
                while block := handle.read(1 << 20):
                    copy.write(block)
        conn.commit()
        seconds = time.perf_counter() - started
        count = conn.execute("SELECT count(*) FROM bench_bare_extract").fetchone()[0]
        conn.execute("DROP TABLE bench_bare_extract")
        conn.commit()
    assert count == ROWS, count
    return seconds


def main() -> None:
    url = os.environ["DATABASE_URL"]
    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kpis.imports.demo import generate_extract_file
    from kpis.imports.synthetic import EXTRACT_COLUMNS
    from soteria.models import Force
    from soteria.periods import Period

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    out = ROOT / "bench-out"
    out.mkdir(exist_ok=True)
    quarter = Period.latest_complete()
    path = out / f"extract-{ROWS}-to-{quarter.previous().slug}.csv"
    quarterly = out / f"extract-{QUARTERLY_ROWS}-{quarter.slug}.csv"
    name = Force.objects.get(slug=FORCE).name
    if not path.exists():
        started = time.perf_counter()
        generate_extract_file(
            path=path, records=ROWS, seed=7, forces=[name], extract_day=quarter.previous().end
        )
        print(f"generated {ROWS:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    if not quarterly.exists():
        generate_extract_file(
            path=quarterly,
            records=QUARTERLY_ROWS,
            seed=9,
            forces=[name],
            first_day=quarter.start,
            extract_day=quarter.end,
        )
    size_mb = path.stat().st_size / 1e6
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE kpis_crimerecord CASCADE")
        cursor.execute("DELETE FROM kpis_historicalimportbatch")
        cursor.execute("DELETE FROM kpis_importbatch WHERE kind = 'records'")
    connection.close()

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    report = run_child(path)
    copy_seconds = copy_baseline(url, path, EXTRACT_COLUMNS)
    indexed, staged, partition = storage_floor(url)
    ratio = report["seconds"] / copy_seconds
    print(f"file: {path.name}, {ROWS:,} rows, {size_mb:.0f} MB")
    print(
        f"importer: {report['seconds']:.2f} s ({ROWS / report['seconds']:,.0f} rows/s), "
        f"{report['rows']:,} rows written"
    )
    print(f"plain COPY into a bare table: {copy_seconds:.2f} s")
    print(f"ratio importer / COPY: {ratio:.2f} (goal <= 4)")
    print(
        f"importer peak memory (VmHWM, the importing process): {report['peak_mb']:.0f} MB (goal <= 500)"
    )
    print(
        f"storage floor: the importer's rows COPY'd into kpis_crimerecord's shape with its "
        f"indexes {indexed:.2f} s ({indexed / copy_seconds:.2f}x the bare COPY; the importer is "
        f"{report['seconds'] / indexed:.2f}x it); without indexes, then indexed "
        f"{staged:.2f} s ({staged / copy_seconds:.2f}x); into a partition of a table "
        f"partitioned by force, loaded unindexed, indexed, attached {partition:.2f} s "
        f"({partition / copy_seconds:.2f}x)"
    )
    quarter_report = run_child(quarterly, snapshots=True)
    print(
        f"a force's quarterly import, {quarter_report['rows']:,} rows into a database holding "
        f"{report['rows']:,}: {quarter_report['end_to_end']:.2f} s end to end (goal <= 2 s); "
        f"the snapshots it queues ({', '.join(quarter_report['queued'])}) "
        f"{quarter_report['snapshots_seconds']:.2f} s (goal <= 5 s; "
        f"{quarter_report['snapshots_cpu']:.2f} s of CPU in this process)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
