"""An attacker who solves for hidden cells exactly: integer linear programming over
everything a disclosure table shows.

Written apart from kpis/engine/disclosure.py, which it checks. The attacker reads every
shown cell; knows that a "<5" cell is 0 to threshold - 1, that a "withheld" cell is at
least the threshold (except where the window withholds cells whatever their size: a year
to date's), and that a cell no page shows (outcomes that were not a charge) is at least 0; and knows every sum that ties the cells together (rows, columns, totals, offence
groups, the cross-tab's margins, charges plus the rest making the outcomes). For each
small count (1 to threshold - 1) it works out the least and the most the count can be with
scipy.optimize.milp. A count is *pinned* when those are equal.
"""

from collections import defaultdict

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

CAP = 10**7  # "at least the threshold" has no upper end; the solver needs one


def ranges(table, hidden: dict, *, only_pinned: bool = False) -> dict:
    """The least and most each small count the page does not show can be, from what it
    shows: {cell: (least, most)}. ``hidden`` is what disclosure control withheld (flag
    "primary" reads "<5", "secondary" reads "withheld"); ``table.unshown`` is never shown.
    ``only_pinned``: a count found able to take another value gets (None, None) and no
    more work (pinned() only asks which are pinned)."""
    t = table.threshold
    unknown = {c for c in table.values if c in hidden or c in table.unshown}
    targets = [
        c for c in sorted(unknown, key=str) if 1 <= table.values[c] < t and c not in table.public
    ]
    result = {}
    for component in _components(table, unknown):
        cells = sorted(component, key=str)
        index = {c: i for i, c in enumerate(cells)}
        low = np.zeros(len(cells))
        high = np.full(len(cells), float(CAP))
        for c, i in index.items():
            if c in table.unshown or c in getattr(table, "any_size", ()):
                continue  # 0 or more: never shown, or withheld whatever its size
            if hidden[c] == "primary":
                high[i] = t - 1
            else:
                low[i] = t
        rows, rhs = [], []
        for parts, total in table.sums:
            members = [*parts, total]
            if not any(m in component for m in members):
                continue
            row = np.zeros(len(cells))
            constant = 0
            for m, sign in [(p, 1) for p in parts] + [(total, -1)]:
                if m in index:
                    row[index[m]] += sign
                else:
                    constant += sign * table.values[m]
            rows.append(row)
            rhs.append(-constant)
        if not rows:
            continue
        constraint = LinearConstraint(np.array(rows), rhs, rhs)
        for cell in cells:
            if cell not in targets or (only_pinned and cell in result):
                continue
            objective = np.zeros(len(cells))
            objective[index[cell]] = 1
            least, solution = _solve(objective, low, high, constraint)
            if only_pinned and least < table.values[cell]:
                # Any count this solution moves can take another value: not pinned.
                for other, i in index.items():
                    if other in targets and solution[i] != table.values[other]:
                        result.setdefault(other, (None, None))
                continue
            most = -_solve(-objective, low, high, constraint)[0]
            result[cell] = (least, most)
    return result


def pinned(table, hidden: dict) -> dict:
    """Small counts the attacker can work out exactly: {cell: value}."""
    found = ranges(table, hidden, only_pinned=True).items()
    return {cell: low for cell, (low, high) in found if low is not None and low == high}


def _solve(objective, low, high, constraint) -> tuple[float, np.ndarray]:
    result = milp(
        objective,
        integrality=np.ones(len(objective)),
        bounds=Bounds(low, high),
        constraints=constraint,
    )
    assert result.status == 0, result.message  # the true values are always a solution
    return round(result.fun), np.round(result.x)


def _components(table, unknown: set) -> list[set]:
    """Unknown cells grouped by the sums that tie them together."""
    parent = {c: c for c in unknown}

    def root(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for parts, total in table.sums:
        members = [m for m in (*parts, total) if m in unknown]
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    groups = defaultdict(set)
    for c in unknown:
        groups[root(c)].add(c)
    return list(groups.values())
