"""`make bench`: run every bench/bench_*.py in turn, each printing its own figures.

Benchmarks are not tests: they measure, print, and never fail on a number.
They run against PostgreSQL (DATABASE_URL, default a local soteria_bench
database) because that is what production runs on; bench_pages, which times the
browser's work, serves the demo data set from its own SQLite file (see its docstring).
"""

import os
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/soteria_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soteria.settings")

if __name__ == "__main__":
    selected = sys.argv[1:]
    for script in sorted(HERE.glob("bench_*.py")):
        if selected and script.stem not in selected:
            continue
        print(f"\n== {script.stem} ==", flush=True)
        runpy.run_path(str(script), run_name="__main__")
