"""The problem profile's sections, computed with pandas from a force's crime records.

Pure: a records frame (``services.records_frame``) and a window in, sections of tables out,
every count registered with ``Counts`` so that disclosure control can run across the whole
profile once. "This year" is the rolling 12 months ending with the chosen quarter;
"previous year" the 12 months before it. Open investigations, caseloads and outcomes are
read as at each year's last day, so both years are measured the same way.

Long because it is one profile read top to bottom, section by section, in the order the
page shows them; each section is a short function over the same window and counts.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from soteria.periods import Period

from ..engine import catalogue
from ..engine.catalogue import CASELOAD_BANDS, DIMENSIONS, OPEN_AGE_BANDS, WITHDRAWAL_STAGES
from ..engine.models import CrimeRecord
from .tables import Cell, Counts, ProfileTable, Section

YEARS = ("cur", "prev")
YEAR_LABELS = {"cur": "This year", "prev": "Previous year"}
NOT_RECORDED = "Not recorded"
# Outcome groups of the attrition view, by Home Office outcome type.
ATTRITION = [
    ("charged", "Charged or summonsed", ("1",)),
    ("ed-supports", "Evidential difficulties, victim supports action", ("15",)),
    ("ed-no-support", "Evidential difficulties, victim does not support action", ("14", "16")),
    ("other-nfa", "Other no further action", tuple(c for c in catalogue.NFA if c != "15")),
]
OTHER_OUTCOMES = ("other-outcome", "Other outcomes (cautions, community resolutions, other)")
STILL_OPEN = ("open", "Still open")
REPORT_BANDS = [(1, 2, "1", "1 report"), (2, 3, "2", "2 reports"), (3, 5, "3-4", "3 or 4 reports")]
REPORT_BANDS.append((5, 10**6, "5-plus", "5 or more reports"))
SUSPECT_DIMENSIONS = [
    (
        "suspect_age_band",
        "Suspect age band",
        {
            "under-18": "Under 18",
            "18-24": "18 to 24",
            "25-39": "25 to 39",
            "40-59": "40 to 59",
            "60-plus": "60 and over",
        },
    ),
    ("suspect_sex", "Suspect sex", DIMENSIONS["sex"][1]),
    ("suspect_ethnicity", "Suspect ethnicity", DIMENSIONS["ethnicity"][1]),
]
# The victim's characteristics from optional columns: (column, table slug, title, groups).
VICTIM_OPTIONAL = [
    (
        "victim_sexual_orientation",
        "victim-sexual_orientation",
        "Victim sexual orientation",
        dict(CrimeRecord.SexualOrientation.choices),
    ),
    ("victim_religion", "victim-religion", "Victim religion", dict(CrimeRecord.Religion.choices)),
    (
        "victim_gender_identity",
        "victim-gender_identity",
        "Victim gender identity (the same as sex registered at birth?)",
        dict(CrimeRecord.GenderIdentity.choices),
    ),
]
MISSING_FIELDS = [
    ("victim_sex", "Victim sex", "recorded"),
    ("age_band", "Victim age", "recorded"),
    ("victim_ethnicity", "Victim ethnicity", "recorded"),
    ("victim_disability", "Victim disability", "recorded"),
    ("relationship", "Relationship context", "recorded"),
    ("suspect_ref_hash", "Named suspect", "recorded"),
    ("victim_supports_prosecution", "Whether the victim supports action", "recorded"),
    ("withdrawal_stage", "Withdrawal stage (of withdrawals)", "withdrawn"),
    ("investigator_ref_hash", "Investigator (of open investigations)", "open"),
]
# What the extract may lack, the optional columns that would supply it (none: no column yet)
# and what the profile cannot say without it.
OPTIONAL_MISSING = [
    ("suspect_age_band", "Suspect age band (of reports with a named suspect)", "named"),
    ("suspect_sex", "Suspect sex (of reports with a named suspect)", "named"),
    ("suspect_ethnicity", "Suspect ethnicity (of reports with a named suspect)", "named"),
    ("victim_ref_hash", "Victim reference", "recorded"),
    ("policing_area", "Local policing area", "recorded"),
    ("victim_sexual_orientation", "Victim sexual orientation", "recorded"),
    ("victim_religion", "Victim religion", "recorded"),
    ("victim_gender_identity", "Victim gender identity", "recorded"),
]
LACKING = [
    (
        "Suspect age, sex and ethnicity",
        ("suspect_age_band", "suspect_sex", "suspect_ethnicity"),
        "Who the suspects are: the profile cannot describe suspects beyond how often the "
        "same one is named.",
    ),
    (
        "Pseudonymised victim reference",
        ("victim_ref_hash",),
        "Repeat victims: how many victims report more than once, and who they are.",
    ),
    (
        "Local policing area",
        ("policing_area",),
        "Where: demand and outcomes cannot be ranked by area, so no hotspots are shown.",
    ),
    (
        "Victim sexual orientation",
        ("victim_sexual_orientation",),
        "Who the victims are, and whether outcomes differ, by sexual orientation.",
    ),
    (
        "Victim religion",
        ("victim_religion",),
        "Who the victims are, and whether outcomes differ, by religion.",
    ),
    (
        "Victim gender identity",
        ("victim_gender_identity",),
        "Who the victims are, and whether outcomes differ, by gender identity.",
    ),
    (
        "Date the offence took place",
        (),
        "Delayed reporting: how long after the offence victims come forward.",
    ),
]


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date

    @classmethod
    def ending(cls, period: Period) -> "Window":
        return cls(period.shift(-3).start, period.end)

    @property
    def label(self) -> str:
        return f"{self.start:%b %Y} to {self.end:%b %Y}"

    def months(self) -> list[dt.date]:
        return [(pd.Timestamp(self.start) + pd.DateOffset(months=i)).date() for i in range(12)]


def windows(end: Period) -> dict[str, Window]:
    return {"cur": Window.ending(end), "prev": Window.ending(end.shift(-4))}


def build(
    frame: pd.DataFrame, *, end: Period, offence: str, params: catalogue.Params
) -> list[Section]:
    """Every section of the profile for the 12 months ending with ``end``, disclosure-controlled."""
    counts = Counts(params.disclosure_threshold)
    group = frame if offence == "all" else frame[frame["offence_group"] == offence]
    years = windows(end)
    cohorts = {y: _between(group, "recorded", w.start, w.end) for y, w in years.items()}
    for y in YEARS:
        # Police recorded crime by force and offence group is published (ONS): not hidden.
        counts.count(("recorded", y), len(cohorts[y]), public=True)
    sections = [
        demand(group, cohorts, years, counts, params),
        victims(cohorts, counts),
        relationships(group, cohorts, end, offence, counts),
        suspects(frame, cohorts, years, counts, params),
        outcomes(cohorts, years, counts, params),
    ]
    if carried(group, "policing_area"):
        sections.append(where(cohorts, counts))
    sections.append(data_gaps(group, cohorts, years, end, offence, counts))
    counts.protect()
    for section in sections:
        for table in section.tables:
            if table.slug == "by-area":
                table.rows = ranked(table.rows)
    return sections


def carried(frame: pd.DataFrame, column: str) -> bool:
    """Does the extract carry an optional column (any record with it filled in)?"""
    return bool((frame[column] != "").any())


def _between(frame: pd.DataFrame, column: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    dates = frame[column]
    return frame[(dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))]


def open_at(frame: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Offences recorded by ``day`` without an outcome on that day."""
    moment = pd.Timestamp(day)
    return frame[
        (frame["recorded"] <= moment) & (frame["outcome"].isna() | (frame["outcome"] > moment))
    ]


