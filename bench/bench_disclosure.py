"""What disclosure control withholds on the demo data: the share of breakdown cells withheld,
by the cell's size, for every force-quarter and window (kpis/engine/loss.py).

Goals (issue 11): no cell of 100 or more withheld; under 5% of cells of 20 to 99. Also the
time disclosure control takes per force-quarter (all three windows), measured as CPU time.

The demo set is the one `make run` serves, in bench-out/pages.sqlite3 (bench_pages loads it;
this loads it too when it is missing, and the loaders skip what is already there).
"""

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import ROOT, environment, manage  # noqa: E402


def main() -> None:
    (ROOT / "bench-out").mkdir(exist_ok=True)
    for command in ("migrate", "load_reference_data", "create_demo_users", "load_demo_data"):
        manage(command, debug=True)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "disclosure_loss"],
        cwd=ROOT,
        env=environment(debug=True),
        check=True,
        capture_output=True,
        text=True,
    )
    report = [line for line in result.stdout.splitlines() if not line.startswith("Highs")]
    print("\n".join(report))
    print(f"computed in {time.perf_counter() - started:.1f} s (every window of every quarter)")


if __name__ == "__main__":
    main()
