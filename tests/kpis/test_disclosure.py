"""Disclosure control: small counts hidden, and no hidden count recoverable from the rest.

Each protected table is checked by brute force: every assignment of the hidden
cells consistent with what is shown ("<5" means 1 to 4, "withheld" means 0 or at
least 5, and every sum holds) is enumerated, and each hidden cell must have more
than one possible value.
"""

from itertools import product

import pytest

from kpis.engine.disclosure import PRIMARY, SECONDARY, Table, protect
from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import KpiSnapshot
from soteria.periods import Period

from .attacker import pinned


def possible_values(table: Table, hidden: dict, limit: int = 40) -> dict:
    """Every value each hidden cell can take, given what is shown."""
    cells = sorted(hidden, key=str)

    def allowed(cell):
        if hidden[cell] == PRIMARY:
            return range(0, table.threshold)
        return [0, *range(table.threshold, limit + 1)]

    seen = {cell: set() for cell in cells}
    for values in product(*(allowed(c) for c in cells)):
        guess = {**table.values, **dict(zip(cells, values, strict=True))}
        if all(sum(guess[p] for p in parts) == guess[total] for parts, total in table.sums):
            for cell, value in zip(cells, values, strict=True):
                seen[cell].add(value)
    return seen


def assert_nothing_recoverable(table, hidden):
    for cell, values in possible_values(table, hidden).items():
        assert len(values) > 1, f"{cell} can be worked out: it must be {values}"


def row_table(values: dict[str, int], threshold: int = 5) -> Table:
    table = Table(threshold=threshold)
    for key, value in values.items():
        table.add(key, value)
    table.add("total", sum(values.values()), public=True)
    table.add_sum(list(values), "total")
    return table


def test_counts_from_1_to_4_are_hidden_and_0_and_5_are_shown():
    table = row_table({"a": 0, "b": 1, "c": 4, "d": 5, "e": 40})
    hidden = protect(table)
    assert hidden["b"] == PRIMARY and hidden["c"] == PRIMARY
    assert "a" not in hidden and "e" not in hidden


def test_a_lone_hidden_cell_gets_a_complement_so_the_total_does_not_give_it_away():
    table = row_table({"a": 3, "b": 10, "c": 20})
    hidden = protect(table)
    assert hidden == {"a": PRIMARY, "b": SECONDARY}
    assert_nothing_recoverable(table, hidden)


def test_two_ones_that_must_add_up_to_two_protect_each_other():
    # "<5" is 0 to 4 (a 0 may be withheld as "<5" too): a + b = 2 leaves a 0, 1 or 2.
    table = row_table({"a": 1, "b": 1, "c": 20})
    hidden = protect(table)
    assert hidden == {"a": PRIMARY, "b": PRIMARY}
    assert_nothing_recoverable(table, hidden)


def test_a_withheld_cell_too_close_to_the_threshold_does_not_pin_the_small_one():
    # a + b = 6 with b withheld (5 or more) and a "<5" (0 to 4): a is 0 or 1, b 5 or 6.
    # The smallest complement protects it; the larger ones are left shown.
    table = row_table({"a": 1, "b": 5, "c": 30, "d": 31})
    hidden = protect(table)
    assert_nothing_recoverable(table, hidden)
    assert hidden == {"a": PRIMARY, "b": SECONDARY}


def test_a_two_way_table_with_row_and_column_totals_leaves_nothing_recoverable():
    grid = {
        ("r1", "c1"): 2,
        ("r1", "c2"): 12,
        ("r2", "c1"): 9,
        ("r2", "c2"): 15,
        ("r3", "c1"): 7,
        ("r3", "c2"): 3,
    }
    table = Table(threshold=5)
    for key, value in grid.items():
        table.add(key, value)
    for r in ("r1", "r2", "r3"):
        table.add((r, "all"), grid[(r, "c1")] + grid[(r, "c2")])
        table.add_sum([(r, "c1"), (r, "c2")], (r, "all"))
    for c in ("c1", "c2"):
        table.add(("all", c), sum(v for k, v in grid.items() if k[1] == c), public=True)
        table.add_sum([(r, c) for r in ("r1", "r2", "r3")], ("all", c))
    table.add(("all", "all"), sum(grid.values()), public=True)
    table.add_sum([("r1", "all"), ("r2", "all"), ("r3", "all")], ("all", "all"))
    hidden = protect(table)
    assert hidden[("r1", "c1")] == PRIMARY and hidden[("r3", "c2")] == PRIMARY
    assert pinned(table, hidden) == {}
    assert_nothing_recoverable(table, hidden)


def test_public_totals_are_never_hidden_and_a_0_shown_as_less_than_5_protects_instead():
    table = row_table({"a": 1, "b": 0})  # shown as 0, b would give a away (total - 0)
    hidden = protect(table)
    assert "total" not in hidden
    assert hidden == {"a": PRIMARY, "b": PRIMARY}  # both read "<5": a is 0 or 1
    assert_nothing_recoverable(table, hidden)


def test_a_count_the_public_totals_give_away_is_named_as_given_away():
    table = row_table({"a": 1})  # the total is the count itself
    hidden = protect(table)
    assert hidden == {"a": PRIMARY}
    assert table.known == {"a"}


def test_the_threshold_is_configurable():
    table = row_table({"a": 7, "b": 30, "c": 40}, threshold=10)
    hidden = protect(table)
    assert hidden["a"] == PRIMARY and hidden["b"] == SECONDARY


@pytest.fixture
def small_force(force_a, force_b):
    """A small synthetic force: plenty of counts under 5 in every breakdown."""
    add_synthetic_records(forces=[force_a, force_b], records=3000, seed=7)
    return force_a


def test_no_snapshot_breakdown_shows_a_count_under_the_threshold(small_force, settings):
    period = Period.parse("2024-25-q1")
    compute_snapshots(force=small_force, period=period)
    snapshots = list(KpiSnapshot.objects.filter(force=small_force, period=period.slug))
    assert snapshots
    suppressed = 0
    for snapshot in snapshots:
        for breakdown in snapshot.breakdowns:
            if breakdown["public"]:
                continue
            for row in breakdown["rows"]:
                for field in ("numerator", "denominator"):
                    value = row[field]
                    if field == "denominator" and breakdown["kind"] == "count":
                        continue  # the table total, a public headline
                    assert value is None or value == 0 or value >= settings.DISCLOSURE_THRESHOLD, (
                        snapshot.kpi.slug,
                        breakdown["dimension"],
                        row,
                    )
                suppressed += bool(row["suppressed"])
                if row["suppressed"]:
                    assert row["value"] is None and row["ci_low"] is None
    assert suppressed > 10  # the crafted force really does have small counts


def test_the_cells_withheld_do_not_change_from_one_run_to_the_next():
    """Two runs that withheld different complements could be compared to recover a count."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    outputs = {
        subprocess.run(
            [sys.executable, "-m", "tests.kpis.disclosure_tables"],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (0, 1, 2)
    }
    assert len(outputs) == 1
    assert '"secondary"' in outputs.pop()
