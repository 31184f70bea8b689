"""The KPI catalogue: pure functions over crafted crime-record frames (no database)."""

import json
from pathlib import Path

import pandas as pd
import pytest

from kpis.engine import catalogue
from kpis.engine.catalogue import Params
from kpis.engine.home_office_kpis import HOME_OFFICE_KPIS
from soteria.periods import Period
from tests.factories import many, records_frame

Q1 = Period.parse("2024-25-q1")  # April to June 2024
PARAMS = Params()


def charged(day="2024-05-01", **row):
    return {"outcome_type": "1", "outcome_date": day, **row}


def test_every_computed_kpi_in_the_fixture_has_one_function():
    """Each records or Home Office KPI is computed in exactly one place: the records
    catalogue, or the Home Office source (the published-figure KPIs of every force)."""
    fixture = json.loads(Path("fixtures/nom_framework.json").read_text())
    computed = {k["slug"] for k in fixture["kpis"] if k["source"] in ("records", "home-office")}
    assert not set(catalogue.CATALOGUE) & set(HOME_OFFICE_KPIS)
    assert computed == set(catalogue.CATALOGUE) | set(HOME_OFFICE_KPIS)


@pytest.mark.parametrize("slug", sorted(catalogue.CATALOGUE))
def test_every_kpi_function_states_its_definition_numerator_direction_and_nom_source(slug):
    doc = catalogue.CATALOGUE[slug].function.__doc__
    for phrase in ("Numerator", "Direction", "NOM source", "Basis"):
        assert phrase in doc, f"{slug} docstring lacks {phrase}"
    assert catalogue.CATALOGUE[slug].version >= 1


def test_charge_volume_counts_charges_given_in_the_quarter_only():
    frame = records_frame(
        charged("2024-05-01"),
        charged("2024-06-30"),
        charged("2024-07-01"),  # next quarter
        {"outcome_type": "16", "outcome_date": "2024-05-02"},
        {"recorded_date": "2023-01-01", **charged("2024-04-01")},  # recorded long before
    )
    measure = catalogue.charge_volume(frame, Q1, PARAMS)
    assert measure.value == 3


def test_charge_rate_leaves_open_cases_out_of_the_denominator_and_has_a_wilson_interval():
    frame = records_frame(
        *many(3, **charged()),
        *many(7, outcome_type="15", outcome_date="2024-05-03"),
        *many(5, outcome_type=""),
    )
    measure = catalogue.charge_rate(frame, Q1, PARAMS)
    assert (measure.numerator, measure.denominator) == (3, 10)
    assert measure.value == pytest.approx(0.3)
    assert measure.ci_low == pytest.approx(0.1078, abs=1e-3)
    assert measure.ci_high == pytest.approx(0.6032, abs=1e-3)
    assert not measure.insufficient


def test_a_rate_on_fewer_than_the_minimum_cases_is_insufficient():
    measure = catalogue.charge_rate(records_frame(charged()), Q1, PARAMS)
    assert measure.insufficient


def test_charges_where_the_victim_supports_count_only_supported_charges():
    frame = records_frame(
        *many(4, **charged(victim_supports_prosecution="yes")),
        charged(victim_supports_prosecution="no"),
        charged(victim_supports_prosecution=""),
    )
    measure = catalogue.charge_volume_victim_supports(frame, Q1, PARAMS)
    assert measure.value == 4 and measure.denominator == 6
    rows = {r.group: r.numerator for r in measure.breakdowns[0].rows}
    assert rows == {"yes": 4, "no": 1, "not-recorded": 1}


def test_disparity_compares_each_large_enough_group_with_the_largest_group():
    frame = records_frame(
        *many(10, **charged(victim_ethnicity="white")),
        *many(90, outcome_type="15", outcome_date="2024-05-03", victim_ethnicity="white"),
        *many(2, **charged(victim_ethnicity="black")),
        *many(38, outcome_type="15", outcome_date="2024-05-03", victim_ethnicity="black"),
        *many(5, outcome_type="15", outcome_date="2024-05-03", victim_ethnicity="asian"),
    )
    measure = catalogue.CATALOGUE["charge-rate-by-ethnicity"].function(frame, Q1, PARAMS)
    rows = {r.group: r for r in measure.breakdowns[0].rows}
    assert rows["white"].reference
    assert rows["black"].compared
    assert rows["black"].ratio == pytest.approx(0.05 / 0.10)
    assert rows["black"].ratio_low < 0.5 < rows["black"].ratio_high
    assert not rows["asian"].compared and "too few" in rows["asian"].note
    assert measure.value == pytest.approx(0.5)
    assert measure.detail["gap_group"] == "Black or Black British"
    assert measure.detail["left_out"] == [
        {"group": "Asian or Asian British", "why": "too few outcomes, under 20"}
    ]