def _count_table(
    counts: Counts,
    slug: str,
    title: str,
    groups: list[tuple[str, str]],
    values: dict[str, dict[str, int]],
    *,
    total: tuple | None = None,
    shares: bool = False,
    note: str = "",
) -> ProfileTable:
    """Groups down, this year and the previous year across; the groups add up to ``total``
    (a key per year; ("recorded",) by default), shown as the last row."""
    total = total or ("recorded",)
    columns = ["", "This year", "This year's share", "Previous year", "Previous year's share"]
    if not shares:
        columns = ["", YEAR_LABELS["cur"], YEAR_LABELS["prev"]]
    rows = []
    for group, label in groups:
        cells = []
        for y in YEARS:
            key = (slug, group, y)
            cells.append(counts.count(key, values[y].get(group, 0)))
            if shares:
                known = sum(v for g, v in values[y].items() if g != "")
                cells.append(
                    counts.share(key, values[y].get(group, 0), known)
                    if group
                    else Cell(None, "text")
                )
        rows.append((label, cells))
    totals = []
    for y in YEARS:
        counts.adds_up([(slug, g, y) for g, _ in groups], (*total, y))
        totals.append(counts.count((*total, y), sum(values[y].get(g, 0) for g, _ in groups)))
        if shares:
            totals.append(Cell(None, "text"))
    rows.append(("Total", totals))
    return ProfileTable(slug, title, columns, rows, note)


