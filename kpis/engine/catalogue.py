"""The KPI catalogue: one small pure function per KPI computed from crime records.

Each function takes the force's records for one offence group as a pandas
DataFrame (the columns ``prepare_records`` builds) and the quarter, and
returns a ``Measure``: the value, its numerator and denominator, an interval
and breakdowns with raw counts. Disclosure control is applied afterwards by
the records source, before anything is stored. The functions know nothing of
Django, so they run the same in a worker, a command and a test.

Periods are financial quarters. "Outcomes" KPIs count outcomes assigned in the
quarter (the Home Office closed basis); "cohort" KPIs count offences recorded
in the quarter; "snapshot" KPIs describe the position at the end of it.

Long because it is a list: one short function per KPI, with the blocks they share.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from math import log

import numpy as np
import pandas as pd

from soteria.periods import Period

from .stats import rate_ratio, wilson_interval

CHARGE = "1"
WITHDRAWAL = ("14", "16")
NFA = ("5", "9", "10", "11", "12", "13", "15", "17", "18", "21")
OPEN = ""

DIMENSIONS = {
    "sex": ("Victim sex", {"female": "Female", "male": "Male", "other": "Other"}),
    "ethnicity": (
        "Victim ethnicity",
        {
            "white": "White",
            "mixed": "Mixed or multiple",
            "asian": "Asian or Asian British",
            "black": "Black or Black British",
            "other": "Other ethnic group",
        },
    ),
    "age_band": (
        "Victim age band",
        {
            "under-16": "Under 16",
            "16-17": "16 to 17",
            "18-24": "18 to 24",
            "25-39": "25 to 39",
            "40-59": "40 to 59",
            "60-plus": "60 and over",
        },
    ),
    "disability": ("Victim disability", {"yes": "Disabled", "no": "Not disabled"}),
    "relationship": (
        "Relationship context",
        {
            "partner": "Partner or ex-partner",
            "family": "Family member",
            "acquaintance": "Acquaintance or friend",
            "stranger": "Stranger",
            "online": "Online contact",
            "professional": "Position of trust or professional",
            "other": "Other",
        },
    ),
}
NOT_RECORDED = ("", "Not recorded")
AGE_EDGES = [0, 16, 18, 25, 40, 60, 200]
AGE_LABELS = list(DIMENSIONS["age_band"][1])
WITHDRAWAL_STAGES = {
    "report": "At or soon after report",
    "investigation": "During investigation",
    "pre_charge": "Awaiting charging decision",
    "post_charge": "After charge",
}
OPEN_AGE_BANDS = [
    (0, 91, "under-3m", "Under 3 months"),
    (91, 182, "3-6m", "3 to 6 months"),
    (182, 365, "6-12m", "6 to 12 months"),
    (365, 730, "1-2y", "1 to 2 years"),
    (730, 10**6, "2y-plus", "2 years or more"),
]
CASELOAD_BANDS = [
    (1, 6, "1-5", "1 to 5 cases"),
    (6, 11, "6-10", "6 to 10 cases"),
    (11, 16, "11-15", "11 to 15 cases"),
    (16, 21, "16-20", "16 to 20 cases"),
    (21, 10**6, "21-plus", "21 or more cases"),
]


@dataclass(frozen=True)
class Params:
    """Settings a KPI definition depends on; recorded with every value."""

    disclosure_threshold: int = 5
    min_denominator: int = 10  # fewer cases than this: "insufficient data"
    min_group: int = 20  # smaller groups are "not compared" in disparity ratios
    repeat_reports: int = 2  # N: named in N or more RASSO reports ...
    repeat_years: int = 3  # ... within Y years
    caseload_threshold: float = 15


@dataclass
class Row:
    group: str
    label: str
    numerator: int | None = None  # or the count, for a count breakdown
    denominator: int | None = None
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ratio: float | None = None
    ratio_low: float | None = None
    ratio_high: float | None = None
    reference: bool = False
    compared: bool = False
    note: str = ""
    # Set by disclosure control: "", "primary" (shown "<5") or "secondary" (withheld).
    suppressed: str = ""
    numerator_flag: str = ""
    denominator_flag: str = ""


@dataclass
class Breakdown:
    """A table under a KPI. ``measure``/``base`` name the counts, so that the same count
    in two KPIs (charges for Black victims) is the same cell for disclosure control."""

    dimension: str
    label: str
    kind: str  # "rate": numerator of denominator per group; "count": a count per group
    measure: str
    base: str = ""
    rows: list[Row] = field(default_factory=list)
    additive: bool = True  # do the groups add up across offence groups?
    public: bool = False  # published national data, not subject to disclosure control
    # A cross-tab: the two dimensions (rows, columns) whose groups each row's "row|column"
    # group joins; its row and column sums are the two dimensions' own breakdowns.
    crosses: tuple[str, ...] = ()


@dataclass
class Measure:
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    insufficient: bool = False
    measure: str = ""  # the counts behind numerator / denominator, for disclosure control
    base: str = ""
    breakdowns: list[Breakdown] = field(default_factory=list)
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Definition:
    slug: str
    version: int
    function: Callable[..., Measure]
    needs: str = ""  # "history": the whole force's records; "national": the Home Office table


CATALOGUE: dict[str, Definition] = {}


def kpi(slug: str, *, version: int = 1, needs: str = ""):
    def register(function):
        CATALOGUE[slug] = Definition(slug, version, function, needs)
        return function

    return register


# --- preparing records ---------------------------------------------------------------------


def quarter_index(dates: pd.Series) -> np.ndarray:
    """Financial quarter of each date as one integer (Period.shift arithmetic); -1 when missing."""
    year = dates.dt.year.to_numpy(dtype="float64")
    month = dates.dt.month.to_numpy(dtype="float64")
    financial_year = np.where(month >= 4, year, year - 1)
    quarter = ((month - 4) % 12) // 3
    index = financial_year * 4 + quarter
    return np.where(np.isnan(index), -1, index).astype("int64")


def period_index(period: Period) -> int:
    return period.year * 4 + period.quarter - 1


def prepare_records(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns every KPI uses (dates, quarter indices, age band) once."""
    frame = frame.copy()
    frame["recorded_date"] = pd.to_datetime(frame["recorded_date"])
    frame["outcome_date"] = pd.to_datetime(frame["outcome_date"])
    for column in ("outcome_type", "victim_sex", "victim_ethnicity", "victim_disability"):
        frame[column] = frame[column].fillna("").astype(str)
    for column in (
        "relationship",
        "suspect_ref_hash",
        "victim_supports_prosecution",
        "withdrawal_stage",
        "investigator_ref_hash",
    ):
        frame[column] = frame[column].fillna("").astype(str)
    epoch = np.datetime64("1970-01-01", "D")
    frame["recorded_day"] = (
        frame["recorded_date"].to_numpy().astype("datetime64[D]") - epoch
    ).astype("int64")
    outcome_day = frame["outcome_date"].to_numpy().astype("datetime64[D]")
    frame["days_to_outcome"] = np.where(
        np.isnat(outcome_day),
        -1,
        (outcome_day - epoch).astype("int64") - frame["recorded_day"].to_numpy(),
    )
    frame["rq"] = quarter_index(frame["recorded_date"])
    frame["oq"] = np.where(
        frame["outcome_type"].to_numpy() == OPEN, -1, quarter_index(frame["outcome_date"])
    )
    age = pd.to_numeric(frame["victim_age"], errors="coerce")
    bands = pd.cut(age, AGE_EDGES, right=False, labels=AGE_LABELS)
    frame["age_band"] = bands.astype(object).where(bands.notna(), "").astype(str)
    frame = frame.rename(
        columns={
            "victim_sex": "sex",
            "victim_ethnicity": "ethnicity",
            "victim_disability": "disability",
        }
    )
    # Only the derived integer columns are read from here on; fewer columns, cheaper slices.
    return frame.drop(columns=["victim_age", "recorded_date", "outcome_date"])