def test_of_two_groups_as_far_from_the_reference_the_larger_then_the_first_by_name_is_named():
    nfa = {"outcome_type": "15", "outcome_date": "2024-05-03"}
    white = [
        *many(16, **charged(victim_ethnicity="white")),
        *many(448, **nfa, victim_ethnicity="white"),
    ]
    tied = [
        *many(34, **nfa, victim_ethnicity="black"),
        *many(34, **nfa, victim_ethnicity="asian"),
        *many(25, **nfa, victim_ethnicity="mixed"),
    ]
    measure = catalogue.CATALOGUE["charge-rate-by-ethnicity"].function(
        records_frame(*white, *tied), Q1, PARAMS
    )
    # No charge among 34 Asian, 34 Black or 25 Mixed victims: Asian and Black lie as far from
    # 1 (0.40), further than Mixed (0.54); both have 34 outcomes, and Asian comes first.
    assert measure.detail["gap_group"] == "Asian or Asian British"
    assert measure.value == pytest.approx((0.5 / 35) / (16.5 / 465))


def test_disparity_with_no_group_large_enough_is_not_compared():
    frame = records_frame(*many(5, **charged(victim_ethnicity="white")))
    measure = catalogue.CATALOGUE["charge-rate-by-ethnicity"].function(frame, Q1, PARAMS)
    assert measure.insufficient and measure.value is None


def test_withdrawal_share_counts_outcomes_14_and_16_with_the_stage():
    frame = records_frame(
        {"outcome_type": "14", "outcome_date": "2024-05-01", "withdrawal_stage": "report"},
        *many(3, outcome_type="16", outcome_date="2024-05-01", withdrawal_stage="investigation"),
        *many(6, **charged()),
    )
    measure = catalogue.withdrawal_share(frame, Q1, PARAMS)
    assert (measure.numerator, measure.denominator) == (4, 10)
    stages = {r.group: r.numerator for r in measure.breakdowns[0].rows}
    assert stages["report"] == 1 and stages["investigation"] == 3 and stages["pre_charge"] == 0


def test_repeat_suspects_are_named_in_n_reports_within_y_years():
    history = records_frame(
        {"suspect_ref_hash": "s1", "recorded_date": "2024-05-01"},
        {"suspect_ref_hash": "s1", "recorded_date": "2022-01-01"},  # within 3 years
        {"suspect_ref_hash": "s2", "recorded_date": "2024-05-01"},
        {"suspect_ref_hash": "s2", "recorded_date": "2020-01-01"},  # too long ago
        {"suspect_ref_hash": "s3", "recorded_date": "2024-06-01", "offence_group": "other"},
        {"suspect_ref_hash": "s3", "recorded_date": "2024-06-02", "offence_group": "other"},
        {"suspect_ref_hash": "", "recorded_date": "2024-06-01"},
    )
    rape = history[history["offence_group"] == "rape"]
    measure = catalogue.repeat_suspect_share(rape, Q1, PARAMS, history=history)
    assert (measure.numerator, measure.denominator) == (1, 2)  # s1 of s1, s2
    stricter = catalogue.repeat_suspect_share(
        rape, Q1, Params(repeat_reports=2, repeat_years=5), history=history
    )
    assert stricter.numerator == 2
    assert stricter.detail == {"repeat_reports": 2, "repeat_years": 5}


def test_median_days_to_charge_and_to_nfa():
    frame = records_frame(
        {"recorded_date": "2024-04-01", **charged("2024-04-11")},
        {"recorded_date": "2024-04-01", **charged("2024-04-21")},
        {"recorded_date": "2024-04-01", **charged("2024-05-01")},
        {"recorded_date": "2024-04-01", "outcome_type": "15", "outcome_date": "2024-04-06"},
    )
    assert catalogue.days_to_charge(frame, Q1, PARAMS).value == 20
    nfa = catalogue.days_to_nfa(frame, Q1, PARAMS)
    assert nfa.value == 5 and nfa.insufficient  # one case: too few to judge


