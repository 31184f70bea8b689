"""Statistics behind the KPIs: Wilson intervals, rate ratios and SPC limits."""

import math

import pytest

from kpis.engine import stats


def test_wilson_interval_matches_the_textbook_example():
    low, high = stats.wilson_interval(3, 10)
    assert low == pytest.approx(0.1078, abs=1e-4) and high == pytest.approx(0.6032, abs=1e-4)
    assert stats.wilson_interval(0, 0) is None


def test_rate_ratio_has_a_katz_interval_around_the_ratio():
    ratio, low, high = stats.rate_ratio(10, 100, 20, 100)
    assert ratio == pytest.approx(0.5)
    assert low < 0.5 < high
    # se(ln RR) = sqrt(1/10 - 1/100 + 1/20 - 1/100) = 0.3606
    assert low == pytest.approx(0.2466, abs=1e-3) and high == pytest.approx(1.0137, abs=1e-3)


def test_rate_ratio_is_not_given_without_cases_or_reference_events():
    assert stats.rate_ratio(5, 0, 10, 100) is None
    assert stats.rate_ratio(5, 50, 0, 100) is None


def test_a_group_without_events_is_compared_with_half_an_event_added_to_each_count():
    # Haldane-Anscombe: (0.5 / 51) / (10.5 / 101), Katz interval on the corrected counts.
    ratio, low, high = stats.rate_ratio(0, 50, 10, 100)
    assert ratio == pytest.approx((0.5 / 51) / (10.5 / 101))
    se = math.sqrt(1 / 0.5 - 1 / 51 + 1 / 10.5 - 1 / 101)
    assert low == pytest.approx(ratio * math.exp(-stats.Z95 * se))
    assert high == pytest.approx(ratio * math.exp(stats.Z95 * se))


def test_p_chart_limits_narrow_as_the_denominator_grows():
    limits = stats.p_chart_limits([10, 20], [100, 400])
    (centre, low_small, high_small), (_, low_big, high_big) = limits
    assert centre == pytest.approx(30 / 500)
    assert high_small - low_small > high_big - low_big


def test_individuals_limits_need_three_points():
    assert stats.individuals_limits([1, 2]) is None
    centre, low, high = stats.individuals_limits([10, 12, 11, 13])
    assert centre == pytest.approx(11.5) and low < centre < high
