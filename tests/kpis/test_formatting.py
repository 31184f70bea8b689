"""The one formatter: a rate is a fraction until it is read, and every change carries its unit."""

from kpis.engine.formatting import (
    format_change,
    format_count,
    format_interval,
    format_percent,
    format_value,
)
from kpis.engine.models import Kpi

PERCENT = Kpi(slug="charge-rate", unit=Kpi.Unit.PERCENT)
COUNT = Kpi(slug="charge-volume", unit=Kpi.Unit.COUNT)
DAYS = Kpi(slug="days-to-charge", unit=Kpi.Unit.DAYS)
RANK = Kpi(slug="national-position", unit=Kpi.Unit.RANK)
RATIO = Kpi(slug="charge-rate-by-sex", unit=Kpi.Unit.RATIO)
DATE = Kpi(slug="stra-completed", unit=Kpi.Unit.DATE)
YESNO = Kpi(slug="demand-caseload-evidence", unit=Kpi.Unit.YESNO)


def test_a_fraction_reads_as_a_percentage():
    assert format_value(PERCENT, 43 / 73) == "58.9%"
    assert format_percent(0.131) == "13.1%"
    assert format_percent(None) == "–"


def test_an_interval_reads_in_the_values_own_units():
    assert format_interval(PERCENT, 0.4745, 0.6947) == "47.4% to 69.5%"
    assert format_interval(PERCENT, None, 0.6947) == "–"


def test_whole_counts_have_no_decimals_and_averages_keep_one():
    assert format_count(12.0) == "12"
    assert format_value(COUNT, 1237.0) == "1,237"
    assert format_value(COUNT, 20.55) == "20.6"


def test_a_percentage_changes_by_points():
    assert format_change(PERCENT, 0.131, 0.110) == "Up 2.1 points on the previous quarter"
    assert format_change(PERCENT, 43 / 73, 56 / 83) == "Down 8.6 points on the previous quarter"


def test_a_count_changes_by_a_whole_number():
    assert format_change(COUNT, 3.0, 1.0) == "Up 2 on the previous quarter"
    assert format_change(COUNT, 89.0, 105.0) == "Down 16 on the previous quarter"
    assert format_change(COUNT, 3.0, 3.0) == "No change on the previous quarter"


def test_days_change_by_days():
    assert format_change(DAYS, 579.0, 441.0) == "Up 138 days on the previous quarter"
    assert format_change(DAYS, 26.8, 30.1) == "Down 3.3 days on the previous quarter"


def test_a_rank_changes_by_places_and_a_larger_number_is_down():
    assert format_change(RANK, 12.0, 5.0) == "Down 7 places on the previous quarter"
    assert format_change(RANK, 4.0, 5.0) == "Up 1 place on the previous quarter"


def test_a_ratio_says_what_it_was():
    assert format_change(RATIO, 0.80, 1.22) == "Down 0.42 on the previous quarter (was 1.22)"


def test_a_date_says_whether_it_moved_not_that_its_age_grew():
    same = {"date": "2025-10-20"}
    assert format_value(DATE, 345.0, same) == "20 Oct 2025"
    assert format_change(DATE, 345.0, 253.0, current_provenance=same, previous_provenance=same) == (
        "Not updated since the previous quarter: 345 days old at the quarter's end"
    )
    assert (
        format_change(
            DATE,
            20.0,
            400.0,
            current_provenance={"date": "2026-09-10"},
            previous_provenance={"date": "2025-05-27"},
        )
        == "Updated since the previous quarter (was 27 May 2025)"
    )
    assert format_change(DATE, 345.0, 253.0) == "Up 92 days on the previous quarter"


def test_yes_or_no_says_what_it_changed_from():
    assert format_change(YESNO, 1.0, 0.0) == "Changed from No to Yes since the previous quarter"
    assert format_change(YESNO, 1.0, 1.0) == "No change on the previous quarter"


def test_no_previous_value_means_no_change_text():
    assert format_change(PERCENT, 0.1, None) == ""