def test_open_investigations_are_counted_at_the_quarter_end_by_age():
    frame = records_frame(
        {"recorded_date": "2024-06-01"},  # open, under 3 months
        {"recorded_date": "2023-01-01"},  # open, 1 to 2 years
        {"recorded_date": "2024-05-01", **charged("2024-08-01")},  # closed after the quarter
        {"recorded_date": "2024-05-01", **charged("2024-06-01")},  # closed within it
        {"recorded_date": "2024-07-05"},  # recorded after the quarter
    )
    measure = catalogue.open_investigations(frame, Q1, PARAMS)
    assert measure.value == 3
    bands = {r.group: r.numerator for r in measure.breakdowns[0].rows}
    assert bands == {"under-3m": 2, "3-6m": 0, "6-12m": 0, "1-2y": 1, "2y-plus": 0}


def test_caseload_per_investigator_is_open_cases_over_investigators():
    frame = records_frame(
        *many(20, investigator_ref_hash="i1"),
        *many(4, investigator_ref_hash="i2"),
        {"investigator_ref_hash": ""},
    )
    measure = catalogue.caseload_per_investigator(frame, Q1, PARAMS)
    assert measure.value == 12 and measure.denominator == 2
    assert measure.detail["above_threshold"] == 1
    bands = {r.group: r.numerator for r in measure.breakdowns[0].rows}
    assert bands["1-5"] == 1 and bands["16-20"] == 1


def test_missing_data_is_the_share_of_the_quarters_offences_with_a_blank():
    frame = records_frame(
        *many(3, victim_ethnicity=""),
        *many(7, victim_ethnicity="asian"),
        {"recorded_date": "2024-01-01", "victim_ethnicity": ""},  # previous quarter
    )
    measure = catalogue.CATALOGUE["missing-ethnicity"].function(frame, Q1, PARAMS)
    assert (measure.numerator, measure.denominator) == (3, 10)
    age = catalogue.CATALOGUE["missing-age"].function(
        records_frame({"victim_age": None}, {"victim_age": 40}), Q1, PARAMS
    )
    assert age.numerator == 1


def test_an_optional_characteristic_counts_only_the_offences_whose_extract_carries_it():
    """Blank is missing; "prefer not to say" is an answer; an offence from an extract without
    the column (catalogue.NOT_SUPPLIED) counts neither way; none at all is "not supplied"."""
    religion = catalogue.CATALOGUE["missing-religion"].function
    frame = records_frame(
        *many(2, victim_religion=""),
        *many(3, victim_religion="prefer-not-to-say"),
        *many(5, victim_religion="muslim"),
        *many(4, victim_religion=catalogue.NOT_SUPPLIED),
    )
    measure = religion(frame, Q1, PARAMS)
    assert (measure.numerator, measure.denominator) == (2, 10)
    assert measure.detail == {"partly_supplied": True}
    (recording,) = measure.breakdowns
    assert [(r.group, r.numerator) for r in recording.rows] == [
        ("recorded", 8),
        ("not-recorded", 2),
    ]
    assert recording.measure == "missing-religion"  # its own cells for disclosure control
    not_supplied = religion(
        records_frame(*many(4, victim_religion=catalogue.NOT_SUPPLIED)), Q1, PARAMS
    )
    assert not_supplied.value is None and not_supplied.detail["not_supplied"]
    # A frame without the column at all (no extract carried it) reads the same.
    assert religion(records_frame({}), Q1, PARAMS).detail["not_supplied"]
    assert religion(records_frame({"recorded_date": "2023-01-01"}), Q1, PARAMS).insufficient


def test_a_suspects_characteristic_is_missing_only_where_a_suspect_is_named():
    frame = records_frame(
        *many(3, suspect_ref_hash="s1", suspect_sex=""),
        *many(7, suspect_ref_hash="s2", suspect_sex="male"),
        *many(6, suspect_ref_hash="", suspect_sex=""),  # no suspect to describe
    )
    measure = catalogue.CATALOGUE["missing-suspect-sex"].function(frame, Q1, PARAMS)
    assert (measure.numerator, measure.denominator) == (3, 10)
    # Not supplied is read from the quarter's offences, named suspect or not.
    unnamed = records_frame(*many(6, suspect_ref_hash="", suspect_sex=catalogue.NOT_SUPPLIED))
    assert (
        catalogue.CATALOGUE["missing-suspect-sex"]
        .function(unnamed, Q1, PARAMS)
        .detail["not_supplied"]
    )


