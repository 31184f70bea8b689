"""The flight deck's record-based figures, computed again from the stored crime records by
deliberately simple pandas written from the KPI definitions (docs/kpi-engine.md and each
KPI's definition text), not from the engine's code: no quarter indices, no shared slices,
no disclosure tables. Dates are compared as dates; offence groups come from the Home
Office offence codes (shared/reference/home-office-data.md §4), not from the stored group.

If the engine and this module disagree, one of them has misread a definition: the test
says which figure, for which force, quarter and offence group.
"""

from dataclasses import dataclass

import pandas as pd

from kpis.models import CrimeRecord, HomeOfficeOutcome
from soteria.models import Force

# Home Office offence codes of the "Rape" subgroup; every other RASSO code is "other".
RAPE_CODES = {"19C", "19D", "19E", "19F", "19G", "19H", "19J", "19K"}
# Outcome types 1 to 22 are outcomes; 0 is "not yet assigned" and blank is still open.
OUTCOME_TYPES = {str(n) for n in range(1, 23)}
CHARGE = "1"
VICTIM_DOES_NOT_SUPPORT = {"14", "16"}
NO_FURTHER_ACTION = {"5", *(str(n) for n in range(9, 19)), "21"}
MIN_DENOMINATOR = 10  # the catalogue's "insufficient data" below this many cases
MIN_MEDIAN_CASES = 5
CASELOAD_THRESHOLD = 15
REPEAT_REPORTS, REPEAT_YEARS = 2, 3
DIMENSIONS = {
    "sex": ("victim_sex", {"female": "Female", "male": "Male", "other": "Other"}),
    "ethnicity": (
        "victim_ethnicity",
        {
            "white": "White",
            "mixed": "Mixed or multiple",
            "asian": "Asian or Asian British",
            "black": "Black or Black British",
            "other": "Other ethnic group",
        },
    ),
    "disability": ("victim_disability", {"yes": "Disabled", "no": "Not disabled"}),
    "relationship": (
        "relationship",
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
AGE_BANDS = [
    (0, 15, "Under 16"),
    (16, 17, "16 to 17"),
    (18, 24, "18 to 24"),
    (25, 39, "25 to 39"),
    (40, 59, "40 to 59"),
    (60, 200, "60 and over"),
]


# Missing-data KPIs on optional columns (docs/import-format.md): the column, and whether
# only offences with a named suspect count.
OPTIONAL_MISSING = {
    "victim_sexual_orientation": ("missing-sexual-orientation", False),
    "victim_religion": ("missing-religion", False),
    "victim_gender_identity": ("missing-gender-identity", False),
    "suspect_sex": ("missing-suspect-sex", True),
    "suspect_age_band": ("missing-suspect-age", True),
    "suspect_ethnicity": ("missing-suspect-ethnicity", True),
}


@dataclass
class Quarter:
    slug: str
    start: pd.Timestamp
    end: pd.Timestamp


QUARTER_DATES = {  # financial quarter: (years after the slug's year, month, day) of start and end
    1: ((0, 4, 1), (0, 6, 30)),
    2: ((0, 7, 1), (0, 9, 30)),
    3: ((0, 10, 1), (0, 12, 31)),
    4: ((1, 1, 1), (1, 3, 31)),
}


def quarter(slug: str) -> Quarter:
    """ "2026-27-q2" -> 1 Jul 2026 to 30 Sep 2026 (financial years start in April)."""
    year, number = int(slug[:4]), int(slug[-1])
    (a, m1, d1), (b, m2, d2) = QUARTER_DATES[number]
    return Quarter(slug, pd.Timestamp(year + a, m1, d1), pd.Timestamp(year + b, m2, d2))


def records(force: Force) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(
        CrimeRecord.objects.filter(force=force).values(
            "offence_code",
            "recorded_date",
            "outcome_type",
            "outcome_date",
            "victim_sex",
            "victim_age",
            "victim_ethnicity",
            "victim_disability",
            "relationship",
            "suspect_ref_hash",
            "victim_supports_prosecution",
            "investigator_ref_hash",
            *OPTIONAL_MISSING,
            "batch__optional_columns",
        )
    )
    for column in ("recorded_date", "outcome_date"):
        frame[column] = pd.to_datetime(frame[column])
    frame["rape"] = frame["offence_code"].str.upper().isin(RAPE_CODES)
    return frame


def in_group(frame: pd.DataFrame, offence: str) -> pd.DataFrame:
    if offence == "rape":
        return frame[frame["rape"]]
    if offence == "other":
        return frame[~frame["rape"]]
    return frame


def _between(dates: pd.Series, q: Quarter) -> pd.Series:
    return dates.notna() & (dates >= q.start) & (dates <= q.end)


def _share(numerator: int, denominator: int) -> dict:
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": numerator / denominator if denominator else None,
        "insufficient": denominator < MIN_DENOMINATOR,
    }


def _median(days: pd.Series) -> dict:
    return {
        "value": float(days.median()) if len(days) else None,
        "denominator": len(days),
        "insufficient": len(days) < MIN_MEDIAN_CASES,
    }


def figures(frame: pd.DataFrame, history: pd.DataFrame, q: Quarter) -> dict[str, dict]:
    """Every record-based KPI of one force, offence group (``frame``) and quarter.
    ``history`` is all the force's RASSO records (repeat suspects count any offence group)."""
    given = frame[frame["outcome_type"].isin(OUTCOME_TYPES) & _between(frame["outcome_date"], q)]
    charges = given[given["outcome_type"] == CHARGE]
    recorded = frame[_between(frame["recorded_date"], q)]
    still_open = frame[
        (frame["recorded_date"] <= q.end)
        & ((frame["outcome_type"] == "") | (frame["outcome_date"] > q.end))
    ]
    out: dict[str, dict] = {}
    out["charge-volume"] = {"value": len(charges), "numerator": len(charges)}
    out["charge-rate"] = _share(len(charges), len(given))
    supports = int((charges["victim_supports_prosecution"] == "yes").sum())
    out["charge-volume-victim-supports"] = {
        "value": supports,
        "numerator": supports,
        "denominator": len(charges),
    }
    out["withdrawal-share"] = _share(
        int(given["outcome_type"].isin(VICTIM_DOES_NOT_SUPPORT).sum()), len(given)
    )
    by_type = given["outcome_type"].value_counts()
    if len(by_type):
        top = max(by_type.index, key=lambda code: (by_type[code], -int(code)))
        out["outcome-distribution"] = {
            **_share(int(by_type[top]), len(given)),
            "most_common": top,
        }
    else:
        out["outcome-distribution"] = {"value": None, "denominator": 0, "insufficient": True}
    age = lambda rows: (rows["outcome_date"] - rows["recorded_date"]).dt.days  # noqa: E731
    out["days-to-charge"] = _median(age(charges))
    out["days-to-nfa"] = _median(age(given[given["outcome_type"].isin(NO_FURTHER_ACTION)]))
    out["open-investigations"] = {"value": len(still_open), "numerator": len(still_open)}
    allocated = still_open.loc[still_open["investigator_ref_hash"] != "", "investigator_ref_hash"]
    loads = allocated.value_counts()
    out["caseload-per-investigator"] = {
        "value": len(allocated) / len(loads) if len(loads) else None,
        "numerator": len(allocated),
        "denominator": len(loads),
        "above_threshold": int((loads > CASELOAD_THRESHOLD).sum()),
        "insufficient": len(loads) == 0,
    }
    for slug, column in [
        ("missing-sex", "victim_sex"),
        ("missing-ethnicity", "victim_ethnicity"),
        ("missing-disability", "victim_disability"),
        ("missing-relationship", "relationship"),
    ]:
        out[slug] = _share(int((recorded[column] == "").sum()), len(recorded))
    out["missing-age"] = _share(int(recorded["victim_age"].isna().sum()), len(recorded))
    for column, (slug, named) in OPTIONAL_MISSING.items():
        # An offence counts only if its import's header carried the column.
        header = recorded["batch__optional_columns"]
        carried = recorded[header.map(lambda c, column=column: column in (c or [])).astype(bool)]
        if len(recorded) and carried.empty:
            out[slug] = {"not_supplied": True}
            continue
        if named:
            carried = carried[carried["suspect_ref_hash"] != ""]
        out[slug] = _share(int((carried[column] == "").sum()), len(carried))
    suspects = set(recorded.loc[recorded["suspect_ref_hash"] != "", "suspect_ref_hash"])
    since = q.end.replace(year=q.end.year - REPEAT_YEARS)
    window = history[(history["recorded_date"] > since) & (history["recorded_date"] <= q.end)]
    named = window.loc[window["suspect_ref_hash"] != "", "suspect_ref_hash"].value_counts()
    repeaters = set(named[named >= REPEAT_REPORTS].index)
    out["repeat-suspect-share"] = _share(len(suspects & repeaters), len(suspects))
    for dimension, (column, labels) in DIMENSIONS.items():
        out[f"charge-rate-by-{dimension}"] = {
            "groups": {
                label: (
                    int((charges[column] == code).sum()),
                    int((given[column] == code).sum()),
                )
                for code, label in labels.items()
            }
        }
    bands = {}
    for low, high, label in AGE_BANDS:
        bands[label] = (
            int(charges["victim_age"].between(low, high).sum()),
            int(given["victim_age"].between(low, high).sum()),
        )
    out["charge-rate-by-age-band"] = {"groups": bands}
    return out


def national(q: Quarter, offence: str) -> pd.DataFrame:
    """Each force's charges and outcomes (types 1 to 22) in the Home Office table for the
    quarter, closed basis, with ``complete`` False where a cell the figures add up is
    marked missing (such a force has no rate and no rank)."""
    financial_year = f"{q.slug[:4]}-{q.slug[5:7]}"
    rows = pd.DataFrame.from_records(
        HomeOfficeOutcome.objects.filter(
            financial_year=financial_year, quarter=int(q.slug[-1])
        ).values("force__name", "force__region", "offence_code", "outcome_type", "closed_count")
    )
    if rows.empty:
        return rows
    rows = rows[rows["outcome_type"].isin(OUTCOME_TYPES)]
    if offence != "all":
        rows = rows[rows["offence_code"].str.upper().isin(RAPE_CODES) == (offence == "rape")]
    table = []
    for (force, region), cells in rows.groupby(["force__name", "force__region"]):
        charges = cells[cells["outcome_type"] == CHARGE]["closed_count"]
        table.append(
            {
                "force": force,
                "region": region,
                "charges": charges.sum(),
                "withdrawals": cells[cells["outcome_type"].isin(VICTIM_DOES_NOT_SUPPORT)][
                    "closed_count"
                ].sum(),
                "outcomes": cells["closed_count"].sum(),
                "complete": bool(cells["closed_count"].notna().all()),
            }
        )
    table = pd.DataFrame(table)
    table["complete"] &= table["outcomes"] > 0
    table["rate"] = (table["charges"] / table["outcomes"]).where(table["complete"])
    table["rank"] = table["rate"].rank(method="min", ascending=False)
    return table


def rolling_year(slug: str) -> Quarter:
    """The 12 months ending with a quarter: "2026-27-q2" -> 1 Oct 2025 to 30 Sep 2026."""
    end = quarter(slug).end
    return Quarter(f"{slug}-rolling-year", end - pd.DateOffset(years=1) + pd.Timedelta(days=1), end)


def gap_groups(frame: pd.DataFrame, window: Quarter) -> dict[str, dict[str, tuple[int, int]]]:
    """Per gap KPI, each group's (charges, outcomes) given in the window."""
    found = figures(frame, frame, window)
    return {f"charge-rate-by-{d}": found[f"charge-rate-by-{d}"]["groups"] for d in GAP_DIMENSIONS}


GAP_DIMENSIONS = ("sex", "ethnicity", "age-band", "disability", "relationship")
MIN_GROUP = 20  # groups with fewer outcomes are not compared
Z = 1.959963984540054


def disparity(groups: dict[str, tuple[int, int]], withheld: set[str]) -> dict | None:
    """The gap reading from the definition: the largest group shown (at least MIN_GROUP
    outcomes) is the reference; every other shown group of at least MIN_GROUP outcomes gets
    the ratio of its charge rate to the reference's with a Katz 95% interval (a group with
    no charge: 0.5 added to each count); the reading is the group whose interval excludes 1
    furthest from 1 (log scale), else the largest gap, "not significantly different"; of
    two as far from 1, the one with more outcomes, then the first by name.
    None when nothing can be compared."""
    import math

    shown = {g: cn for g, cn in groups.items() if g not in withheld and cn[1] >= MIN_GROUP}
    if not shown:
        return None
    reference = max(shown, key=lambda g: (shown[g][1], g))
    ref_c, ref_n = shown[reference]
    if ref_c == 0:
        return None
    readings = []
    for group, (c, n) in shown.items():
        if group == reference:
            continue
        a, n1, b, n2 = (c, n, ref_c, ref_n) if c else (0.5, n + 1, ref_c + 0.5, ref_n + 1)
        ratio = (a / n1) / (b / n2)
        se = math.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n2)
        low, high = ratio * math.exp(-Z * se), ratio * math.exp(Z * se)
        readings.append((group, ratio, low, high, high < 1 or low > 1))
    if not readings:
        return None
    significant = [r for r in readings if r[4]]
    # As far from 1 as another: the group with more outcomes, then the first by name.
    group, ratio, low, high, is_significant = min(
        significant or readings, key=lambda r: (-abs(math.log(r[1])), -shown[r[0]][1], r[0])
    )
    return {
        "reference": reference,
        "group": group,
        "ratio": ratio,
        "low": low,
        "high": high,
        "significant": is_significant,
    }