def demand(group, cohorts, years, counts: Counts, params) -> Section:
    section = Section("demand", "Demand", "Offences recorded, open investigations and caseloads.")
    months = {y: cohorts[y]["recorded"].dt.to_period("M").value_counts() for y in YEARS}
    by_month = {
        y: {f"m{i}": int(months[y].get(pd.Period(m, "M"), 0)) for i, m in enumerate(w.months())}
        for y, w in years.items()
    }
    month_groups = [(f"m{i}", f"{m:%b %Y}") for i, m in enumerate(years["cur"].months())]
    table = _count_table(counts, "by-month", "Offences recorded by month", month_groups, by_month)
    table.columns = ["Month", "Recorded", "Same month a year earlier"]
    table.figure = {"kind": "months"}
    section.tables.append(table)
    codes = {y: cohorts[y]["offence_code"].value_counts().to_dict() for y in YEARS}
    code_groups = [(c, c) for c in sorted(set(codes["cur"]) | set(codes["prev"]))]
    table = _count_table(
        counts, "by-code", "Offences recorded by Home Office offence code", code_groups, codes
    )
    table.columns[0] = "Offence code"
    section.tables.append(table)
    open_now = {y: open_at(group, w.end) for y, w in years.items()}
    ages = {}
    for y, w in years.items():
        age = (pd.Timestamp(w.end) - open_now[y]["recorded"]).dt.days.to_numpy()
        ages[y] = {g: int(((age >= lo) & (age < hi)).sum()) for lo, hi, g, _ in OPEN_AGE_BANDS}
    table = _count_table(
        counts,
        "open-age",
        "Open investigations at the year's end, by time since recording",
        [(g, label) for _, _, g, label in OPEN_AGE_BANDS],
        ages,
        total=("open",),
    )
    section.tables.append(table)
    loads = {
        y: open_now[y]
        .loc[open_now[y]["investigator_ref_hash"] != "", "investigator_ref_hash"]
        .value_counts()
        .to_numpy()
        for y in YEARS
    }
    bands = {
        y: {g: int(((loads[y] >= lo) & (loads[y] < hi)).sum()) for lo, hi, g, _ in CASELOAD_BANDS}
        for y in YEARS
    }
    threshold = params.caseload_threshold
    table = _count_table(
        counts,
        "caseload",
        "Investigators by open caseload at the year's end",
        [(g, label) for _, _, g, label in CASELOAD_BANDS],
        bands,
        total=("investigators",),
        note=f"An investigator's caseload is their open RASSO investigations; more than "
        f"{threshold:g} is above the sustainable threshold.",
    )
    above = []
    for y in YEARS:
        over = [("caseload", g, y) for lo, _, g, _ in CASELOAD_BANDS if lo > threshold]
        if any(lo == int(threshold) + 1 for lo, _, _, _ in CASELOAD_BANDS):
            counts.adds_up(over, ("above-threshold", y))  # the bands above it add up to it
        above.append(counts.count(("above-threshold", y), int((loads[y] > threshold).sum())))
    table.rows.append((f"Above the threshold of {threshold:g}", above))
    for label, function in (("Median caseload", np.median), ("Mean caseload", np.mean)):
        table.rows.append(
            (
                label,
                [
                    Cell(float(function(loads[y])) if len(loads[y]) else None, "number")
                    for y in YEARS
                ],
            )
        )
    section.tables.append(table)
    return section


