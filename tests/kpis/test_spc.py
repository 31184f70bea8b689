"""SPC as NHS "Making Data Count" does it: XmR limits, step changes and special causes,
checked on crafted series whose limits are worked out by hand in each test."""

import pytest

from kpis.engine import spc

ALTERNATING = [10, 12] * 6  # mean 11; every moving range 2, so limits 11 ± 2.66 × 2


def test_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges():
    chart = spc.xmr([10, 12, 11, 13, 12, 14])
    (segment,) = chart.segments
    # mean 72 / 6 = 12; moving ranges 2, 1, 2, 1, 2 average 1.6; 2.66 × 1.6 = 4.256
    assert segment.mean == pytest.approx(12)
    assert segment.mean_moving_range == pytest.approx(1.6)
    assert segment.lower == pytest.approx(7.744)
    assert segment.upper == pytest.approx(16.256)
    assert segment.provisional  # from 6 quarters, fewer than 12
    assert chart.line("upper") == [pytest.approx(16.256)] * 6


def test_limits_come_from_the_first_12_points_and_later_points_are_judged_against_them():
    chart = spc.xmr([*ALTERNATING, 17], polarity="up")
    (segment,) = chart.segments
    assert segment.baseline == 12 and not segment.provisional
    assert segment.mean == pytest.approx(11)  # the 17 is not in the baseline
    assert (segment.lower, segment.upper) == (pytest.approx(5.68), pytest.approx(16.32))
    assert chart.signal(12) == spc.Signal(spc.OUTSIDE, "high", spc.IMPROVEMENT)
    verdict = chart.verdict()
    assert verdict.text == "Special cause: improvement — above the upper process limit"
    assert verdict.kind == spc.IMPROVEMENT and verdict.symbol == "H"


def test_a_moving_range_over_3_267_mean_moving_ranges_is_screened_out():
    values = [10, 11, 10, 11, 10, 11, 10, 30, 10, 11, 10, 11]
    (segment,) = spc.xmr(values).segments
    # moving ranges: nine of 1 and two of 20 (average 49 / 11 = 4.45); 20 > 3.267 × 4.45,
    # so both go and the mean moving range is 1. The mean keeps the 30: 145 / 12.
    assert segment.mean_moving_range == pytest.approx(1)
    assert segment.mean == pytest.approx(145 / 12)
    assert segment.upper == pytest.approx(145 / 12 + 2.66)
    assert spc.xmr(values, polarity="down").signal(7).kind == spc.CONCERN


def test_a_run_of_7_on_one_side_of_the_mean_is_a_special_cause():
    baseline = [12, 10] * 6  # ends below the mean of 11
    assert spc.xmr([*baseline, *[12] * 6]).verdict().kind == spc.COMMON
    chart = spc.xmr([*baseline, *[12] * 7], polarity="down")
    assert chart.signal(18) == spc.Signal(spc.SHIFT, "high", spc.CONCERN, 7)
    assert all(chart.signal(i).rule == spc.SHIFT for i in range(12, 19))
    assert chart.signal(11) is None
    assert chart.verdict().text == "Special cause: concern — run of 7 quarters above the mean"


def test_a_point_on_the_mean_breaks_a_run():
    chart = spc.xmr([*ALTERNATING, 12, 12, 12, 11, 12, 12, 12])
    assert not any(chart.signals)


def test_a_trend_of_7_rising_points_is_a_special_cause():
    rising = [10.5, 11, 11.5, 12, 12.5, 13, 13.5]
    assert spc.xmr([*ALTERNATING, *rising[:6]]).verdict().kind == spc.COMMON
    chart = spc.xmr([*ALTERNATING, *rising], polarity="up")
    assert [chart.signal(i).rule for i in range(12, 19)] == [spc.DRIFT] * 7
    assert chart.signal(18) == spc.Signal(spc.DRIFT, "high", spc.IMPROVEMENT, 7)
    assert chart.verdict().text == "Special cause: improvement — trend of 7 quarters rising"


