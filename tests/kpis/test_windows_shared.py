"""A fourth quarter's financial year to date is its rolling year (the same four quarters): its
measures are computed and protected once and shared, and they are those the year to date
gets when computed on its own. Its label is still its own."""

from dataclasses import asdict

import pytest

from kpis.engine import record_frames, record_kpis, windows
from kpis.imports.synthetic import add_synthetic_records
from soteria.periods import Period

pytestmark = pytest.mark.django_db
Q4 = Period(Period.latest_complete().year - 1, 4)


def measures_of(force, *, only=None, monkeypatch=None):
    if only is not None:
        monkeypatch.setattr(windows, "windows_for", lambda period: [windows.Window(only, period)])
    frames = record_frames.force_frames(force=force)
    params = record_kpis.params()
    return windows.window_measures(
        frames, Q4, params, finish=lambda m: record_kpis.finish_measures(m, params)
    )


def test_the_fourth_quarters_year_to_date_is_its_rolling_year_computed_once(force_a, monkeypatch):
    add_synthetic_records(
        forces=[force_a], records=600, seed=4, first_day=Q4.shift(-4).start, extract_day=Q4.end
    )
    shared = measures_of(force_a)
    rolling, year_to_date = shared[windows.ROLLING_YEAR], shared[windows.YEAR_TO_DATE]
    assert year_to_date[0].quarters == rolling[0].quarters
    assert year_to_date[1] is rolling[1]  # one computation, shared

    alone = measures_of(force_a, only=windows.YEAR_TO_DATE, monkeypatch=monkeypatch)

    assert {k: asdict(m) for k, m in year_to_date[1].items()} == {
        k: asdict(m) for k, m in alone[windows.YEAR_TO_DATE][1].items()
    }
    measure = year_to_date[1][("charge-rate", "all")]
    assert windows.headline(year_to_date[0], measure)["label"].startswith(Q4.financial_year)
    assert windows.headline(rolling[0], measure)["label"].startswith("12 months to")
