import datetime as dt

import pytest

from soteria.periods import Period, period_range


def test_q1_is_april_to_june():
    period = Period.parse("2024-25-q1")
    assert period.start == dt.date(2024, 4, 1)
    assert period.end == dt.date(2024, 6, 30)
    assert period.label == "2024/25 Q1"


def test_q4_falls_in_the_next_calendar_year():
    period = Period.parse("2024-25-q4")
    assert (period.start, period.end) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert Period.containing(dt.date(2025, 2, 14)) == period


@pytest.mark.parametrize("slug", ["2024-26-q1", "2024-25-q5", "24-25-q1", "", "2024/25 Q1"])
def test_it_rejects_malformed_periods(slug):
    with pytest.raises(ValueError):
        Period.parse(slug)


def test_trailing_and_range_are_oldest_first():
    last = Period.parse("2024-25-q2")
    trailing = last.trailing(8)
    assert [p.slug for p in trailing[:2]] == ["2022-23-q3", "2022-23-q4"]
    assert trailing[-1] == last
    assert period_range(trailing[0], last) == trailing
