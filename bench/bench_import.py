"""Import benchmark: a million-row synthetic extract through the importer, against plain COPY.

In one run it writes (or reuses) bench-out/extract-1000000.csv, imports it with
the real service (validation, pseudonymisation, COPY into kpis_crimerecord, in
one transaction) in a child process so its peak memory is its own, then times
a plain COPY of the same file into a bare table of text columns. It prints the
ratio and the importer's peak resident memory. Goals: ratio <= 1.5, peak
memory <= 500 MB. It measures; it never fails on a number.

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
FORCE = "avon-and-somerset"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def child(path: str) -> None:
    """Import the file with the real service and report seconds and peak memory as JSON."""
    import django

    django.setup()
    from django.conf import settings

    from kpis.imports import services as imports
    from kpis.models import ImportBatch
    from soteria.models import Force

    settings.KPI_SOURCES = []  # time the import, not the KPI engine it queues afterwards
    batch = imports.create_batch(
        kind=ImportBatch.Kind.RECORDS,
        source=path,
        file_name=Path(path).name,
        force=Force.objects.get(slug=FORCE),
        uploaded_by=None,
    )
    started = time.perf_counter()
    imports.import_outcomes(batch=batch)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_kb / 1024,
                "status": batch.status,
                "rows": batch.rows_written,
                "message": batch.message[:300],
            }
        )
    )


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
    path = out / f"extract-{ROWS}.csv"
    if not path.exists():
        started = time.perf_counter()
        generate_extract_file(
            path=path,
            records=ROWS,
            seed=7,
            forces=[Force.objects.get(slug=FORCE).name],
            extract_day=Period.latest_complete().end,
        )
        print(f"generated {ROWS:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    size_mb = path.stat().st_size / 1e6
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE kpis_crimerecord CASCADE")
        cursor.execute("DELETE FROM kpis_historicalimportbatch")
        cursor.execute("DELETE FROM kpis_importbatch WHERE kind = 'records'")
    connection.close()

    run = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        capture_output=True,
        text=True,
        env=os.environ,
        check=False,
    )
    if run.returncode != 0:
        print(run.stdout, run.stderr)
        raise SystemExit("importer child failed")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    if report["status"] != "succeeded":
        raise SystemExit(f"import did not succeed: {report}")
    copy_seconds = copy_baseline(url, path, EXTRACT_COLUMNS)
    ratio = report["seconds"] / copy_seconds
    print(f"file: {path.name}, {ROWS:,} rows, {size_mb:.0f} MB")
    print(
        f"importer: {report['seconds']:.2f} s ({ROWS / report['seconds']:,.0f} rows/s), "
        f"{report['rows']:,} rows written"
    )
    print(f"plain COPY into a bare table: {copy_seconds:.2f} s")
    print(f"ratio importer / COPY: {ratio:.2f} (goal <= 1.5)")
    print(
        f"importer peak memory (max RSS, whole process): {report['peak_mb']:.0f} MB (goal <= 500)"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
