"""Disclosure control: small counts hidden, and hidden so they cannot be worked back out.

Every count in a breakdown from 1 to threshold - 1 (settings.DISCLOSURE_THRESHOLD,
default 5) is *primary* suppressed and shown as "<5". That alone is not enough: a hidden
cell can be recovered by subtracting the shown cells from a shown total, so further cells
are *secondary* (complementary) suppressed, "withheld", until no small count can be
worked out. The rationale, and what is not covered yet, are in docs/kpi-engine.md.

A table is cells and the sums that tie them (``parts`` add up to ``total``): rows,
columns, totals and offence groups. Cells no page shows (``unshown``: a group's outcomes
that were not a charge) are unknowns to an attacker, who knows every shown cell, that
"<5" is 0 to threshold - 1 (a 0 may be withheld as "<5" where that protects a count),
that "withheld" is the threshold or more, and every sum. A small count is protected when
that attacker cannot pin it to one value.

``protect`` takes the small counts one at a time, in a fixed order, and asks an integer
program (``_complements``, scipy.optimize.milp) for the cheapest shown cells to withhold so
that the count can move by one with every sum and every label still true: cells of 100 or
more only when nothing smaller does, then cells of 20 to 99; nothing at all when it can
move already. Withholding more never undoes a protection, so one pass is enough, and the
cells chosen are the same on every run.

Headline totals the Home Office publishes (a force's charges in a quarter) are *public*:
never withheld. A small count that they give away whatever else is withheld is still shown
"<5" and marked given away (``Table.known``). A second pass (``decided``, ``settled``)
protects a table built on another, the cross-tab on the breakdowns it adds up to, keeping
the first pass's choices unless nothing else protects a count.

Tests: tests/kpis/test_disclosure.py checks crafted tables by enumeration, and
tests/kpis/test_disclosure_attack.py attacks whole force-quarters with an integer linear
program written apart from this module.
"""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np

PRIMARY = "primary"
SECONDARY = "secondary"
# How many sums out from a small count its complements are looked for: two reach the
# corners of every rectangle through it (a row, a column, and the cells where they cross).
RADIUS = 3
FAR = 6
LARGE = 100  # a cell this big is withheld only when nothing smaller protects a count
UNSHOWN = "unshown"  # never displayed: an unknown to the attacker, never returned as hidden


@dataclass
class Table:
    """Counts and the sums between them, to be protected together."""

    threshold: int
    values: dict[Hashable, int] = field(default_factory=dict)
    public: set[Hashable] = field(default_factory=set)
    sums: list[tuple[tuple[Hashable, ...], Hashable]] = field(default_factory=list)
    # Hidden cells that public totals give away whatever else is hidden: shown "<5" all the
    # same, but treated as known when protecting the others (set by ``protect``).
    known: set[Hashable] = field(default_factory=set)
    # Cells no page shows (outcomes that were not a charge): unknowns, never withheld as a
    # complement (hiding them protects nothing), still protected when small.
    unshown: set[Hashable] = field(default_factory=set)
    # Cells an earlier pass showed (protect_in_two_passes): kept shown unless a small count
    # cannot be protected any other way.
    settled: set[Hashable] = field(default_factory=set)
    # Hidden cells that read "withheld" whatever their size, 0 or more to an attacker: a
    # year to date's (record_disclosure.shown_by_quarters).
    any_size: set[Hashable] = field(default_factory=set)

    def add(self, key: Hashable, value: int, *, public: bool = False, shown: bool = True) -> None:
        self.values[key] = int(value)
        if public:
            self.public.add(key)
        if not shown:
            self.unshown.add(key)

    def small(self, key: Hashable) -> bool:
        """A count that must not be narrowed down: 1 to threshold - 1, not public."""
        return key not in self.public and 1 <= self.values[key] < self.threshold

    def add_sum(self, parts: list[Hashable], total: Hashable) -> None:
        """Declare that the cells in ``parts`` add up to the cell ``total``."""
        parts = tuple(p for p in parts if p in self.values)
        if parts and total in self.values:
            self.sums.append((parts, total))