@pytest.mark.parametrize(
    "missing_flag, recorded_flag, withheld",
    [
        ("primary", "secondary", "missing"),
        ("secondary", "primary", "recorded"),
        ("secondary", "secondary", "complement"),
        ("", "", None),
    ],
)
def test_a_missing_count_withheld_in_its_breakdown_is_withheld_in_the_headline(
    missing_flag, recorded_flag, withheld
):
    frame = records_frame(*many(3, victim_ethnicity=""), *many(40, victim_ethnicity="white"))
    measure = catalogue.CATALOGUE["missing-ethnicity"].function(frame, Q1, PARAMS)
    rows = {r.group: r for r in measure.breakdowns[0].rows}
    rows["not-recorded"].numerator_flag = missing_flag
    rows["recorded"].numerator_flag = recorded_flag
    catalogue.withhold_headline(measure)
    assert measure.detail.get("withheld") == withheld
    if withheld:
        assert (measure.value, measure.numerator, measure.ci_low, measure.ci_high) == (None,) * 4
        assert measure.denominator == 43  # offences recorded: a public total
    else:
        assert measure.numerator == 3


def test_outcome_distribution_shares_every_outcome_type():
    frame = records_frame(
        *many(6, outcome_type="16", outcome_date="2024-05-01"),
        *many(4, **charged()),
    )
    measure = catalogue.outcome_distribution(frame, Q1, PARAMS)
    assert measure.value == pytest.approx(0.6) and measure.detail["most_common"] == "16"
    assert len(measure.breakdowns[0].rows) == 22


def test_national_position_ranks_forces_by_charge_rate():
    national = pd.DataFrame(
        {
            "force": ["A", "B", "C"],
            "charges": [10, 30, 5],
            "outcomes": [100, 100, 100],
            "withdrawals": [0, 0, 0],
        }
    )
    measure = catalogue.national_position(records_frame(), Q1, PARAMS, national=national, force="A")
    assert measure.value == 2 and measure.denominator == 3
    assert measure.detail["national_rate"] == pytest.approx(45 / 300)
    missing = catalogue.national_position(
        records_frame(), Q1, PARAMS, national=national.iloc[0:0], force="A"
    )
    assert missing.insufficient


def test_a_count_over_a_missing_home_office_cell_is_missing_not_a_partial_sum():
    cells = pd.DataFrame(
        [
            # force, outcome type, closed count, cells marked "N/A - data not provided"
            ("A", "1", 10, 0),
            ("A", "15", 90, 0),
            ("A", "0", 0, 1),  # type 0's closed cell is always N/A: not an outcome
            ("B", "1", 40, 0),
            ("B", "15", 0, 1),
            ("C", "0", 7, 0),
            ("E", "1", 0, 1),
            ("E", "15", 0, 1),
        ],
        columns=["force", "outcome_type", "count", "missing"],
    )
    regions = {"A": "south-west", "B": "south-west", "C": "wales", "D": "wales", "E": "wales"}
    table = catalogue.national_counts(cells, regions).set_index("force")
    assert table.loc["A", ["charges", "outcomes"]].tolist() == [10, 100]
    assert table.loc["B", "charges"] == 40 and pd.isna(table.loc["B", "outcomes"])
    assert table["left_out"].to_dict() == {
        "A": "",
        "B": "Home Office data not provided for outcome type 15",
        "C": "no outcomes in the Home Office table for the quarter",
        "D": "not in the Home Office table for the quarter",
        "E": "Home Office data not provided for any of its outcomes",
    }
    ranked = catalogue.ranked(table.reset_index())
    assert ranked["force"].tolist() == ["A"]  # B is left out, not ranked at 40 of 40
    assert [row["force"] for row in catalogue.left_out_forces(table.reset_index())] == [
        "B",
        "C",
        "D",
        "E",
    ]


def test_quarter_index_follows_the_financial_year():
    dates = pd.Series(pd.to_datetime(["2024-04-01", "2024-03-31", "2025-01-15"]))
    index = catalogue.quarter_index(dates)
    assert list(index) == [
        catalogue.period_index(Period.parse("2024-25-q1")),
        catalogue.period_index(Period.parse("2023-24-q4")),
        catalogue.period_index(Period.parse("2024-25-q4")),
    ]