def _dimension(cohort: pd.DataFrame, column: str) -> dict[str, int]:
    return cohort[column].value_counts().to_dict()


def victims(cohorts, counts: Counts) -> Section:
    section = Section(
        "victims",
        "Victims",
        "Victims of the offences recorded, against the previous year; "
        "shares are of victims whose characteristic is recorded.",
    )
    for column, dimension in (
        ("age_band", "age_band"),
        ("victim_sex", "sex"),
        ("victim_ethnicity", "ethnicity"),
        ("victim_disability", "disability"),
    ):
        title, labels = DIMENSIONS[dimension]
        values = {y: _dimension(cohorts[y], column) for y in YEARS}
        groups = [*labels.items(), ("", NOT_RECORDED)]
        table = _count_table(counts, f"victim-{dimension}", title, groups, values, shares=True)
        if dimension == "age_band":
            cells = []
            for y in YEARS:
                parts = [("victim-age_band", g, y) for g in ("under-16", "16-17")]
                under = values[y].get("under-16", 0) + values[y].get("16-17", 0)
                counts.adds_up(parts, ("under-18", y))
                known = sum(v for g, v in values[y].items() if g != "")
                cells += [
                    counts.count(("under-18", y), under),
                    counts.share(("under-18", y), under, known),
                ]
            table.rows.insert(-1, ("Under 18 (share of victims whose age is recorded)", cells))
        section.tables.append(table)
    for column, slug, title, labels in VICTIM_OPTIONAL:
        if not any(carried(cohorts[y], column) for y in YEARS):
            continue
        values = {y: _dimension(cohorts[y], column) for y in YEARS}
        groups = [*labels.items(), ("", NOT_RECORDED)]
        section.tables.append(_count_table(counts, slug, title, groups, values, shares=True))
    if any(carried(cohorts[y], "victim_ref_hash") for y in YEARS):
        rows = [[], [], []]
        for y in YEARS:
            refs = cohorts[y].loc[cohorts[y]["victim_ref_hash"] != "", "victim_ref_hash"]
            reports = refs.value_counts()
            known, repeat = len(reports), int((reports >= 2).sum())
            rows[0].append(counts.count(("victims-known", y), known))
            rows[1].append(counts.count(("repeat-victims", y), repeat))
            rows[2].append(counts.share(("repeat-victims", y), repeat, known))
        labels = [
            "Victims identified (with a victim reference)",
            "Victims in 2 or more of the year's reports",
            "Repeat-victim share",
        ]
        section.tables.append(
            ProfileTable(
                "repeat-victims",
                "Repeat victims",
                ["", *YEAR_LABELS.values()],
                list(zip(labels, rows, strict=True)),
                note="Victims are known only by a pseudonymised reference; a repeat victim "
                "is one named in two or more of the year's reports.",
            )
        )
    return section