def protect(table: Table, decided: dict[Hashable, str] | None = None) -> dict[Hashable, str]:
    """The cells to hide, each marked primary or secondary.

    ``decided``: cells hidden by an earlier pass, hidden again as they were; every other
    cell that pass saw (given in ``table.public`` by the caller) stays shown.

    Each small count in turn (in a fixed order) is given the cheapest set of further cells
    to withhold that lets it move by one while every sum still holds and every cell stays
    within what is shown of it (``_complements``). Withholding more only ever widens what
    an attacker must allow, so a count protected early stays protected."""
    hidden: dict[Hashable, str] = {key: UNSHOWN for key in table.unshown}
    hidden.update(decided or {})
    hidden.update(
        {
            key: PRIMARY
            for key in table.values
            if key not in table.unshown and key not in hidden and table.small(key)
        }
    )
    sensitive = sorted((key for key in hidden if table.small(key)), key=str)
    if not sensitive:
        return _shown_hidden(hidden)
    # A sum of cells never shown (outcomes that were not a charge, by group, adding up to
    # the same for all groups) follows from the sums of the charges and outcomes it is the
    # difference of; left out here, never shown cells are a slack in one sum each (charges
    # plus the rest are the outcomes), which keeps each search small.
    by_cell: dict[Hashable, list[int]] = defaultdict(list)
    for index, (parts, total) in enumerate(table.sums):
        if total in table.unshown:
            continue
        for key in (*parts, total):
            by_cell[key].append(index)
    protected: set[Hashable] = set()
    for key in sensitive:
        if key in table.known or key in protected:
            continue
        if _given_away(table, hidden, by_cell, key):
            table.known.add(key)
            continue
        found = _complements(table, hidden, by_cell, key, RADIUS)
        if found is None or any(table.values[c] >= LARGE for c in found[0]):
            # A longer chain of hidden cells may let it move (a sparse cross-tab), or move
            # without a large cell: look further out once, and then, as a last resort, at
            # cells an earlier pass showed.
            further = _complements(table, hidden, by_cell, key, FAR)
            if further is not None and (
                found is None or _total_cost(table, further) < _total_cost(table, found)
            ):
                found = further
        if found is None and table.settled:
            found = _complements(table, hidden, by_cell, key, FAR, unsettle=True)
        if found is None:
            # Nothing withheld near it lets it move: public totals give it away. It still
            # reads "<5"; the cells protected after it treat it as known.
            table.known.add(key)
            continue
        complements, moved = found
        for cell in complements:
            # A 0 withheld reads "<5" like the small counts, and is told apart from them
            # by no one; any other is "withheld", at least the threshold.
            hidden[cell] = PRIMARY if table.values[cell] == 0 else SECONDARY
        # Every cell the change moved can take another value too: protected already (and
        # withholding more later never undoes that).
        protected |= moved
    return _shown_hidden(hidden)


def _shown_hidden(hidden: dict[Hashable, str]) -> dict[Hashable, str]:
    return {key: flag for key, flag in hidden.items() if flag != UNSHOWN}


def _given_away(table: Table, hidden: dict, by_cell: dict, key: Hashable) -> bool:
    """Pinned by a sum whose other cells are all fixed for good (public or already given
    away): nothing withheld anywhere can protect it."""
    for index in by_cell.get(key, ()):
        parts, total = table.sums[index]
        if all(c in table.public or c in table.known for c in (*parts, total) if c != key):
            return True
    return False


def _fixed(table: Table, hidden: dict, cell: Hashable, unsettle: bool = False) -> bool:
    """Known to everyone for good: public or given away; or shown by an earlier pass
    (unless ``unsettle``)."""
    return cell in table.public or (cell in table.settled and not unsettle) or cell in table.known


def _total_cost(table: Table, found: tuple) -> float:
    return sum(_cost(table.values[c]) for c in found[0])


def _cost(value: int) -> float:
    """What withholding a count loses: its size (a 0 shown as "<5" as much as a 1), and far
    more from 20 and from 100, so that small cells are withheld before one of 20 to 99, and
    those before one of 100 or more."""
    return max(value, 1) + (10_000 if value >= LARGE else 100 if value >= 20 else 0)


