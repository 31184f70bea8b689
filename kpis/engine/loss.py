"""What disclosure control costs: the share of breakdown cells withheld, by the cell's size.

Disclosure control must hide the small counts and as little else as it can. This measures
the second part on real snapshot computations (every force-quarter of the given forces, for
the quarter and each window), counting the cells a reader would see in a breakdown: every
numerator and denominator of every row, for rape, other sexual offences and all RASSO. Not
counted: headline totals (public, never withheld), cells that are 0 (never withheld) and the
"rest" cells disclosure control uses internally (outcomes that were not a charge: shown
nowhere). A cell is "withheld" when it is hidden, whether as a small count or as a
complement. Goal (issue 11): no cell of 100 or more withheld, under 5% of cells of 20 to 99.

``manage.py disclosure_loss`` prints it; `make bench` runs it on the demo data.
"""

import time
from collections import Counter
from dataclasses import dataclass, field

from soteria.models import Force

from . import record_frames, record_kpis
from .snapshots import periods_with_data

SIZES = ("1-4", "5-19", "20-99", "100+")
GOALS = {"100+": 0.0, "20-99": 0.05}


def size_class(value: int, threshold: int) -> str:
    if value < threshold:
        return SIZES[0]
    if value < 20:
        return SIZES[1]
    return SIZES[2] if value < 100 else SIZES[3]


@dataclass
class Loss:
    """Cells counted and withheld, by window and size class."""

    cells: Counter = field(default_factory=Counter)
    withheld: Counter = field(default_factory=Counter)
    # Small counts that public totals give away whatever is withheld (still shown "<5").
    given_away: Counter = field(default_factory=Counter)
    tables: int = 0
    seconds: list = field(default_factory=list)  # CPU per force-quarter, every window

    def add(self, window: str, table, hidden: dict) -> None:
        self.tables += 1
        for cell, value in table.values.items():
            if value == 0 or cell in table.public or "-not-" in str(cell[1]):
                continue
            kind = "cross-tab" if "-by-" in str(cell[2]) else "breakdown"
            key = (f"{window} {kind}", size_class(value, table.threshold))
            self.cells[key] += 1
            if cell in hidden:
                self.withheld[key] += 1
            if cell in table.known:
                self.given_away[key] += 1

    def share(self, size: str, window: str | None = None) -> float | None:
        keys = [k for k in self.cells if k[1] == size and (window is None or k[0] == window)]
        total = sum(self.cells[k] for k in keys)
        return sum(self.withheld[k] for k in keys) / total if total else None

    def rows(self) -> list[tuple[str, str, int, int]]:
        """(window, size, cells, withheld), every window then all windows together."""
        windows = sorted({k[0] for k in self.cells})
        out = []
        for window in [*windows, None]:
            for size in SIZES:
                keys = [k for k in self.cells if k[1] == size and window in (None, k[0])]
                cells = sum(self.cells[k] for k in keys)
                withheld = sum(self.withheld[k] for k in keys)
                out.append((window or "all windows", size, cells, withheld))
        return out

    def report(self) -> str:
        lines = [f"{'window':<24} {'cell size':<9} {'cells':>7} {'withheld':>9} {'share':>7}  goal"]
        for window, size, cells, withheld in self.rows():
            if size == SIZES[0]:
                given = sum(
                    n for k, n in self.given_away.items() if window in ("all windows", k[0])
                )
                lines.append(f"{window:<24} small counts given away by public totals: {given}")
            share = f"{withheld / cells:7.1%}" if cells else "      -"
            goal = ""
            if window == "all windows" and size in GOALS and cells:
                met = withheld / cells <= GOALS[size]
                goal = (
                    f"{'<=' if GOALS[size] else ''}{GOALS[size]:.0%} {'met' if met else 'NOT met'}"
                )
            lines.append(f"{window:<24} {size:<9} {cells:>7} {withheld:>9} {share}  {goal}")
        if self.seconds:
            mean = sum(self.seconds) / len(self.seconds)
            lines.append(
                f"records KPIs with disclosure control, every window: {mean:.2f} s of CPU a "
                f"force-quarter on average, {max(self.seconds):.2f} s at most"
            )
        return "\n".join(lines)


def measure_loss(forces: list[Force]) -> Loss:
    """Disclosure control's loss over every quarter of these forces and every window."""
    loss = Loss()
    for force in forces:
        record_frames.force_frames(force=force)  # read once for all its quarters
        for period in periods_with_data(force=force):
            tables: dict = {}
            started = time.process_time()
            record_kpis.records_kpis(force=force, period=period, tables=tables)
            loss.seconds.append(time.process_time() - started)
            for window, (table, hidden) in tables.items():
                loss.add(window, table, hidden)
    return loss