def relationships(group, cohorts, end: Period, offence: str, counts: Counts) -> Section:
    section = Section(
        "relationships",
        "Relationships",
        "The victim's relationship to the suspect, by offence group, and its trend by quarter.",
    )
    title, labels = DIMENSIONS["relationship"]
    groups = [*labels.items(), ("", NOT_RECORDED)]
    split = ["rape", "other"] if offence == "all" else []
    columns = [(o, "cur") for o in split] + [(offence, "cur"), (offence, "prev")]
    names = {"rape": "Rape", "other": "Other sexual offences", "all": "All RASSO"}
    rows = []
    for g, label in groups:
        cells = []
        for o, y in columns:
            cohort = cohorts[y] if o == offence else cohorts[y][cohorts[y]["offence_group"] == o]
            value = int((cohort["relationship"] == g).sum())
            cells.append(counts.count(("rel", g, o, y), value))
        if split:
            counts.adds_up([("rel", g, o, "cur") for o in split], ("rel", g, "all", "cur"))
        rows.append((label, cells))
    totals = []
    for index, (o, y) in enumerate(columns):
        key = ("recorded", y) if o == offence else ("rel-total", o, y)
        counts.adds_up([("rel", g, o, y) for g, _ in groups], key)
        value = sum(cells[index].value for _, cells in rows)
        totals.append(counts.count(key, value, public=key[0] == "rel-total"))
    if split:
        counts.adds_up([("rel-total", o, "cur") for o in split], ("recorded", "cur"))
    rows.append(("Total", totals))
    headers = ["Relationship", *(names[o] for o, _ in columns[:-1]), "Previous year"]
    section.tables.append(
        ProfileTable("rel-by-offence", f"{title} by offence group, this year", headers, rows)
    )
    quarters = end.trailing(8)
    trend_rows = []
    for g, label in groups:
        cells = []
        for q in quarters:
            part = _between(group, "recorded", q.start, q.end)
            cells.append(counts.count(("rel-q", g, q.slug), int((part["relationship"] == g).sum())))
        counts.adds_up([("rel-q", g, q.slug) for q in quarters[:4]], ("rel", g, offence, "prev"))
        counts.adds_up([("rel-q", g, q.slug) for q in quarters[4:]], ("rel", g, offence, "cur"))
        trend_rows.append((label, cells))
    section.tables.append(
        ProfileTable(
            "rel-trend",
            f"{title} by quarter recorded",
            ["Relationship", *(q.label for q in quarters)],
            trend_rows,
        )
    )
    return section


def suspects(frame, cohorts, years, counts: Counts, params) -> Section:
    reports, span = params.repeat_reports, params.repeat_years
    section = Section(
        "suspects",
        "Suspects",
        f"A repeat suspect is a named suspect of an offence recorded in the year who is named "
        f"in {reports} or more RASSO reports (of any offence group) recorded in the {span} "
        f"years up to the year's end. Suspects are known only by a pseudonymised reference.",
    )
    named, repeat, per_suspect = {}, {}, {}
    for y, w in years.items():
        history = _between(
            frame,
            "recorded",
            (pd.Timestamp(w.end) - pd.DateOffset(years=span) + pd.Timedelta(days=1)).date(),
            w.end,
        )
        tally = history.loc[history["suspect_ref_hash"] != "", "suspect_ref_hash"].value_counts()
        repeaters = set(tally.index[tally.to_numpy() >= reports])
        cohort = cohorts[y]
        refs = cohort.loc[cohort["suspect_ref_hash"] != "", "suspect_ref_hash"]
        named[y] = refs.nunique()
        repeat[y] = sum(1 for s in refs.unique() if s in repeaters)
        linked = refs.value_counts().to_numpy()
        per_suspect[y] = {
            g: int(((linked >= lo) & (linked < hi)).sum()) for lo, hi, g, _ in REPORT_BANDS
        }
    rows = [
        ("Named suspects", [counts.count(("suspects", y), named[y]) for y in YEARS]),
        ("Repeat suspects", [counts.count(("repeat", y), repeat[y]) for y in YEARS]),
        (
            "Repeat-suspect share",
            [counts.share(("repeat", y), repeat[y], named[y]) for y in YEARS],
        ),
    ]
    section.tables.append(
        ProfileTable("repeat", "Repeat suspects", ["", *YEAR_LABELS.values()], rows)
    )
    table = _count_table(
        counts,
        "reports-per-suspect",
        "Named suspects by the number of the year's reports naming them",
        [(g, label) for _, _, g, label in REPORT_BANDS],
        per_suspect,
        total=("suspects",),
    )
    table.columns[0] = "Reports naming the suspect"
    table.rows[-1] = ("Named suspects", table.rows[-1][1])
    unnamed = [
        counts.count(
            _missing_key("suspect_ref_hash", "", y), (cohorts[y]["suspect_ref_hash"] == "").sum()
        )
        for y in YEARS
    ]
    table.rows.append(("Reports with no named suspect", unnamed))
    section.tables.append(table)
    named_reports = {y: cohorts[y][cohorts[y]["suspect_ref_hash"] != ""] for y in YEARS}
    for y in YEARS:
        counts.count(("named-reports", y), len(named_reports[y]))
    for column, title, labels in SUSPECT_DIMENSIONS:
        if not any(carried(cohorts[y], column) for y in YEARS):
            continue
        values = {y: named_reports[y][column].value_counts().to_dict() for y in YEARS}
        table = _count_table(
            counts,
            f"suspect-{column}",
            title,
            [*labels.items(), ("", NOT_RECORDED)],
            values,
            total=("named-reports",),
            shares=True,
        )
        table.rows[-1] = ("Reports with a named suspect", table.rows[-1][1])
        table.note = "Counted per report with a named suspect; shares are of those recorded."
        section.tables.append(table)
    return section


