"""Disclosure control: small counts hidden, and hidden so they cannot be worked back out.

Every count in a breakdown from 1 to threshold - 1 (settings.DISCLOSURE_THRESHOLD,
default 5) is *primary* suppressed and shown as "<5". That alone is not enough:
a hidden cell can be recovered by subtracting the cells that are shown from a
total that is shown, so further cells are *secondary* (complementary)
suppressed until no hidden cell can be pinned down.

The tables are described as cells and the sums that tie them together
(``parts`` add up to ``total``), across rows, columns, totals and offence
groups. An attacker is modelled as knowing every shown cell, that a "<5" cell
is between 1 and threshold - 1, and that a withheld cell is at least the
threshold; their bounds are tightened through every sum until nothing changes.
A hidden cell whose bounds close to one value is exposed, so another cell in
one of its sums is withheld (the smallest, to lose the least information),
and the check runs again.

Headline totals (a force's charge count for a quarter, which the Home Office
publishes) are *public*: never suppressed. A hidden cell that public totals
alone give away (charges minus charges where the victim supports) cannot be
protected by hiding other breakdown cells (nor can the one charge of a quarter
whose other groups are all 0); it is still shown as "<5".
"""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from math import inf

PRIMARY = "primary"
SECONDARY = "secondary"


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

    def add(self, key: Hashable, value: int, *, public: bool = False) -> None:
        self.values[key] = int(value)
        if public:
            self.public.add(key)

    def add_sum(self, parts: list[Hashable], total: Hashable) -> None:
        """Declare that the cells in ``parts`` add up to the cell ``total``."""
        parts = tuple(p for p in parts if p in self.values)
        if parts and total in self.values:
            self.sums.append((parts, total))


def protect(table: Table) -> dict[Hashable, str]:
    """The cells to hide, each marked primary or secondary."""
    hidden = {
        key: PRIMARY
        for key, value in table.values.items()
        if key not in table.public and 1 <= value < table.threshold
    }
    if not hidden:
        return hidden
    by_cell: dict[Hashable, list[int]] = defaultdict(list)
    for index, (parts, total) in enumerate(table.sums):
        for key in (*parts, total):
            by_cell[key].append(index)
    # Cells a public total gives away directly (every other cell of the sum public or 0).
    for parts, total in table.sums:
        cells = (*parts, total)
        open_cells = [c for c in cells if c not in table.public and table.values[c] != 0]
        if len(open_cells) == 1 and open_cells[0] in hidden:
            table.known.add(open_cells[0])
    # Only the hidden cells linked (through sums) to a newly hidden cell need checking again.
    dirty = set(hidden) - table.known
    for _ in range(len(table.values) + 1):
        exposed = exposed_cells(table, hidden, by_cell, only=_linked(table, hidden, by_cell, dirty))
        if not exposed:
            break
        dirty = set()
        around: dict[Hashable, set] = {}  # this round's widened searches (_complement_for)
        for key in exposed:
            candidate = _complement_for(table, hidden, by_cell, key, around)
            if candidate is not None:
                hidden[candidate] = SECONDARY
                dirty.add(candidate)
            else:
                # Nothing left to withhold around it: public totals give it away, whatever
                # else is hidden. Treat it as known so its neighbours are still protected.
                table.known.add(key)
                # Its hidden neighbours; the next round's _linked reaches the rest of them.
                dirty.update(
                    cell
                    for index in by_cell.get(key, ())
                    for cell in (*table.sums[index][0], table.sums[index][1])
                    if cell in hidden and cell not in table.known
                )
        if not dirty:
            break
    return hidden


def _linked(table: Table, hidden: dict, by_cell: dict, start: set) -> set:
    """The hidden cells connected to ``start`` through sums that hold hidden cells."""
    seen, todo = set(start), list(start)
    while todo:
        key = todo.pop()
        for index in by_cell.get(key, ()):
            parts, total = table.sums[index]
            for cell in (*parts, total):
                if cell in hidden and cell not in seen and cell not in table.known:
                    seen.add(cell)
                    todo.append(cell)
    return seen


