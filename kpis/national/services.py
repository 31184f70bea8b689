"""The national overview: every force against England and Wales, from the one Home Office
outcomes table (closed basis).

Figures come from ``record_kpis.national_table`` (one aggregate query per quarter, cached
per process on the national batches), so the page's queries do not grow with the number of
forces. A force-quarter with a missing cell in a KPI's numerator or denominator has no value
for it; over a rolling year, a force missing any of the four quarters has none. Every force
left out is named with the reason.
"""

from dataclasses import dataclass, field

import pandas as pd

from soteria.models import Force
from soteria.periods import Period

from ..engine import stats
from ..engine.models import HomeOfficeOutcome, OffenceGroup
from ..engine.record_kpis import batch_versions, national_table, regions
from . import funnel

KPIS = {
    "charge-rate": ("Charge/summons rate", "charges", "charges or summonses"),
    "withdrawal-share": (
        "Victim does not support action (outcomes 14 and 16)",
        "withdrawals",
        "outcomes 14 and 16",
    ),
}
WINDOWS = {"quarter": "Quarter", "year": "Rolling year (four quarters)"}
OFFENCES = {
    OffenceGroup.RAPE: "Rape",
    OffenceGroup.OTHER: "Other sexual offences",
    OffenceGroup.ALL: "All RASSO",
}
TREND_QUARTERS = 8
SOURCE = "Home Office outcomes open data, closed basis (outcomes 1 to 22)"


@dataclass
class ForceRow:
    force: str
    slug: str
    region: str
    numerator: int | None
    denominator: int | None
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    judgement: funnel.Judgement | None = None
    left_out: str = ""
    mine: bool = False
    trend: list[float | None] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return "" if self.value is None else percent(self.value)

    @property
    def interval(self) -> str:
        if self.ci_low is None:
            return ""
        return f"{percent(self.ci_low)} to {percent(self.ci_high)}"


@dataclass
class Overview:
    kpi: str
    kpi_label: str
    offence: str
    window: str
    period: Period
    quarters: list[Period]
    national_value: float | None
    national_numerator: int
    national_denominator: int
    rows: list[ForceRow]
    left_out: list[ForceRow]
    trend_quarters: list[Period]
    national_trend: list[float | None]

    @property
    def window_label(self) -> str:
        if self.window == "quarter":
            return self.period.label
        return f"the four quarters {self.quarters[0].label} to {self.quarters[-1].label}"

    @property
    def national_shown(self) -> str:
        return "" if self.national_value is None else percent(self.national_value)

    @property
    def offence_label(self) -> str:
        return OFFENCES[self.offence]

    def judged(self, direction: str) -> list[ForceRow]:
        return [r for r in self.rows if r.judgement and r.judgement.direction == direction]


def percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def available_periods() -> list[Period]:
    """Quarters for which a Home Office table is held, newest first."""
    pairs = HomeOfficeOutcome.objects.values_list("financial_year", "quarter").distinct()
    return sorted((Period(int(year[:4]), quarter) for year, quarter in pairs), reverse=True)


def national_overview(
    *, kpi: str, offence: str, period: Period, window: str, mine: set[str] = frozenset()
) -> Overview:
    """Every force's rate for the KPI in the window ending ``period``, judged on the funnel."""
    label, column, _ = KPIS[kpi]
    version = batch_versions(force=Force(pk=0))[1]
    quarters = period.trailing(4) if window == "year" else [period]
    counts = _window_counts(quarters, offence, column, version)
    usable = counts[counts["left_out"] == ""]
    numerator, denominator = int(usable["numerator"].sum()), int(usable["denominator"].sum())
    p0 = numerator / denominator if denominator > 0 else None
    trend_quarters = period.trailing(TREND_QUARTERS)
    trends, national_trend = _trends(trend_quarters, offence, column, version)
    slugs = dict(Force.objects.values_list("name", "slug"))
    rows, left_out = [], []
    for record in counts.to_dict("records"):
        row = ForceRow(
            force=record["force"],
            slug=slugs.get(record["force"], ""),
            region=Force.Region(record["region"]).label if record["region"] else "",
            numerator=None if pd.isna(record["numerator"]) else int(record["numerator"]),
            denominator=None if pd.isna(record["denominator"]) else int(record["denominator"]),
            left_out=record["left_out"],
            mine=record["force"] in mine,
            trend=trends.get(record["force"], []),
        )
        if row.left_out or p0 is None:
            left_out.append(row)
            continue
        row.value = row.numerator / row.denominator
        row.ci_low, row.ci_high = stats.wilson_interval(row.numerator, row.denominator)
        row.judgement = funnel.judge(row.numerator, row.denominator, p0)
        rows.append(row)
    return Overview(
        kpi=kpi,
        kpi_label=label,
        offence=offence,
        window=window,
        period=period,
        quarters=quarters,
        national_value=p0,
        national_numerator=numerator,
        national_denominator=denominator,
        rows=rows,
        left_out=left_out,
        trend_quarters=trend_quarters,
        national_trend=national_trend,
    )


def _window_counts(quarters: list[Period], offence: str, column: str, version) -> pd.DataFrame:
    """Per force: the KPI's numerator and denominator summed over the quarters, and why a force
    is left out (any quarter without the figure leaves it out of the window)."""
    frames = []
    for quarter in quarters:
        table = national_table(period=quarter, version=version)[offence]
        if table.empty:
            table = pd.DataFrame(
                {"force": list(regions()), "region": list(regions().values())}
            ).assign(**{column: float("nan"), "outcomes": float("nan")})
            table["left_out"] = f"no Home Office table for {quarter.label}"
        else:
            table = table.copy()
            missing = table[column].isna() | table["outcomes"].isna()
            reasons = table["left_out"].where(table["left_out"] != "", "")
            table["left_out"] = [
                f"{reason} ({quarter.label})" if reason else ("" if not gap else quarter.label)
                for reason, gap in zip(reasons, missing, strict=True)
            ]
        frames.append(table[["force", "region", column, "outcomes", "left_out"]])
    joined = pd.concat(frames, ignore_index=True)
    grouped = joined.groupby(["force", "region"], as_index=False).agg(
        numerator=(column, lambda s: s.sum(min_count=len(quarters)) if s.notna().all() else None),
        denominator=(
            "outcomes",
            lambda s: s.sum(min_count=len(quarters)) if s.notna().all() else None,
        ),
        left_out=("left_out", lambda s: "; ".join(r for r in s if r)),
    )
    grouped["numerator"] = pd.to_numeric(grouped["numerator"])
    grouped["denominator"] = pd.to_numeric(grouped["denominator"])
    no_outcomes = (grouped["left_out"] == "") & ~(grouped["denominator"] > 0)
    grouped.loc[no_outcomes, "left_out"] = "no outcomes in the window"
    return grouped.sort_values("force").reset_index(drop=True)


def _trends(quarters: list[Period], offence: str, column: str, version):
    """Each force's rate per quarter (None where it has none) and England and Wales's."""
    trends: dict[str, list[float | None]] = {}
    national: list[float | None] = []
    for quarter in quarters:
        table = national_table(period=quarter, version=version)[offence]
        rates = {}
        if not table.empty:
            usable = table[(table["left_out"] == "") & table[column].notna()]
            for force, num, den in zip(
                usable["force"], usable[column], usable["outcomes"], strict=True
            ):
                rates[force] = num / den if den > 0 else None
            total = usable["outcomes"].sum()
            national.append(float(usable[column].sum() / total) if total > 0 else None)
        else:
            national.append(None)
        for force in regions():
            trends.setdefault(force, []).append(rates.get(force))
    return trends, national