def test_a_falling_trend_is_a_concern_when_higher_is_better():
    falling = [14, 13.5, 13, 12.5, 12, 11.5, 10.5]
    chart = spc.xmr([*ALTERNATING, *falling], polarity="up")
    assert chart.verdict().kind == spc.CONCERN
    assert chart.verdict().side == "low" and chart.verdict().symbol == "L"


def test_two_of_three_points_beyond_two_sigma_on_one_side_are_a_special_cause():
    # two sigma = 2 / 3 × 2.66 × 2 = 3.547 from the mean of 11: above 14.547
    chart = spc.xmr([*ALTERNATING, 15, 11.5, 15])
    assert chart.signal(12).rule == chart.signal(14).rule == spc.TWO_OF_THREE
    assert chart.signal(13) is None  # inside two sigma: part of the window, not flagged
    verdict = chart.verdict()
    assert verdict.kind == spc.NEITHER  # no direction of good
    assert verdict.text == (
        "Special cause: neither improvement nor concern — "
        "2 of 3 quarters close to the upper process limit"
    )
    assert not any(spc.xmr([*ALTERNATING, 15, 10.5, 15]).signals)  # not all on one side


def test_a_step_change_recalculates_the_limits_from_its_quarter():
    values = [9, 11] * 6 + [19, 21] * 6
    without = spc.xmr(values, polarity="up")
    assert without.verdict().kind == spc.IMPROVEMENT  # judged against the old limits
    chart = spc.xmr(values, polarity="up", breaks={12: "the step change in 2024/25 Q1"})
    first, second = chart.segments
    assert (first.start, first.stop, second.start, second.stop) == (0, 12, 12, 24)
    assert first.mean == pytest.approx(10) and second.mean == pytest.approx(20)
    assert (second.lower, second.upper) == (pytest.approx(14.68), pytest.approx(25.32))
    assert chart.line("mean") == [pytest.approx(10)] * 12 + [pytest.approx(20)] * 12
    assert not any(chart.signals)
    assert chart.verdict().text == "Common cause variation"
    assert "since the step change in 2024/25 Q1" in chart.verdict().detail


def test_a_segment_with_too_few_points_is_not_judged():
    chart = spc.xmr([1, 2, 3, 4, 5])
    assert chart.verdict().kind == spc.TOO_FEW
    assert chart.verdict().text == "Too few points to judge"
    assert chart.line("upper") == [None] * 5
    recent = spc.xmr([*ALTERNATING, 30, 31, 32], breaks={12: "the step change in 2024/25 Q1"})
    assert recent.segments[0].judged and not recent.segments[1].judged
    assert recent.verdict().detail == (
        "Only 3 quarters with data since the step change in 2024/25 Q1: SPC needs at least 6."
    )


def test_quarters_without_a_value_are_skipped():
    chart = spc.xmr([10, None, 12, 11, 13, None, 12, 14])
    (segment,) = chart.segments
    assert segment.points == 6 and segment.mean == pytest.approx(12)
    assert segment.mean_moving_range == pytest.approx(1.6)  # across the gaps
    assert spc.xmr([*ALTERNATING, None]).verdict() is None  # nothing to say about a gap


def test_a_constant_series_has_limits_on_its_mean():
    chart = spc.xmr([5] * 12 + [6], polarity="down")
    assert chart.segments[0].upper == 5
    assert chart.signal(12) == spc.Signal(spc.OUTSIDE, "high", spc.CONCERN)


def test_the_scale_does_not_change_the_reading():
    fractions = [v / 100 for v in [*ALTERNATING, 15, 11.5, 15]]
    scaled, plain = spc.xmr(fractions).verdict(), spc.xmr([*ALTERNATING, 15, 11.5, 15]).verdict()
    assert (scaled.kind, scaled.side, scaled.text, scaled.detail) == (
        plain.kind,
        plain.side,
        plain.text,
        plain.detail,
    )
    # The limits are in the series' own scale.
    assert scaled.lower == pytest.approx(plain.lower / 100)
    assert scaled.upper == pytest.approx(plain.upper / 100)


def test_the_provisional_limits_are_said_in_the_detail():
    detail = spc.xmr([10, 12, 11, 13, 12, 14, 12, 11]).verdict().detail
    assert "provisional" in detail and "8 quarters" in detail
