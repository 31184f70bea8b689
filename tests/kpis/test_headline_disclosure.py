"""Headline counts beside the breakdowns are disclosure cells too: a count the Home Office
does not publish (charges where the victim supports, investigators over the caseload
threshold) is withheld when showing it would give a small count away."""

from kpis.engine import catalogue
from kpis.engine.record_disclosure import control_disclosure
from soteria.periods import Period
from tests.factories import many, records_frame

Q1 = Period.parse("2024-25-q1")
GROUPS = ("rape", "other", "all")


def controlled(frame, slugs):
    frames = {
        "rape": frame[frame["offence_group"] == "rape"],
        "other": frame[frame["offence_group"] == "other"],
        "all": frame,
    }
    measures = {
        (slug, group): catalogue.run(slug, frames[group], Q1, catalogue.Params())
        for slug in slugs
        for group in GROUPS
    }
    table, hidden = control_disclosure(measures, threshold=5)
    return measures, table, hidden


def test_charges_where_the_victim_supports_is_withheld_rather_than_give_away_a_small_count():
    # 17 charges: 6 where the victim supports, 3 where not, 8 not recorded. Shown, the 6
    # and the 8 give the 3 away (17 - 6 - 8); the 6 is the cheapest to withhold.
    charged = {"outcome_type": "1", "outcome_date": "2024-05-01"}
    frame = records_frame(
        *many(6, **charged),
        *many(3, **charged, victim_supports_prosecution="no"),
        *many(8, **charged, victim_supports_prosecution=""),
        *many(30, outcome_type="15", outcome_date="2024-05-01"),
    )
    measures, table, hidden = controlled(frame, ["charge-volume-victim-supports"])
    rape = measures[("charge-volume-victim-supports", "rape")]
    assert ("rape", "charges-victim-supports", "total") in hidden
    assert (
        rape.value is None and rape.numerator is None and rape.detail == {"headline_withheld": True}
    )
    row = {r.group: r for r in rape.breakdowns[0].rows}
    assert row["no"].numerator is None and row["no"].numerator_flag == "primary"


def test_investigators_over_the_caseload_threshold_are_withheld_when_few():
    open_case = {"recorded_date": "2024-04-10"}
    rows = []
    for i in range(8):  # 8 investigators with 3 cases each, 2 with 17 each
        rows += many(3, **open_case, investigator_ref_hash=f"light-{i}")
    for i in range(2):
        rows += many(17, **open_case, investigator_ref_hash=f"heavy-{i}")
    measures, table, hidden = controlled(records_frame(*rows), ["caseload-per-investigator"])
    caseload = measures[("caseload-per-investigator", "rape")]
    assert ("rape", "investigators-above", "total") in hidden
    assert "above_threshold" not in caseload.detail
    assert caseload.detail["above_threshold_withheld"] is True
    bands = {r.group: r for r in caseload.breakdowns[0].rows}
    assert bands["16-20"].numerator is None  # "<5"
    # The band sum is declared: the 2 over 15 is the 16-20 band, not a separate free count.
    assert any(
        total == ("rape", "investigators-above", "total")
        and ("rape", "investigators", "caseload_band", "16-20") in parts
        for parts, total in table.sums
    )


def test_withheld_no_further_action_outcomes_take_no_other_kpis_count_with_them():
    # 3 no-further-action outcomes: the count the median days to NFA is taken over is
    # withheld. Only that KPI loses its count; victim sex missing keeps its 40 offences.
    rows = [
        *many(3, outcome_type="15", outcome_date="2024-05-01", recorded_date="2024-04-02"),
        *many(37, recorded_date="2024-04-10"),
    ]
    slugs = ["days-to-nfa", "outcome-distribution", "missing-sex"]
    measures, table, hidden = controlled(records_frame(*rows), slugs)
    assert ("rape", "nfa-outcomes", "total") in hidden
    assert measures[("days-to-nfa", "rape")].denominator is None
    assert measures[("days-to-nfa", "rape")].detail["denominator_withheld"] is True
    missing = measures[("missing-sex", "rape")]
    assert missing.denominator == 40
    assert "denominator_withheld" not in missing.detail


def repeat_suspects(frame):
    frames = {
        "rape": frame[frame["offence_group"] == "rape"],
        "other": frame[frame["offence_group"] == "other"],
        "all": frame,
    }
    measures = {
        ("repeat-suspect-share", group): catalogue.run(
            "repeat-suspect-share", frames[group], Q1, catalogue.Params(), history=frame
        )
        for group in GROUPS
    }
    table, hidden = control_disclosure(measures, threshold=5)
    return measures, hidden


def test_a_small_count_of_repeat_suspects_is_withheld_with_its_share():
    # 12 named suspects in the quarter's rape offences, 3 of them named twice: "3 of 12"
    # would show a count under 5 of people.
    rows = []
    for i in range(9):
        rows += many(1, recorded_date="2024-04-10", suspect_ref_hash=f"once-{i}")
    for i in range(3):
        rows += many(2, recorded_date="2024-05-10", suspect_ref_hash=f"twice-{i}")
    measures, hidden = repeat_suspects(records_frame(*rows))
    rape = measures[("repeat-suspect-share", "rape")]
    assert ("rape", "repeat-suspects", "total") in hidden
    assert rape.value is None and rape.numerator is None
    assert rape.detail == {"headline_withheld": True}


def test_repeat_suspects_are_shown_when_none_or_enough_either_way():
    def named(twice: int, once: int):
        rows = []
        for i in range(twice):
            rows += many(2, recorded_date="2024-05-10", suspect_ref_hash=f"twice-{i}")
        for i in range(once):
            rows += many(1, recorded_date="2024-04-10", suspect_ref_hash=f"once-{i}")
        return repeat_suspects(records_frame(*rows))[0][("repeat-suspect-share", "rape")]

    shown = named(6, 7)
    assert (shown.numerator, shown.denominator) == (6, 13)
    # 6 of 10 would give away the 4 named once: withheld, as any share's small complement.
    assert named(6, 4).detail == {"headline_withheld": True}
    none = repeat_suspects(records_frame(*many(7, recorded_date="2024-04-10")))[0]
    assert none[("repeat-suspect-share", "rape")].numerator == 0