def relevant_to(records: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The rows any KPI of the quarter can look at: recorded in it, given an outcome in it,
    or open at its end. Slicing once makes every KPI's own filter cheap; results are equal."""
    index = period_index(period)
    rq, oq = records["rq"].to_numpy(), records["oq"].to_numpy()
    return records[(rq == index) | (oq == index) | ((rq <= index) & ((oq == -1) | (oq > index)))]


_slices: dict | None = None


@contextmanager
def shared_slices():
    """Within this block, the quarter's slices of a frame are cut once and shared by every
    KPI (the frames must not change meanwhile). Outside it, each call slices afresh."""
    global _slices
    _slices = {}
    try:
        yield
    finally:
        _slices = None


def _slice(records: pd.DataFrame, period: Period, kind: str, select) -> pd.DataFrame:
    if _slices is None:
        return records[select()]
    key = (id(records), kind, period)
    if key not in _slices:
        _slices[key] = (records, records[select()])  # holding records keeps its id unique
    return _slices[key][1]


def period_span(period) -> tuple[int, int]:
    """The first and last quarter index of a quarter, or of a window of quarters ending with
    one (windows.Window: the rolling year, the financial year to date)."""
    last = period_index(getattr(period, "period", period))
    return period_index(getattr(period, "first", period)), last


def outcomes_in(records: pd.DataFrame, period) -> pd.DataFrame:
    """Outcomes given in the quarter, or in any quarter of a window."""
    first, last = period_span(period)

    def select():
        oq = records["oq"].to_numpy()
        return oq == last if first == last else (oq >= first) & (oq <= last)

    return _slice(records, period, "outcomes", select)


def recorded_in(records: pd.DataFrame, period: Period) -> pd.DataFrame:
    index = period_index(period)
    return _slice(records, period, "cohort", lambda: records["rq"].to_numpy() == index)


def open_at_end(records: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Offences recorded by the end of the quarter and still without an outcome then."""
    index = period_index(period)

    def select():
        rq, oq = records["rq"].to_numpy(), records["oq"].to_numpy()
        return (rq <= index) & ((oq == -1) | (oq > index))

    return _slice(records, period, "open", select)


# --- shared building blocks ----------------------------------------------------------------


def _proportion(numerator: int, denominator: int, params: Params, **extra) -> Measure:
    interval = wilson_interval(numerator, denominator)
    return Measure(
        value=numerator / denominator if denominator else None,
        numerator=numerator,
        denominator=denominator,
        ci_low=interval[0] if interval else None,
        ci_high=interval[1] if interval else None,
        insufficient=denominator < params.min_denominator,
        **extra,
    )


def rate_breakdown(
    frame: pd.DataFrame, hits: np.ndarray, dimension: str, *, measure: str, base: str
) -> Breakdown:
    """Numerator of denominator for every group of a dimension, "not recorded" included."""
    label, groups = DIMENSIONS[dimension]
    rows = []
    for group, group_label, numerator, denominator in _group_counts(
        frame, hits, dimension, measure
    ):
        interval = wilson_interval(numerator, denominator)
        rows.append(
            Row(
                group=group or "not-recorded",
                label=group_label,
                numerator=numerator,
                denominator=denominator,
                value=numerator / denominator if denominator else None,
                ci_low=interval[0] if interval else None,
                ci_high=interval[1] if interval else None,
            )
        )
    return Breakdown(dimension, label, "rate", measure=measure, base=base, rows=rows)


def group_codes(values: pd.Series, groups: list[tuple[str, str]]) -> np.ndarray:
    """Each value's position among ``groups`` (their keys), -1 for a value in none of them:
    one pass over the column, where comparing it with each group in turn took one each."""
    return pd.Categorical(values, categories=[group for group, _ in groups]).codes.astype(np.intp)


def _cell_counts(codes: np.ndarray, hits: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
    """Hits and rows in each of ``size`` cells numbered by ``codes`` (-1: in none)."""
    counted = codes >= 0
    return (
        np.bincount(codes[counted & hits], minlength=size),
        np.bincount(codes[counted], minlength=size),
    )


def _group_counts(frame: pd.DataFrame, hits: np.ndarray, dimension: str, measure: str) -> list:
    key = (id(frame), "groups", dimension, measure)
    if _slices is not None and key in _slices:
        return _slices[key][1]
    groups = [*DIMENSIONS[dimension][1].items(), NOT_RECORDED]
    numerators, denominators = _cell_counts(
        group_codes(frame[dimension], groups), hits, len(groups)
    )
    counts = [
        (group, group_label, int(n), int(d))
        for (group, group_label), n, d in zip(groups, numerators, denominators, strict=True)
    ]
    if _slices is not None:
        _slices[key] = (frame, counts)
    return counts


# The characteristics relationship context is crossed with (cross_breakdown).
CROSS_CHARACTERISTICS = ("sex", "age_band", "ethnicity", "disability")
CROSS_ROWS = "relationship"


def cross_breakdown(
    frame: pd.DataFrame, hits: np.ndarray, columns: str, *, measure: str, base: str
) -> Breakdown:
    """Numerator of denominator for every pair of a relationship context and a group of
    ``columns`` ("not recorded" included on both sides), each row's group "row|column"."""
    row_groups = [*DIMENSIONS[CROSS_ROWS][1].items(), NOT_RECORDED]
    column_groups = [*DIMENSIONS[columns][1].items(), NOT_RECORDED]
    row_codes = group_codes(frame[CROSS_ROWS], row_groups)
    column_codes = group_codes(frame[columns], column_groups)
    # A value in neither list (none is expected) falls in no cell, as it falls in no group.
    cells = np.where(
        (row_codes >= 0) & (column_codes >= 0), row_codes * len(column_groups) + column_codes, -1
    )
    numerators, denominators = _cell_counts(cells, hits, len(row_groups) * len(column_groups))
    rows = []
    for r, (row_group, row_label) in enumerate(row_groups):
        for c, (column_group, column_label) in enumerate(column_groups):
            cell = r * len(column_groups) + c
            numerator, denominator = int(numerators[cell]), int(denominators[cell])
            rows.append(
                Row(
                    group=f"{row_group or 'not-recorded'}|{column_group or 'not-recorded'}",
                    label=f"{row_label} · {column_label}",
                    numerator=numerator,
                    denominator=denominator,
                    value=numerator / denominator if denominator else None,
                )
            )
    label = f"{DIMENSIONS[CROSS_ROWS][0]} by {DIMENSIONS[columns][0].lower()}"
    return Breakdown(
        f"{CROSS_ROWS}-by-{columns}",
        label,
        "rate",
        measure=measure,
        base=base,
        rows=rows,
        crosses=(CROSS_ROWS, columns),
    )


def cross_tabs(records: pd.DataFrame, period) -> list[Breakdown]:
    """Charges of outcomes in the window by relationship context and each characteristic."""
    outcomes = outcomes_in(records, period)
    charged = outcomes["outcome_type"].to_numpy() == CHARGE
    return [
        cross_breakdown(outcomes, charged, c, measure="charges", base="outcomes")
        for c in CROSS_CHARACTERISTICS
    ]


def count_breakdown(
    dimension: str, label: str, counts: dict[str, int], labels: dict[str, str], *, measure: str
) -> Breakdown:
    total = sum(counts.values())
    rows = []
    for group, group_label in labels.items():
        count = int(counts.get(group, 0))
        interval = wilson_interval(count, total)
        rows.append(
            Row(
                group=group or "not-recorded",
                label=group_label,
                numerator=count,
                denominator=total,
                value=count / total if total else None,
                ci_low=interval[0] if interval else None,
                ci_high=interval[1] if interval else None,
            )
        )
    return Breakdown(dimension, label, "count", measure=measure, rows=rows)


NOT_SIGNIFICANT = "not significantly different"


def significance(row: Row) -> str:
    """Where a compared group's 95% ratio interval lies against 1 (no gap)."""
    if row.ratio_high < 1:
        return "significantly lower"
    if row.ratio_low > 1:
        return "significantly higher"
    return NOT_SIGNIFICANT


def compare_groups(breakdown: Breakdown, params: Params) -> Row | None:
    """Mark the reference group (the largest recorded group) and each group's rate ratio
    against it, with whether its 95% interval lies wholly below or above 1; groups too
    small, or withheld, are "not compared" and say why. Returns the compared group with
    the lowest ratio."""
    rows = [r for r in breakdown.rows if r.group != "not-recorded"]
    for row in breakdown.rows:
        row.reference, row.compared, row.ratio = False, False, None
        row.ratio_low = row.ratio_high = None
    eligible = [
        r
        for r in rows
        if not r.suppressed and r.denominator is not None and r.denominator >= params.min_group
    ]
    too_few = f"not compared: too few outcomes, under {params.min_group}"
    if not eligible:
        for row in rows:
            row.note = "not compared: withheld" if row.suppressed else too_few
        return None
    reference = max(eligible, key=lambda r: (r.denominator, r.group))
    reference.reference = True
    lowest = None
    for row in rows:
        if row is reference:
            row.note = "reference group"
            continue
        if row not in eligible:
            row.note = "not compared: withheld" if row.suppressed else too_few
            continue
        ratio = rate_ratio(
            row.numerator, row.denominator, reference.numerator, reference.denominator
        )
        if ratio is None:
            row.note = "not compared: no charges in the reference group"
            continue
        row.ratio, row.ratio_low, row.ratio_high = ratio
        row.compared = True
        row.note = significance(row)
        if row.numerator == 0:
            row.note += " (no charges: half a charge added to each count)"
        if lowest is None or row.ratio < lowest.ratio:
            lowest = row
    return lowest


def disparity_measure(breakdown: Breakdown, params: Params) -> Measure:
    """The KPI value of a disparity breakdown: the ratio, to the reference group, of the
    group with the largest significant gap (furthest from 1 on a log scale, among the
    groups whose 95% interval excludes 1); where no gap is significant, the largest gap,
    read as "not significantly different"; of groups as far from 1, the one with more outcomes,
    then the first by name. Groups left out are listed with the reason."""
    compare_groups(breakdown, params)
    rows = [r for r in breakdown.rows if r.group != "not-recorded"]
    reference = next((r for r in rows if r.reference), None)
    compared = [r for r in rows if r.compared]
    left_out = [
        {"group": r.label, "why": r.note.removeprefix("not compared: ")}
        for r in rows
        if not r.reference and not r.compared and r.denominator != 0  # none to leave out
    ]
    detail = {
        "compared": bool(compared),
        "reference_group": reference.label if reference else "",
        "left_out": left_out,
    }
    if not compared:
        return Measure(insufficient=True, breakdowns=[breakdown], detail=detail)
    significant = [r for r in compared if significance(r) != NOT_SIGNIFICANT]
    # Two groups as far from 1 (the same counts): the one with more outcomes, then by name.
    gap = min(significant or compared, key=lambda r: (-abs(log(r.ratio)), -r.denominator, r.label))
    detail.update(
        significant=bool(significant),
        gap_group=gap.label,
        gap_words=significance(gap),
        significant_groups=[r.label for r in significant],
    )
    return Measure(
        value=gap.ratio,
        numerator=gap.value,
        denominator=reference.value,
        ci_low=gap.ratio_low,
        ci_high=gap.ratio_high,
        breakdowns=[breakdown],
        detail=detail,
    )


# --- outcome justice -----------------------------------------------------------------------


@kpi("charge-volume")
def charge_volume(records: pd.DataFrame, period: Period, params: Params) -> Measure:
    """Charges and summonses (outcome type 1) assigned in the quarter.

    Numerator: RASSO offences given outcome type 1 in the quarter. No denominator.
    Direction: up is good, read beside withdrawal and victim support (whole-system panel).
    Basis: outcomes. NOM source: Aim one, outcome justice ("monitor charge volumes").
    Breakdowns: charges of outcomes by each dimension; over a window of quarters (the rolling
    year, the year to date) also relationship context crossed with each victim
    characteristic (cross_tabs; Context-led: "charge volumes across relationship contexts
    and protected characteristics").
    """
    outcomes = outcomes_in(records, period)
    charged = outcomes["outcome_type"].to_numpy() == CHARGE
    breakdowns = [
        rate_breakdown(outcomes, charged, d, measure="charges", base="outcomes") for d in DIMENSIONS
    ]
    count = int(charged.sum())
    return Measure(value=count, numerator=count, measure="charges", breakdowns=breakdowns)


@kpi("charge-rate")
def charge_rate(records: pd.DataFrame, period: Period, params: Params) -> Measure:
    """Charge/summons rate: charges as a share of all outcomes assigned in the quarter.

    Numerator: offences given outcome type 1 in the quarter. Denominator: offences given
    any outcome 1 to 22 in the quarter (type 0, not yet assigned, left out).
    Direction: up is good. Basis: outcomes (Home Office closed basis).
    NOM source: Aim one, outcome justice; Context-led ("charge volumes across relationship
    contexts and protected characteristics").
    """
    outcomes = outcomes_in(records, period)
    charged = outcomes["outcome_type"].to_numpy() == CHARGE
    breakdowns = [
        rate_breakdown(outcomes, charged, d, measure="charges", base="outcomes") for d in DIMENSIONS
    ]
    for b in breakdowns:
        compare_groups(b, params)
    return _proportion(
        int(charged.sum()),
        len(outcomes),
        params,
        measure="charges",
        base="outcomes",
        breakdowns=breakdowns,
    )


@kpi("charge-volume-victim-supports")
def charge_volume_victim_supports(records: pd.DataFrame, period: Period, params: Params) -> Measure:
    """Charges and summonses in the quarter where the victim supports a prosecution.

    Numerator: offences given outcome type 1 in the quarter with the victim recorded as
    supporting a prosecution. No denominator (the split of all charges is the breakdown).
    Direction: up is good. Basis: outcomes. NOM source: Aim one, outcome justice, read with
    the victim context of the Context-led principle ("whether they want an investigation").
    """
    charges = outcomes_in(records, period)
    charges = charges[charges["outcome_type"].to_numpy() == CHARGE]
    counts = charges["victim_supports_prosecution"].value_counts().to_dict()
    supports = int(counts.get("yes", 0))
    breakdown = count_breakdown(
        "victim_supports",
        "Charges by whether the victim supports a prosecution",
        counts,
        {"yes": "Supports a prosecution", "no": "Does not support", "": "Not recorded"},
        measure="charges-by-support",
    )
    return Measure(
        value=supports,
        numerator=supports,
        denominator=len(charges),
        measure="charges-victim-supports",
        base="charges",
        breakdowns=[breakdown],
    )


def _disparity(dimension: str):
    def function(records: pd.DataFrame, period: Period, params: Params) -> Measure:
        outcomes = outcomes_in(records, period)
        charged = outcomes["outcome_type"].to_numpy() == CHARGE
        breakdown = rate_breakdown(outcomes, charged, dimension, measure="charges", base="outcomes")
        return disparity_measure(breakdown, params)

    label = DIMENSIONS[dimension][0].lower()
    function.__name__ = f"charge_rate_by_{dimension}"
    function.__doc__ = f"""Charge rate gap by {label}: the largest significant gap to the reference.

    For each {label} group: charges (outcome 1) over all outcomes (1 to 22) given in the
    window (the quarter, the rolling year ending with it, or the financial year to date),
    with a Wilson interval. The reference group is the largest recorded group that is
    compared (not withheld, at least Params.min_group outcomes); each other group of at
    least Params.min_group outcomes has a rate ratio against it with a Katz log 95% interval
    (a group without a charge: half a charge added to each count). Value: the ratio of the
    group with the largest significant gap (interval wholly below or above 1; furthest from
    1 on a log scale), or where none is significant the largest gap, read as "not
    significantly different". Numerator: that group's charge rate. Denominator: the
    reference group's charge rate. Groups left out (withheld, too few outcomes) are named.
    Direction: 1.0 means no gap. Basis: outcomes. NOM source: Context-led, "reduced
    disparity in outcome ... across the victim-suspect relationship contexts and the victim
    context"; "monitor charge volumes across relationship contexts and protected
    characteristics".
    """
    return function


for _dimension, _slug in [
    ("sex", "charge-rate-by-sex"),
    ("ethnicity", "charge-rate-by-ethnicity"),
    ("age_band", "charge-rate-by-age-band"),
    ("disability", "charge-rate-by-disability"),
    ("relationship", "charge-rate-by-relationship"),
]:
    kpi(_slug, version=2)(_disparity(_dimension))


# --- procedural justice and the victim -----------------------------------------------------


@kpi("withdrawal-share")
def withdrawal_share(records: pd.DataFrame, period: Period, params: Params) -> Measure:
    """Victim withdrawal: outcomes 14 and 16 as a share of all outcomes in the quarter.

    Numerator: offences given outcome 14 or 16 (evidential difficulties; victim does not
    support action) in the quarter. Denominator: offences given any outcome 1 to 22 in the
    quarter. Breakdown: the stage at which the victim withdrew. Direction: down is good. Basis: outcomes.
    NOM source: Aim two, procedural justice; Victim-centred principle.
    """
    outcomes = outcomes_in(records, period)
    withdrew = np.isin(outcomes["outcome_type"].to_numpy(), WITHDRAWAL)
    stages = outcomes.loc[withdrew, "withdrawal_stage"].value_counts().to_dict()
    breakdowns = [
        count_breakdown(
            "withdrawal_stage",
            "Stage of withdrawal",
            stages,
            {**WITHDRAWAL_STAGES, "": "Not recorded"},
            measure="withdrawals-by-stage",
        )
    ]
    return _proportion(
        int(withdrew.sum()),
        len(outcomes),
        params,
        measure="withdrawals",
        base="outcomes",
        breakdowns=breakdowns,
    )


# --- reduction and prevention --------------------------------------------------------------


@kpi("repeat-suspect-share", needs="history")
def repeat_suspect_share(
    records: pd.DataFrame, period: Period, params: Params, *, history: pd.DataFrame
) -> Measure:
    """Repeat suspects: named suspects in the quarter's offences who are repeat suspects.

    Numerator: different named suspects in RASSO offences recorded in the quarter who are
    named in Params.repeat_reports (N) or more RASSO reports, of any offence group, recorded
    in the Params.repeat_years (Y) years up to the end of the quarter. Denominator: different
    named suspects in RASSO offences recorded in the quarter. Direction: none (a rising
    share may mean better identification). Basis: cohort. The definition is versioned:
    a national definition is expected. NOM source: Aim three, reduction and prevention
    ("monitor the proportion of named RASSO suspects who are repeat suspects").
    """
    cohort = recorded_in(records, period)
    suspects = pd.unique(cohort.loc[cohort["suspect_ref_hash"] != "", "suspect_ref_hash"])
    repeaters = _repeat_suspects(history, period, params.repeat_reports, params.repeat_years)
    repeat = sum(1 for suspect in suspects if suspect in repeaters)
    measure = _proportion(repeat, len(suspects), params)
    measure.measure, measure.base = "repeat-suspects", "named-suspects"  # disclosure cells
    measure.detail = {
        "repeat_reports": params.repeat_reports,
        "repeat_years": params.repeat_years,
    }
    return measure


def _repeat_suspects(history: pd.DataFrame, period: Period, reports: int, years: int) -> set:
    """Suspects named in N or more RASSO reports in the Y years up to the quarter's end."""
    key = (id(history), "repeaters", period, reports, years)
    if _slices is not None and key in _slices:
        return _slices[key][1]
    # Quarter arithmetic: the Y years up to a quarter's end are exactly its last 4Y quarters.
    index = period_index(period)
    rq = history["rq"].to_numpy()
    window = history["suspect_ref_hash"].to_numpy()[(rq > index - 4 * years) & (rq <= index)]
    counts = pd.Series(window[window != ""]).value_counts()
    repeaters = set(counts.index[counts.to_numpy() >= reports])
    if _slices is not None:
        _slices[key] = (history, repeaters)
    return repeaters


# --- suspect-focused: timeliness -----------------------------------------------------------


def _median_days(outcomes: pd.DataFrame, params: Params) -> Measure:
    days = outcomes["days_to_outcome"].to_numpy()
    if len(days) == 0:
        return Measure(insufficient=True, denominator=0)
    quartiles = np.percentile(days, [25, 50, 75])
    return Measure(
        value=float(quartiles[1]),
        denominator=len(days),
        insufficient=len(days) < params.disclosure_threshold,
        detail={"lower_quartile": float(quartiles[0]), "upper_quartile": float(quartiles[2])},
    )


@kpi("days-to-charge")
def days_to_charge(records: pd.DataFrame, period: Period, params: Params) -> Measure:
    """Median days from report (recorded date) to charge, for charges given in the quarter.

    Value: the median over offences given outcome 1 in the quarter of outcome date minus
    recorded date; the quartiles are kept. Numerator: none (a median). Denominator: the
    charges it is the median of. Direction: down is
    good. Basis: outcomes. NOM source: Principle suspect-focused (good quality, timely
    investigations); HMICFRS 2024 on timeliness.
    """
    outcomes = outcomes_in(records, period)
    return _median_days(outcomes[outcomes["outcome_type"].to_numpy() == CHARGE], params)


@kpi("days-to-nfa")
def days_to_nfa(records: pd.DataFrame, period: Period, params: Params) -> Measure:
    """Median days from report to no further action, for NFA outcomes given in the quarter.

    NFA outcomes: types 5, 9 to 18 and 21 (so victim withdrawal, 14 and 16, is included).
    Value: the median of outcome date minus recorded date. Numerator: none (a median).
    Denominator: the outcomes it is the median of. Direction: down is good. Basis: outcomes. NOM source: Principle
    suspect-focused; Victim-centred (victims kept waiting).
    """
    outcomes = outcomes_in(records, period)
    nfa = np.isin(outcomes["outcome_type"].to_numpy(), (*NFA, *WITHDRAWAL))
    return _median_days(outcomes[nfa], params)


# --- resourcing ----------------------------------------------------------------------------


@kpi("open-investigations")
def open_investigations(records: pd.DataFrame, period: Period, params: Params) -> Measure:
    """Open investigations at the end of the quarter, and how long they have been open.

    Value (the Numerator): RASSO offences recorded by the end of the quarter without an
    outcome at that date; no denominator. Breakdown: age since recording (under 3 months ... 2 years or more); the median
    age is kept. Direction: none. Basis: snapshot at the quarter end.
    NOM source: In-force principle resourcing ("reliable and up-to-date figures on RASSO
    demand").
    """
    still_open = open_at_end(records, period)
    end_day = (np.datetime64(period.end, "D") - np.datetime64("1970-01-01", "D")).astype("int64")
    age = end_day - still_open["recorded_day"].to_numpy()
    counts = {}
    for low, high, group, _ in OPEN_AGE_BANDS:
        counts[group] = int(((age >= low) & (age < high)).sum())
    breakdown = count_breakdown(
        "open_age",
        "Open investigations by time since recording",
        counts,
        {group: label for _, _, group, label in OPEN_AGE_BANDS},
        measure="open",
    )
    return Measure(
        value=len(still_open),
        numerator=len(still_open),
        measure="open",
        breakdowns=[breakdown],
        detail={"median_age_days": float(np.median(age)) if len(age) else None},
    )


@kpi("caseload-per-investigator")
def caseload_per_investigator(records: pd.DataFrame, period: Period, params: Params) -> Measure:
    """Caseload per investigator: open investigations each, against a threshold of 15.

    Numerator: open RASSO investigations at the quarter end with an allocated investigator.
    Denominator: different investigators allocated at least one of them. Breakdown:
    investigators by caseload band; the number above the threshold is kept.
    Direction: down is good (above Params.caseload_threshold is unsustainable).
    Basis: snapshot. NOM source: In-force principle resourcing ("per-officer case load",
    "achieve optimum officer workload").
    """
    still_open = open_at_end(records, period)
    allocated = still_open.loc[still_open["investigator_ref_hash"] != "", "investigator_ref_hash"]
    loads = allocated.value_counts().to_numpy()
    counts = {}
    for low, high, group, _ in CASELOAD_BANDS:
        counts[group] = int(((loads >= low) & (loads < high)).sum())
    breakdown = count_breakdown(
        "caseload_band",
        "Investigators by open caseload",
        counts,
        {group: label for _, _, group, label in CASELOAD_BANDS},
        measure="investigators",
    )
    breakdown.additive = False
    investigators = len(loads)
    return Measure(
        value=len(allocated) / investigators if investigators else None,
        numerator=len(allocated),
        denominator=investigators,
        insufficient=investigators == 0,
        measure="open-allocated",
        base="investigators",
        breakdowns=[breakdown],
        detail={
            "threshold": params.caseload_threshold,
            "above_threshold": int((loads > params.caseload_threshold).sum()),
        },
    )


# --- data and analysis ---------------------------------------------------------------------


# A characteristic from an optional column of the extract, on a record whose import did not
# carry that column (ImportBatch.optional_columns): the records source marks it so before
# the KPIs run (record_frames.force_frames). "Not supplied" is not "not recorded": the force's
# extract says nothing either way, so such records count neither as missing nor as recorded.
NOT_SUPPLIED = "not-supplied"
# (column, slug, what is missing, whose records: "" offences recorded in the quarter, or
# "named" those of them with a named suspect, since a suspect's characteristics are blank
# wherever no suspect is named)
MISSING_DATA = [
    ("sex", "missing-sex", "victim's sex", ""),
    ("ethnicity", "missing-ethnicity", "victim's ethnicity", ""),
    ("age_band", "missing-age", "victim's age", ""),
    ("disability", "missing-disability", "victim's disability status", ""),
    ("relationship", "missing-relationship", "victim-suspect relationship", ""),
    ("victim_sexual_orientation", "missing-sexual-orientation", "victim's sexual orientation", ""),
    ("victim_religion", "missing-religion", "victim's religion", ""),
    ("victim_gender_identity", "missing-gender-identity", "victim's gender identity", ""),
    ("suspect_sex", "missing-suspect-sex", "named suspect's sex", "named"),
    ("suspect_age_band", "missing-suspect-age", "named suspect's age band", "named"),
    ("suspect_ethnicity", "missing-suspect-ethnicity", "named suspect's ethnicity", "named"),
]
# The optional columns among them: an extract may leave these out.
OPTIONAL_CHARACTERISTICS = (
    "victim_sexual_orientation",
    "victim_religion",
    "victim_gender_identity",
    "suspect_sex",
    "suspect_age_band",
    "suspect_ethnicity",
)
RECORDING = "recording"  # a missing-data KPI's breakdown: its offences recorded or not
RECORDING_GROUPS = {"recorded": "Recorded", "": "Not recorded"}


def _missing(column: str, slug: str, what: str, whose: str):
    def function(records: pd.DataFrame, period: Period, params: Params) -> Measure:
        cohort = recorded_in(records, period)
        if column in cohort:
            values = cohort[column].to_numpy()
        else:  # a frame built without the optional column: no extract carried it
            values = np.full(len(cohort), NOT_SUPPLIED, dtype=object)
        supplied = values != NOT_SUPPLIED
        if len(values) and not supplied.any():
            return Measure(detail={"not_supplied": True, "column": column})
        if whose == "named":
            named = cohort["suspect_ref_hash"].to_numpy() != ""
            values, supplied = values[named], supplied[named]
        missing, total = int((values == "").sum()), int(supplied.sum())
        # The counts as a breakdown, so that disclosure control protects the missing count
        # with every other cell of the force-quarter (withhold_headline reads it back).
        recording = count_breakdown(
            RECORDING,
            f"Offences by whether the {what} is recorded",
            {"recorded": total - missing, "": missing},
            RECORDING_GROUPS,
            measure=slug,
        )
        return _proportion(
            missing,
            total,
            params,
            breakdowns=[recording],
            detail={"partly_supplied": not supplied.all()},
        )

    return function


for _column, _slug, _what, _whose in MISSING_DATA:
    _function = _missing(_column, _slug, _what, _whose)
    _function.__name__ = _slug.replace("-", "_")
    _offences = "RASSO offences recorded in the quarter" + (
        " with a named suspect" if _whose == "named" else ""
    )
    _optional = (
        f"""
    Only offences from extracts that carry the {_column} column count; where none of the
    quarter's offences do, the figure is "not supplied" (status not_supplied), never 100%
    missing."""
        if _column in OPTIONAL_CHARACTERISTICS
        else ""
    )
    _function.__doc__ = f"""Missing data: offences recorded in the quarter without the {_what}.

    Numerator: {_offences} with the {_what} blank.
    Denominator: {_offences}. Direction: down is good.
    Basis: cohort. NOM source: In-force principle data and analysis (data quality, so
    disparities by protected characteristic and relationship context can be seen).{_optional}
    Disclosure: a missing (or recorded) count from 1 to threshold - 1 is withheld in the
    headline as in the breakdown (withhold_headline).
    """
    kpi(_slug)(_function)

MISSING_DATA_SLUGS = frozenset(slug for _, slug, _, _ in MISSING_DATA)


def withhold_headline(measure: Measure) -> None:
    """After disclosure control: where a missing-data KPI's missing count is withheld in its
    breakdown, its headline value, count and interval are withheld too (the number of
    offences, a public total, stays). ``detail["withheld"]`` says what the page can say:
    "missing" (fewer than the threshold missing), "recorded" (fewer than it recorded) or
    "complement" (withheld so that a small count elsewhere cannot be worked out)."""
    if not measure.breakdowns:
        return
    rows = {row.group: row for row in measure.breakdowns[0].rows}
    missing, recorded = rows["not-recorded"], rows["recorded"]
    if not missing.numerator_flag:
        return
    if missing.numerator_flag == "primary":
        measure.detail["withheld"] = "missing"
    elif recorded.numerator_flag == "primary":
        measure.detail["withheld"] = "recorded"
    else:
        measure.detail["withheld"] = "complement"
    measure.value = measure.numerator = measure.ci_low = measure.ci_high = None


@kpi("outcome-distribution")
def outcome_distribution(records: pd.DataFrame, period: Period, params: Params) -> Measure:
    """Outcome types: the share of the quarter's outcomes in each Home Office outcome type.

    Numerator: offences given each outcome type 1 to 22 in the quarter. Denominator: all
    offences given an outcome (1 to 22) in the quarter.
    Value: the share of the most common outcome type (named in the detail).
    Direction: none. Basis: outcomes. NOM source: In-force principle data and analysis
    (outcome code review); Aim one.
    """
    outcomes = outcomes_in(records, period)
    counts = outcomes["outcome_type"].value_counts().to_dict()
    labels = {str(code): f"Outcome {code}" for code in range(1, 23)}
    breakdown = count_breakdown(
        "outcome_type", "Outcomes by type", counts, labels, measure="outcomes-by-type"
    )
    total = len(outcomes)
    if not total:
        return Measure(insufficient=True, denominator=0, breakdowns=[breakdown])
    top = max(breakdown.rows, key=lambda r: (r.numerator, -int(r.group)))
    return Measure(
        value=top.numerator / total,
        numerator=top.numerator,
        denominator=total,
        insufficient=total < params.min_denominator,
        measure="",
        base="outcomes",
        breakdowns=[breakdown],
        detail={"most_common": top.group},
    )


# --- national position (Home Office tables) ------------------------------------------------

# The Home Office outcome groups a no-further-action outcome falls in (other than the victim
# not supporting action, which is WITHDRAWAL): the groups of fixtures/home_office_codes.json.
NFA_GROUPS = {
    "nfa_evidential": ("15",),  # evidential difficulties: suspect identified, victim supports
    "nfa_prevented": ("5", "9", "10", "11", "12", "13", "17"),  # prevented / not in public interest
    "nfa_police_decision": ("21",),  # further investigation not in the public interest
    "nfa_no_suspect": ("18",),  # investigation complete, no suspect identified
}
# The counts of the national table: Home Office outcome types each one adds up (None: 1 to 22).
NATIONAL_COUNTS = {
    "charges": (CHARGE,),
    "withdrawals": WITHDRAWAL,
    **NFA_GROUPS,
    "outcomes": None,
}
NOT_IN_TABLE = "not in the Home Office table for the quarter"
NO_OUTCOMES = "no outcomes in the Home Office table for the quarter"


def national_counts(cells: pd.DataFrame, regions: dict[str, str]) -> pd.DataFrame:
    """One row per force of England and Wales: its charges, withdrawals and outcomes.

    ``cells`` holds the Home Office table's closed-basis cells for one quarter and offence
    group, summed per force and outcome type: force, outcome_type, count, and missing (how
    many of the summed cells the table marks as not provided). Outcomes are types 1 to 22
    (type 0, not yet assigned, left out). A count that adds up a missing cell is missing
    (NaN), never the partial sum of the cells that were provided; ``left_out`` says why a
    force has no rate ("" when it has one): it is not in the table, the table does not
    provide some of its cells, or it has no outcomes.
    """
    counts = {force: dict.fromkeys(NATIONAL_COUNTS, 0) for force in regions}
    missing = {force: set() for force in regions}  # the counts that add up a missing cell
    gaps = {force: set() for force in regions}  # the outcome types of those cells
    given = {force: set() for force in regions}  # the outcome types the table has for it
    present = set()
    for force, outcome, count, unprovided in zip(
        cells["force"], cells["outcome_type"], cells["count"], cells["missing"], strict=True
    ):
        present.add(force)
        if outcome == "0" or force not in counts:
            continue
        for column, types in NATIONAL_COUNTS.items():
            if types is None or outcome in types:
                counts[force][column] += count
                if unprovided:
                    missing[force].add(column)
        given[force].add(outcome)
        if unprovided:
            gaps[force].add(outcome)
    rows = []
    for force in sorted(regions):
        row = {"force": force, "region": regions[force]}
        for column in NATIONAL_COUNTS:
            known = force in present and column not in missing[force]
            row[column] = counts[force][column] if known else np.nan
        if force not in present:
            row["left_out"] = NOT_IN_TABLE
        elif gaps[force] and gaps[force] == given[force]:
            row["left_out"] = "Home Office data not provided for any of its outcomes"
        elif gaps[force]:
            types = sorted(gaps[force], key=_outcome_order)
            plural = "s" if len(types) > 1 else ""
            row["left_out"] = (
                f"Home Office data not provided for outcome type{plural} {', '.join(types)}"
            )
        elif counts[force]["outcomes"] <= 0:
            row["left_out"] = NO_OUTCOMES
        else:
            row["left_out"] = ""
        rows.append(row)
    return pd.DataFrame(rows, columns=["force", "region", *NATIONAL_COUNTS, "left_out"])


def _outcome_order(code: str) -> tuple[int, str]:
    digits = "".join(c for c in code if c.isdigit())
    return (int(digits) if digits else 0, code)


def has_rate(national: pd.DataFrame, column: str = "charges") -> pd.Series:
    """Forces whose rate (``column`` over outcomes) the table gives: no missing cell, outcomes."""
    usable = national[column].notna() & national["outcomes"].notna() & (national["outcomes"] > 0)
    if "left_out" in national.columns:
        usable &= national["left_out"] == ""
    return usable


def ranked(national: pd.DataFrame) -> pd.DataFrame:
    """Forces with a charge rate, highest first, with their rank (ties share one).

    Forces without one (a missing cell, no outcomes) are left out, never ranked as zero;
    ``left_out_forces`` lists them with the reason.
    """
    if "rank" in national.columns:
        return national[national["rank"].notna()]  # ranked once per quarter by the records source
    table = national[has_rate(national)].copy()
    table["rate"] = table["charges"] / table["outcomes"]
    table = table.sort_values(["rate", "force"], ascending=[False, True]).reset_index(drop=True)
    table["rank"] = table["rate"].rank(method="min", ascending=False).astype(int)
    return table


def with_ranks(national: pd.DataFrame) -> pd.DataFrame:
    """The whole national table with each force's charge rate and rank (NaN when left out)."""
    table = ranked(national)
    rest = national[~national["force"].isin(set(table["force"]))].copy()
    rest["rate"], rest["rank"] = np.nan, np.nan
    return pd.concat([table, rest], ignore_index=True) if len(rest) else table


def left_out_forces(national: pd.DataFrame, column: str = "charges") -> list[dict]:
    """The forces a national figure (``column`` over outcomes) leaves out, and why."""
    rows = national[~has_rate(national, column)]
    reasons = rows["left_out"] if "left_out" in rows.columns else pd.Series("", index=rows.index)
    return [
        {"force": force, "reason": reason or NO_OUTCOMES}
        for force, reason in zip(rows["force"], reasons, strict=True)
    ]


@kpi("national-position", needs="national")
def national_position(
    records: pd.DataFrame, period: Period, params: Params, *, national: pd.DataFrame, force: str
) -> Measure:
    """National position: the force's rank among the 43 forces by charge rate.

    From the Home Office outcomes open data for the quarter, closed basis: for each force,
    charges (type 1) over all outcomes 1 to 22. Numerator: the force's rank (1 is the
    highest rate). Denominator: the forces ranked. ``national`` has one row per force:
    force, charges, outcomes (for one offence group), and why a force is left out. A force
    whose charges or outcomes the table does not provide (a cell marked "N/A - data not
    provided") has no rate and is left out of the ranking, never ranked as if it were zero.
    Direction: down is good (a lower rank number). Basis: outcomes.
    NOM source: Aim one, outcome justice; HMICFRS 2024 recommendation 11 (national
    comparison in strategic performance monitoring).
    """
    table = ranked(national)
    left_out = left_out_forces(national)
    if table.empty:
        return Measure(insufficient=True, detail={"forces": 0, "left_out": left_out})
    rows = [
        Row(
            group=name,
            label=name,
            numerator=int(charges),
            denominator=int(outcomes),
            value=float(rate),
            reference=name == force,
            note=f"rank {rank}",
        )
        for name, charges, outcomes, rate, rank in zip(
            table["force"],
            table["charges"],
            table["outcomes"],
            table["rate"],
            table["rank"],
            strict=True,
        )
    ]
    breakdown = Breakdown(
        "force", "Charge rate by force (Home Office)", "rate", "national", rows=rows, public=True
    )
    national_rate = table["charges"].sum() / table["outcomes"].sum()
    detail = {"forces": len(table), "national_rate": float(national_rate), "left_out": left_out}
    if force not in set(table["force"]):
        return Measure(insufficient=True, breakdowns=[breakdown], detail=detail)
    mine = table[table["force"] == force].iloc[0]
    return Measure(
        value=int(mine["rank"]),
        numerator=int(mine["rank"]),
        denominator=len(table),
        breakdowns=[breakdown],
        detail=detail,
    )


def run(
    slug: str,
    records: pd.DataFrame,
    period: Period,
    params: Params,
    **context,
) -> Measure:
    """Run one catalogue KPI, passing only the context its definition needs."""
    definition = CATALOGUE[slug]
    if definition.needs == "history":
        return definition.function(records, period, params, history=context["history"])
    if definition.needs == "national":
        return definition.function(
            records, period, params, national=context["national"], force=context["force"]
        )
    return definition.function(records, period, params)
