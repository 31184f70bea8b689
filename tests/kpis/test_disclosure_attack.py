"""Disclosure control attacked: an integer linear program (tests/kpis/attacker.py) works
out the least and most each hidden small count can be from everything a force-quarter
shows, for the quarter, the rolling year and the financial year to date, on crafted small
forces. No small count may be pinned to one value, except one that the Home Office's
published totals give away whatever else is withheld (checked by attacking a table with
every other cell withheld): that one reads "<5" and is named as given away."""

import pytest

from kpis.engine import record_kpis
from kpis.engine.windows import QUARTER, ROLLING_YEAR, YEAR_TO_DATE
from kpis.imports.synthetic import add_synthetic_records
from soteria.periods import Period

from .attacker import pinned

WINDOWS = (QUARTER, ROLLING_YEAR, YEAR_TO_DATE)


def given_away_whatever_is_withheld(table) -> set:
    """Small counts the attacker pins even when every cell but the published totals is
    withheld ("<5" for those under the threshold, 0 included; "withheld" for the rest): the
    published totals and the labels themselves give them away."""
    everything = {
        c: "primary" if table.values[c] < table.threshold else "secondary"
        for c in table.values
        if c not in table.public and c not in table.unshown
    }
    return set(pinned(table, everything))


def attack(force, period: Period) -> dict:
    """Every window's tables for the force-quarter, attacked: {window: (table, hidden,
    pinned)}."""
    tables: dict = {}
    record_kpis.records_kpis(force=force, period=period, tables=tables)
    assert set(tables) == set(WINDOWS)
    return {
        window: (table, hidden, pinned(table, hidden)) for window, (table, hidden) in tables.items()
    }


@pytest.fixture
def small_forces(force_a, force_b):
    """Two small crafted forces: a few hundred records a year each, most groups under 5."""
    add_synthetic_records(forces=[force_a, force_b], records=3000, seed=7, optional=True)
    return force_a, force_b


@pytest.mark.parametrize("quarter", ["2022-23-q2", "2024-25-q1", "2025-26-q3"])
def test_no_small_count_of_a_small_force_can_be_worked_out_in_any_window(small_forces, quarter):
    force, _ = small_forces
    checked = 0
    for window, (table, hidden, found) in attack(force, Period.parse(quarter)).items():
        small = [c for c in hidden if 1 <= table.values[c] < table.threshold]
        checked += len(small)
        if found:
            unavoidable = given_away_whatever_is_withheld(table)
            for cell, value in found.items():
                assert cell in table.known, (window, cell, value)  # named as given away
                if cell not in table.any_size:
                    assert cell in unavoidable, (window, cell, value)
                # else a year to date's, given away by its quarters' public totals
                # (test_disclosure_across_windows attacks them together)
    assert checked > 50  # the crafted force really has small counts in every window


def test_a_tiny_force_with_a_handful_of_charges_a_year(force_a, force_b):
    """A force with about 150 records a year: nearly every count is under 5."""
    add_synthetic_records(forces=[force_a, force_b], records=1200, seed=11)
    for window, (table, hidden, found) in attack(force_a, Period.parse("2024-25-q3")).items():
        assert sum(1 for c in hidden if 1 <= table.values[c] < 5) > 10, window
        unavoidable = given_away_whatever_is_withheld(table) if found else set()
        for cell, value in found.items():
            assert cell in unavoidable, (window, cell, value)


def test_the_attacker_is_not_blind():
    """A "<5" with nothing else withheld in its row is pinned by the total; with a
    complement it is not; across two offence groups, a count under 5 whose other group's
    total is 1 and whose all-RASSO cell is withheld (5 or more) is pinned."""
    from kpis.engine.disclosure import PRIMARY, SECONDARY, Table

    table = Table(threshold=5)
    for key, value in {"a": 1, "b": 5, "c": 30}.items():
        table.add(key, value)
    table.add("total", 36, public=True)
    table.add_sum(["a", "b", "c"], "total")
    assert pinned(table, {"a": PRIMARY}) == {"a": 1}
    assert pinned(table, {"a": PRIMARY, "b": SECONDARY}) == {}  # a is 0 or 1

    table = Table(threshold=5)
    for key, value in {"r": 1, "o": 4, "all": 5}.items():
        table.add(key, value)
    table.add("r-total", 1, public=True)
    table.add_sum(["r"], "r-total")
    table.add_sum(["r", "o"], "all")
    assert pinned(table, {"r": PRIMARY, "o": PRIMARY, "all": SECONDARY}) == {"r": 1, "o": 4}