def outcome_group(codes: pd.Series) -> pd.Series:
    """Each offence's attrition group from its outcome type (as at the year's end)."""
    result = pd.Series(OTHER_OUTCOMES[0], index=codes.index, dtype=object)
    for group, _, types in ATTRITION:
        result[codes.isin(types)] = group
    result[codes == ""] = STILL_OPEN[0]
    return result


def outcomes(cohorts, years, counts: Counts, params) -> Section:
    section = Section(
        "outcomes",
        "Outcomes and attrition",
        "What had happened to the offences recorded in each year by that year's end.",
    )
    groups = [(g, label) for g, label, _ in ATTRITION] + [OTHER_OUTCOMES, STILL_OPEN]
    values, staged = {}, {}
    for y, w in years.items():
        cohort = cohorts[y]
        decided = cohort["outcome"].notna() & (cohort["outcome"] <= pd.Timestamp(w.end))
        codes = cohort["outcome_type"].where(decided, "")
        cohort = cohort.assign(group=outcome_group(codes))
        staged[y] = cohort
        values[y] = cohort["group"].value_counts().to_dict()
    table = _count_table(
        counts,
        "attrition",
        "Offences recorded, by outcome at the year's end",
        groups,
        values,
        shares=True,
    )
    for _label, cells in table.rows[:-1]:
        for index in (1, 3):
            cells[index] = counts.share(
                cells[index - 1].key,
                cells[index - 1].value,
                sum(values[YEARS[index // 2]].values()),
            )
    table.note = "Shares are of all offences recorded in the year."
    table.figure = {"kind": "attrition"}
    section.tables.append(table)
    median_rows = []
    for g, label in groups[:-1]:
        cells = []
        for y in YEARS:
            done = staged[y][staged[y]["group"] == g]
            days = (done["outcome"] - done["recorded"]).dt.days
            cell = Cell(float(days.median()) if len(days) else None, "days")
            if len(days) < params.disclosure_threshold:
                cell.flag = "insufficient"
            cells.append(cell)
        median_rows.append((label, cells))
    section.tables.append(
        ProfileTable(
            "median-days",
            "Median days from report to outcome",
            ["Outcome", *YEAR_LABELS.values()],
            median_rows,
            note=f"Not shown where fewer than {params.disclosure_threshold} offences had the outcome.",
        )
    )
    stages = {}
    for y in YEARS:
        withdrawn = staged[y][staged[y]["group"] == "ed-no-support"]
        stages[y] = withdrawn["withdrawal_stage"].value_counts().to_dict()
    table = _count_table(
        counts,
        "withdrawal-stage",
        "Stage at which victims withdrew support",
        [*WITHDRAWAL_STAGES.items(), ("", NOT_RECORDED)],
        stages,
        total=("attrition", "ed-no-support"),
    )
    table.columns[0] = "Stage"
    table.rows[-1] = ("Total (evidential difficulties, victim does not support)", table.rows[-1][1])
    section.tables.append(table)
    return section


def where(cohorts, counts: Counts) -> Section:
    section = Section(
        "where",
        "Where",
        "Offences recorded by local policing area, most first. No map is drawn: boundaries "
        "are not held offline.",
    )
    values = {y: cohorts[y]["policing_area"].value_counts().to_dict() for y in YEARS}
    areas = sorted({a for y in YEARS for a in values[y] if a})
    table = _count_table(
        counts,
        "by-area",
        "Offences recorded by local policing area",
        [*((a, a) for a in areas), ("", NOT_RECORDED)],
        values,
    )
    table.columns[0] = "Local policing area"
    table.note = "Ranked by this year's count; areas whose count is hidden are listed last."
    section.tables.append(table)
    return section


def ranked(rows: list) -> list:
    """Areas by this year's shown count, most first; hidden counts last, by name (so their
    place in the order gives nothing away), then "Not recorded" and the total."""
    areas, tail = rows[:-2], rows[-2:]
    shown = sorted((r for r in areas if not r[1][0].flag), key=lambda r: (-r[1][0].value, r[0]))
    hidden = sorted((r for r in areas if r[1][0].flag), key=lambda r: r[0])
    return [*shown, *hidden, *tail]


def data_gaps(group, cohorts, years, end: Period, offence: str, counts: Counts) -> Section:
    section = Section(
        "data-gaps",
        "Data gaps",
        "How often each field is blank in the extract, and the fields it does not have.",
    )
    bases = {}
    for y, w in years.items():
        cohort = cohorts[y]
        decided = cohort["outcome"].notna() & (cohort["outcome"] <= pd.Timestamp(w.end))
        bases[y] = {
            "recorded": cohort,
            "withdrawn": cohort[decided & cohort["outcome_type"].isin(("14", "16"))],
            "open": open_at(group, w.end),
            "named": cohort[cohort["suspect_ref_hash"] != ""],
        }
    fields = MISSING_FIELDS + [f for f in OPTIONAL_MISSING if carried(group, f[0])]
    rows = []
    for column, label, base in fields:
        cells = []
        for y in YEARS:
            frame = bases[y][base]
            key = _missing_key(column, offence, y)
            missing = int((frame[column] == "").sum())
            cells += [counts.count(key, missing), counts.share(key, missing, len(frame))]
        rows.append((label, cells))
    section.tables.append(
        ProfileTable(
            "missing",
            "Blank fields",
            ["Field", "This year", "This year's rate", "Previous year", "Previous year's rate"],
            rows,
            note="Rates are of offences recorded in the year; the withdrawal stage of "
            "withdrawals, and the investigator of investigations open at the year's end.",
        )
    )
    quarters = end.trailing(8)
    trend = []
    for column, label, base in fields:
        if base != "recorded":
            continue
        cells, keys = [], []
        for q in quarters:
            part = _between(group, "recorded", q.start, q.end)
            missing = int((part[column] == "").sum())
            key = ("missing-q", column, q.slug)
            keys.append(key)
            counts.count(key, missing)
            cells.append(counts.share(key, missing, len(part)))
        counts.adds_up(keys[:4], _missing_key(column, offence, "prev"))
        counts.adds_up(keys[4:], _missing_key(column, offence, "cur"))
        trend.append((label, cells))
    section.tables.append(
        ProfileTable(
            "missing-trend",
            "Blank-field rate by quarter recorded",
            ["Field", *(q.label for q in quarters)],
            trend,
        )
    )
    section.tables.append(
        ProfileTable(
            "lacking",
            "Fields the extract does not have",
            ["Field", "What the profile cannot say"],
            [
                (name, [Cell(effect, "text")])
                for name, columns, effect in LACKING
                if not any(carried(group, c) for c in columns)
            ],
        )
    )
    return section


def _missing_key(column: str, offence: str, year: str) -> tuple:
    """Blank counts that other sections show already share their keys."""
    dimension = {
        "victim_sex": "sex",
        "victim_ethnicity": "ethnicity",
        "victim_disability": "disability",
    }
    if column in dimension or column == "age_band":
        return (f"victim-{dimension.get(column, 'age_band')}", "", year)
    if column == "relationship":
        return ("rel", "", offence, year)
    if column == "withdrawal_stage":
        return ("withdrawal-stage", "", year)
    victim_optional = {c: slug for c, slug, _, _ in VICTIM_OPTIONAL}
    if column in victim_optional:
        return (victim_optional[column], "", year)
    if column in ("suspect_age_band", "suspect_sex", "suspect_ethnicity"):
        return (f"suspect-{column}", "", year)
    if column == "policing_area":
        return ("by-area", "", year)
    return ("missing", column, year)