def attacker_bounds(
    table: Table, hidden: dict[Hashable, str], by_cell: dict | None = None, only: set | None = None
) -> dict[Hashable, tuple[float, float]]:
    """What someone reading the shown cells can deduce about each hidden one (or each in
    ``only``, a set closed under the sums that link hidden cells)."""
    if by_cell is None:
        by_cell = defaultdict(list)
        for index, (parts, total) in enumerate(table.sums):
            for key in (*parts, total):
                by_cell[key].append(index)
    t = table.threshold
    cells = hidden if only is None else only
    active = [table.sums[i] for i in sorted({i for key in cells for i in by_cell.get(key, ())})]
    bounds: dict[Hashable, tuple[float, float]] = {}
    for key in {c for parts, total in active for c in (*parts, total)} | set(cells):
        value = table.values[key]
        if key not in hidden or key in table.known:
            bounds[key] = (value, value)
        elif hidden[key] == PRIMARY:
            bounds[key] = (1, t - 1)
        else:
            bounds[key] = (t, inf) if value >= t else (0, inf)
    for _ in range(50):
        changed = False
        for parts, total in active:
            lows = highs = 0
            for p in parts:
                low, high = bounds[p]
                lows += low
                highs += high
            if total in hidden and _tighten(bounds, total, lows, highs):
                changed = True
            t_low, t_high = bounds[total]
            for part in parts:
                if part not in hidden:
                    continue
                p_low, p_high = bounds[part]
                if _tighten(bounds, part, t_low - (highs - p_high), t_high - (lows - p_low)):
                    changed = True
                    n_low, n_high = bounds[part]
                    lows += n_low - p_low
                    highs += n_high - p_high
        if not changed:
            break
    return {key: bounds[key] for key in cells}


def exposed_cells(
    table: Table, hidden: dict[Hashable, str], by_cell: dict | None = None, only: set | None = None
) -> list[Hashable]:
    """Hidden cells whose value can be worked out exactly from what is shown.

    In a fixed order: which complements get withheld depends on the order exposed cells
    are handled, and a choice that varied between runs (with Python's hash seed) would
    let someone compare two runs' tables and work a hidden count out."""
    bounds = attacker_bounds(table, hidden, by_cell, only)
    exposed = [key for key, (low, high) in bounds.items() if low == high and key not in table.known]
    return sorted(exposed, key=str)


def _tighten(bounds: dict, key: Hashable, low: float, high: float) -> bool:
    old_low, old_high = bounds[key]
    new = (max(old_low, low), min(old_high, high))
    if new != (old_low, old_high) and new[0] <= new[1]:
        bounds[key] = new
        return True
    return False


def _complement_for(
    table: Table, hidden: dict[Hashable, str], by_cell: dict, key: Hashable, around=None
) -> Hashable | None:
    """The cell to withhold beside an exposed one: the smallest non-zero shown part of its
    sums, else a total that is not public."""
    # Sums with fewer hidden cells first (a row or column of the same table, before a sum
    # across tables), so the damage stays local; within them, the smallest cell.
    ranked = sorted(
        by_cell.get(key, ()),
        key=lambda i: sum(c in hidden for c in (*table.sums[i][0], table.sums[i][1])),
    )
    for index in ranked:
        pool = [c for c in table.sums[index][0] if _withholdable(table, hidden, c)]
        if pool:
            return _smallest(table, pool)
    totals = [table.sums[i][1] for i in ranked if _withholdable(table, hidden, table.sums[i][1])]
    if totals:
        return _smallest(table, totals)
    # Its own sums are exhausted: it is pinned through other hidden cells, so widen the
    # search to every sum touching the hidden cells it is linked to. The cells around a
    # linked group are worked out once a round (``around``, shared by the group's exposed
    # cells; a big cross-tab has hundreds): a group grown since then is searched afresh
    # before the cell is given up as known.
    around = {} if around is None else around
    for retry in (False, True):
        # Exact while nothing has been hidden since it was worked out (hidden only grows).
        hidden_then, cells = around.get(key, (None, None)) if not retry else (None, None)
        if cells is None:
            linked = _linked(table, hidden, by_cell, {key})
            cells = {
                cell
                for member in linked
                for index in by_cell.get(member, ())
                for cell in (*table.sums[index][0], table.sums[index][1])
            }
            hidden_then = len(hidden)
            for member in linked:
                around[member] = (hidden_then, cells)
        pool = [cell for cell in cells if _withholdable(table, hidden, cell)]
        if pool:
            return _smallest(table, pool)
        if hidden_then == len(hidden):
            return None
    return None


def _withholdable(table: Table, hidden: dict, cell: Hashable) -> bool:
    """Shown now, not public, not already given away, and not 0 (a 0 protects nothing)."""
    return (
        cell not in hidden
        and cell not in table.public
        and cell not in table.known
        and table.values[cell] > 0
    )


def _smallest(table: Table, pool) -> Hashable:
    """The cell that loses least when withheld; ties broken by key, the same on every run."""
    return min(pool, key=lambda cell: (table.values[cell], str(cell)))
