"""Disclosure control across windows: a year to date beside its quarters.

A year to date is its quarters added up, so one to date beside the one a quarter earlier
gives that quarter away by subtraction. The attacker (tests/kpis/attacker.py, written apart
from the engine) is given every table of a financial year's first three quarters (each
quarter, and each year to date), tied together by those sums, and solves for every hidden
small count. None may be pinned unless its own table already names it as given away.

Not covered here, because it is not built: a rolling year beside its quarters (the same
kind of sum over four quarters, docs/kpi-engine.md says what that would take).
"""

import io

import pandas as pd
import pytest
from django.urls import reverse

from kpis.engine import record_kpis, windows
from kpis.engine.disclosure import Table
from kpis.engine.snapshots import compute_snapshots
from kpis.engine.windows import QUARTER, YEAR_TO_DATE
from kpis.imports.synthetic import add_synthetic_records
from soteria.periods import Period

from .attacker import pinned

pytestmark = pytest.mark.django_db
THIRD = Period.parse("2025-26-q3")
YEAR = THIRD.trailing(3)


def financial_year(force) -> tuple[Table, dict, set]:
    """Every table of the year's first three quarters as one: each cell named by its
    quarter and window, the year to date's cells tied to the same cell of each quarter.
    Returns the table, what was hidden, and the cells their own tables call given away."""
    joined, hidden, given_away = Table(threshold=5), {}, set()
    for quarter in YEAR:
        tables: dict = {}
        record_kpis.records_kpis(force=force, period=quarter, tables=tables)
        for kind in (QUARTER, YEAR_TO_DATE):
            table, withheld = tables[kind]
            name = (quarter.slug, kind)
            for cell, value in table.values.items():
                joined.add(
                    (*name, *cell),
                    value,
                    public=cell in table.public,
                    shown=cell not in table.unshown,
                )
            joined.sums += [
                (tuple((*name, *p) for p in parts), (*name, *total)) for parts, total in table.sums
            ]
            hidden.update({(*name, *cell): flag for cell, flag in withheld.items()})
            given_away |= {(*name, *cell) for cell in table.known}
            joined.any_size |= {(*name, *cell) for cell in table.any_size}
    for quarter in YEAR:
        for cell in [c for c in joined.values if c[:2] == (quarter.slug, YEAR_TO_DATE)]:
            parts = [(q.slug, QUARTER, *cell[2:]) for q in quarter.trailing(quarter.quarter)]
            joined.add_sum([p for p in parts if p in joined.values], cell)
    return joined, hidden, given_away


@pytest.fixture
def small_force(force_a, force_b):
    """A small crafted force: a few hundred records a year, most groups under 5."""
    add_synthetic_records(forces=[force_a, force_b], records=3000, seed=7, optional=True)
    return force_a


def test_no_years_to_date_beside_their_quarters_give_a_small_count_away(small_force):
    table, hidden, given_away = financial_year(small_force)
    small = [c for c in hidden if 1 <= table.values[c] < 5]
    assert len(small) > 100  # the crafted force really has small counts to work out
    found = pinned(table, hidden)
    assert set(found) <= given_away, {c: v for c, v in found.items() if c not in given_away}


def test_years_to_date_protected_on_their_own_gave_quarters_away(small_force, monkeypatch):
    """The attacker is not blind to the sums across windows: with each year to date
    protected on its own table, as before, it works out quarters' small counts."""
    monkeypatch.setattr(windows, "is_added_up", lambda window: False)
    table, hidden, given_away = financial_year(small_force)
    found = pinned(table, hidden)
    assert [c for c in found if c not in given_away and c[1] == QUARTER]


def drilldown_csv(client, force, period: Period, window: str) -> pd.DataFrame:
    """The charge rate drill-down's CSV over the window, as a reader downloads it."""
    url = reverse("kpis:kpi-download", args=[force.slug, "charge-rate", "csv"])
    response = client.get(url, {"period": period.slug, "offence": "all", "window": window})
    assert response.status_code == 200
    return pd.read_csv(io.StringIO(response.content.decode()), dtype=str, keep_default_na=False)


def test_the_year_to_date_download_shows_only_what_its_quarters_downloads_add_up_to(
    small_force, alice_client
):
    """Read back through the CSV a reader downloads: each breakdown cell the year to date
    shows is the sum of that cell in its quarters' downloads, and a cell hidden in any of
    them is withheld in the year to date."""
    for quarter in YEAR:
        compute_snapshots(force=small_force, period=quarter)
    quarters = [cells(drilldown_csv(alice_client, small_force, q, QUARTER)) for q in YEAR]
    to_date = cells(drilldown_csv(alice_client, small_force, THIRD, YEAR_TO_DATE))
    assert len(to_date) > 40
    shown = withheld = 0
    for key, (value, flag) in to_date.items():
        parts = [quarter.get(key, (0, "")) for quarter in quarters]  # absent: none in it
        if any(part_flag for _, part_flag in parts):
            assert flag == "secondary" and value == "", (key, parts)
            withheld += 1
        elif not flag:
            assert int(value) == sum(int(part) for part, _ in parts), (key, parts)
            shown += 1
    assert shown > 10 and withheld > 10  # both kinds of cell were checked
    # The drill-down says why the year to date withholds what it does, and only there.
    page = reverse("kpis:kpi-detail", args=[small_force.slug, "charge-rate"])
    for window, said in ((YEAR_TO_DATE, True), (windows.ROLLING_YEAR, False)):
        body = alice_client.get(page, {"period": THIRD.slug, "window": window}).content.decode()
        assert ('id="added-up-note"' in body) is said, window


def cells(download: pd.DataFrame) -> dict:
    """The breakdowns' counts: {(table, group, "numerator" or "denominator"): (value, flag)}."""
    rows = download[download["table"].str.startswith("breakdown-")]
    return {
        (row["table"], row["group"], part): (row[part], row[f"{part}_suppressed"])
        for _, row in rows.iterrows()
        for part in ("numerator", "denominator")
    }
