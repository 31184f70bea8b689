"""What the windows give away together: how many of the demo's quarterly "<5" counts an
attacker pins by setting the rolling years and years to date beside the quarters.

A year to date (before its fourth quarter) shows only what its quarters show; a rolling
year is still protected on its own table (docs/kpi-engine.md, "Not yet"). This measures
what each leaves open, the windows of each kind set beside the quarters apart and together. For every cell of an additive count (charges and
outcomes by offence group, dimension and group) of both demo forces, the attacker knows
every value shown; a count shown "<5" is 0 to 4, one withheld is at least 5; and a rolling
year is its four quarters added, a year to date its quarters since April. Sums within a
table are left out, so the figures are a floor on what can be pinned. An integer program
(scipy.optimize.milp) gives the least and most each hidden count of 1 to 4 can be.

The demo set is bench-out/pages.sqlite3, as bench_disclosure loads it.
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pages import ROOT, environment, manage  # noqa: E402

ADDITIVE = {"charges", "outcomes"}
SHORT = "year to date of one to three quarters"


def main() -> None:
    (ROOT / "bench-out").mkdir(exist_ok=True)
    for command in ("migrate", "load_reference_data", "create_demo_users", "load_demo_data"):
        manage(command, debug=True)
    result = subprocess.run(
        [sys.executable, __file__, "--measure"],
        cwd=ROOT,
        env=environment(debug=True),
        check=True,
        capture_output=True,
        text=True,
    )
    print("\n".join(line for line in result.stdout.splitlines() if not line.startswith("Highs")))


def equations(
    data: dict, key: tuple, periods: list, windows, kinds: tuple
) -> list[tuple[list[int], int]]:
    """The shown values of ``key`` in windows of ``kinds``: (the quarters it adds up, its
    value)."""
    found = []
    for (kind, i), (table, hidden) in data.items():
        if kind == windows.YEAR_TO_DATE and periods[i].quarter < 4:
            kind = SHORT  # a year to date that is not also a rolling year
        if kind not in kinds or key not in table.values or key in hidden:
            continue
        if kind == windows.ROLLING_YEAR:
            first = i - 3
        else:
            first = i - periods[i].quarter + 1
        if first >= 0:  # a window reaching before the first quarter: not modelled
            found.append((list(range(first, i + 1)), table.values[key]))
    return found


def measure() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soteria.settings")
    django.setup()
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    from kpis.engine import record_frames, record_kpis, windows
    from kpis.engine.snapshots import periods_with_data
    from soteria.models import Force

    every = (windows.ROLLING_YEAR, windows.YEAR_TO_DATE, SHORT)
    sets = {
        "rolling years": every[:1],
        "years to date of one to three quarters": every[2:],
        "years to date": every[1:],
        "rolling years and years to date": every,
    }
    small = 0
    pinned, narrowed = dict.fromkeys(sets, 0), dict.fromkeys(sets, 0)
    for slug in ("avon-and-somerset", "staffordshire"):
        force = Force.objects.get(slug=slug)
        periods = sorted(periods_with_data(force=force))
        record_frames.force_frames(force=force)  # read once for all its quarters
        data = {}
        for i, period in enumerate(periods):
            tables = {}
            record_kpis.records_kpis(force=force, period=period, tables=tables)
            data.update({(kind, i): controlled for kind, controlled in tables.items()})
        threshold = data[(windows.QUARTER, 0)][0].threshold
        keys = {
            cell
            for table, _ in data.values()
            for cell in table.values
            if len(cell) == 4 and cell[1] in ADDITIVE
        }
        for key in sorted(keys, key=str):
            n = len(periods)
            low, high, targets = np.zeros(n), np.full(n, np.inf), []
            for i in range(n):
                table, hidden = data[(windows.QUARTER, i)]
                value = table.values.get(key)
                if value is None or key not in hidden:
                    low[i] = high[i] = value or 0
                elif value < threshold:
                    high[i] = threshold - 1
                    targets += [i] if value else []
                else:
                    low[i] = threshold
            small += len(targets)
            for name, kinds in sets.items():
                shown = equations(data, key, periods, windows, kinds)
                if not shown:
                    continue
                matrix = np.zeros((len(shown), n))
                for row, (quarters, _) in enumerate(shown):
                    matrix[row, quarters] = 1
                values = [value for _, value in shown]
                constraint = LinearConstraint(matrix, values, values)
                for i in targets:
                    objective = np.zeros(n)
                    objective[i] = 1
                    ends = []
                    for sign in (1, -1):
                        found = milp(
                            sign * objective,
                            constraints=constraint,
                            integrality=np.ones(n),
                            bounds=Bounds(low, high),
                        )
                        ends.append(round(sign * found.fun))
                    pinned[name] += ends[0] == ends[1]
                    narrowed[name] += 0 < ends[1] - ends[0] < threshold - 1
    print(
        f"quarterly counts of 1 to 4 shown '<5' (charges and outcomes by group, both demo "
        f"forces, every quarter): {small}"
    )
    for name in sets:
        print(
            f"  beside the {name}: pinned to one value {pinned[name]} "
            f"({pinned[name] / small:.0%}), narrowed to 2 to 4 values {narrowed[name]} "
            "(goal: none of either)"
        )


if __name__ == "__main__":
    measure() if "--measure" in sys.argv else main()