def _complements(
    table: Table,
    hidden: dict[Hashable, str],
    by_cell: dict,
    key: Hashable,
    radius: int,
    unsettle: bool = False,
) -> tuple[list[Hashable], set] | None:
    """The cheapest shown cells to withhold so that ``key`` is not pinned: an integer change
    of +1 or -1 to it, balanced by changes to hidden cells (and to the cells chosen) within
    ``radius`` sums of it, keeps every sum and every cell's shown bounds. Returns the cells
    to withhold (none when it can move already) and every cell the change moves; None when
    nothing near it can be withheld to let it move.

    A mixed-integer program (scipy.optimize.milp, HiGHS): for each cell ``c`` a change
    ``d_c``, and for each shown cell that could be withheld a choice ``z_c``; every sum of
    changes is 0; a hidden cell's change keeps it in its bounds ("<5": 0 to threshold - 1,
    withheld: threshold or more, never shown: 0 or more); a shown cell changes only if
    chosen (then it is withheld: threshold or more); cost is the sum of _cost over those
    chosen. One program for both directions (a 0/1 choice ``u``, ``d_key = 2u - 1``), a
    little dearer down than up: one solve where a program per direction took two."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # 2 s to import: when needed

    near = _near(table, hidden, by_cell, key, radius, unsettle)
    sums = sorted({i for cell in near for i in by_cell.get(cell, ())})
    if not sums:
        return [], {key}  # in no sum: nothing shown says more of it than "<5"
    cells = sorted({c for i in sums for c in (*table.sums[i][0], table.sums[i][1])}, key=str)
    index = {cell: i for i, cell in enumerate(cells)}
    choosable = [
        c for c in cells if c in near and c not in hidden and not _fixed(table, hidden, c, unsettle)
    ]
    chosen_from = set(choosable)
    n, m = len(cells), len(choosable)
    t = table.threshold
    big = max(table.values[c] for c in cells) + t
    low, high = np.zeros(n + m + 1), np.zeros(n + m + 1)
    for i, cell in enumerate(cells):
        value, flag = table.values[cell], hidden.get(cell)
        if cell not in near or _fixed(table, hidden, cell, unsettle) or cell in chosen_from:
            continue  # 0, or (chosen) bounded by the rows below
        if flag == PRIMARY:
            low[i], high[i] = -value, t - 1 - value
        elif flag == UNSHOWN:
            low[i], high[i] = -value, big
        else:
            low[i], high[i] = min(0, t - value), big
    for j, cell in enumerate(choosable):
        i = index[cell]
        low[i], high[i] = -big, big
        low[n + j], high[n + j] = 0, 1
    rows, lows, highs = [], [], []
    for i in sums:
        parts, total = table.sums[i]
        row = np.zeros(n + m + 1)
        for part in parts:
            row[index[part]] += 1
        row[index[total]] -= 1
        rows.append(row)
        lows.append(0)
        highs.append(0)
    for j, cell in enumerate(choosable):
        i, value = index[cell], table.values[cell]
        if value == 0:  # a 0 withheld reads "<5": 0 to t - 1
            low[i], ceiling = 0, t - 1
        else:  # d >= -(value - t) z: withheld, it is still t or more
            row = np.zeros(n + m + 1)
            row[i], row[n + j] = 1, value - t
            rows.append(row)
            lows.append(0)
            highs.append(np.inf)
            ceiling = big
        row = np.zeros(n + m + 1)  # d <= ceiling z: unchanged unless withheld
        row[i], row[n + j] = 1, -ceiling
        rows.append(row)
        lows.append(-np.inf)
        highs.append(0)
    k = index[key]
    if not (low[k] <= 1 <= high[k] or low[k] <= -1 <= high[k]):
        return None
    # The change to ``key`` is +1 or -1, one program for both: d_key = 2 u - 1 with u a 0/1
    # choice. Costs are doubled and going down costs one more, so that of two equally cheap
    # ways the one up wins (integer costs: HiGHS stays exact).
    low[k], high[k] = max(low[k], -1), min(high[k], 1)
    row = np.zeros(n + m + 1)
    row[k], row[n + m] = 1, -2
    rows.append(row)
    lows.append(-1)
    highs.append(-1)
    low[n + m], high[n + m] = 0, 1
    cost = np.concatenate([np.zeros(n), [2 * _cost(table.values[c]) for c in choosable], [-1]])
    result = milp(
        cost,
        integrality=np.ones(n + m + 1),
        bounds=Bounds(low, high),
        constraints=LinearConstraint(np.array(rows), lows, highs),
    )
    if result.status != 0:
        return None
    chosen = [c for j, c in enumerate(choosable) if result.x[n + j] > 0.5]
    moved = {c for i, c in enumerate(cells) if abs(result.x[i]) > 0.5}
    return chosen, moved


def _near(
    table: Table, hidden: dict, by_cell: dict, key: Hashable, radius: int, unsettle: bool
) -> set:
    """The cells within ``radius`` sums of ``key``, through cells that can change."""
    near, frontier = {key}, [key]
    for _ in range(radius):
        step = []
        for cell in frontier:
            for i in by_cell.get(cell, ()):
                for other in (*table.sums[i][0], table.sums[i][1]):
                    if other not in near and not _fixed(table, hidden, other, unsettle):
                        near.add(other)
                        step.append(other)
        frontier = step
    return near
