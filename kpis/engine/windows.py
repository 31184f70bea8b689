"""Windows: the quarter, the rolling year ending with it, and the financial year to date.

A quarter of one force is too small a window to see a disparity: most groups have a
handful of outcomes. Every breakdown and disparity KPI counted on outcomes is therefore
also computed over the four quarters ending with the quarter (the default wherever
breakdowns and disparity are read) and over the financial year to date, in the same
snapshot job, with its own disclosure control, and stored on the quarter's snapshot
(``KpiSnapshot.windows`` and ``window_breakdowns``). Pages only read them.

Snapshot KPIs (open investigations, caseload) describe the position at a quarter's end
and cohort KPIs (missing data, repeat suspects) the offences recorded in it: a window of
quarters does not apply to them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from soteria.periods import Period

from . import catalogue
from .models import OffenceGroup
from .record_disclosure import control_disclosure, shown_by_quarters

QUARTER, ROLLING_YEAR, YEAR_TO_DATE = "quarter", "rolling-year", "year-to-date"
KINDS = {
    QUARTER: "The quarter",
    ROLLING_YEAR: "Rolling year (12 months)",
    YEAR_TO_DATE: "Financial year to date",
}
DEFAULT = ROLLING_YEAR
# Computed for these windows as well as the quarter: the KPIs counted on outcomes that have
# breakdowns by group, and the disparity KPIs.
WINDOWED = (
    "charge-volume",
    "charge-rate",
    "charge-volume-victim-supports",
    "charge-rate-by-sex",
    "charge-rate-by-ethnicity",
    "charge-rate-by-age-band",
    "charge-rate-by-disability",
    "charge-rate-by-relationship",
    "withdrawal-share",
    "outcome-distribution",
)


CROSS_TABS_ON = "charge-volume"


def is_added_up(window: "Window") -> bool:
    """A year to date that is not a rolling year (its first three quarters): it shows only
    what its quarters show, added up (window_measures)."""
    return window.kind == YEAR_TO_DATE and len(window.quarters) < 4


def day_text(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Window:
    """Consecutive quarters ending with ``period``; catalogue functions take it as a period."""

    kind: str
    period: Period

    @property
    def first(self) -> Period:
        return self.quarters[0]

    @property
    def quarters(self) -> list[Period]:
        count = {ROLLING_YEAR: 4, YEAR_TO_DATE: self.period.quarter}.get(self.kind, 1)
        return self.period.trailing(count)

    @property
    def start(self) -> dt.date:
        return self.first.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    @property
    def slug(self) -> str:
        return self.period.slug

    @property
    def label(self) -> str:
        """What every tile, chart, table and export names: "12 months to 30 Sep 2026"."""
        end = day_text(self.end)
        if self.kind == ROLLING_YEAR:
            return f"12 months to {end}"
        if self.kind == YEAR_TO_DATE:
            return f"{self.period.financial_year} to date ({day_text(self.start)} to {end})"
        return f"{self.period.label} (3 months to {end})"

    def __str__(self) -> str:
        return self.label


def parse_kind(value: str | None, *, default: str = DEFAULT) -> str:
    return value if value in KINDS else default


def windows_for(period: Period) -> list[Window]:
    """The windows other than the quarter itself, computed beside it."""
    return [Window(ROLLING_YEAR, period), Window(YEAR_TO_DATE, period)]


def window_measures(
    frames: dict,
    period: Period,
    params,
    *,
    finish: Callable[[dict], None],
    quarter_tables: Callable[[Period], tuple] | None = None,
    tables=None,
) -> dict[str, tuple[Window, dict]]:
    """The windowed KPIs over each window ending with ``period``, for every offence group,
    disclosure-controlled together (rows, totals and offence groups of one window).
    ``tables``, a dict if given, gets each window's disclosure table and what it hid.

    ``frames`` are the force's prepared records by offence group; ``finish`` is what the
    records source does to a quarter's measures after disclosure control (disparity read
    again from what is shown, outcome types named), done to each window's the same way.

    ``quarter_tables(quarter)`` gives a quarter's disclosure table and what it hid: the year
    to date of a first, second or third quarter shows only what its quarters show
    (record_disclosure.shown_by_quarters), so that no year to date subtracted from the next
    gives a quarter's hidden count away. Without it (computing one window apart, in tests)
    every window is protected on its own."""
    results = {}
    for window in windows_for(period):
        same = next((r for r in results.values() if r[0].quarters == window.quarters), None)
        if same is not None:
            # The fourth quarter's year to date is its rolling year: the same quarters, so
            # the same measures (only the label differs, and headline takes it from the
            # window). Shared, not computed and protected twice; they are only read from here.
            results[window.kind] = (window, same[1])
            if tables is not None:
                tables[window.kind] = tables[same[0].kind]
            continue
        measures = {}
        by_quarters = quarter_tables is not None and is_added_up(window)
        with catalogue.shared_slices():
            for slug in WINDOWED:
                for group, frame in frames.items():
                    measures[(slug, group)] = catalogue.run(slug, frame, window, params)
            if not is_added_up(window):
                # Relationship by characteristic, stored with the charge volume: over a
                # year of quarters only (a quarter of one force is too small for a
                # cross-tab, so none is shown for a year to date to add up from).
                frame = frames[OffenceGroup.ALL]
                measures[(CROSS_TABS_ON, OffenceGroup.ALL)].breakdowns += catalogue.cross_tabs(
                    frame, window
                )
        decide = None
        if by_quarters:
            quarters = [quarter_tables(quarter) for quarter in window.quarters]
            decide = partial(shown_by_quarters, quarters=quarters)
        controlled = control_disclosure(
            measures, threshold=params.disclosure_threshold, decide=decide
        )
        if tables is not None:
            tables[window.kind] = controlled
        finish(measures)
        results[window.kind] = (window, measures)
    return results


def headline(window: Window, measure: catalogue.Measure) -> dict:
    """A window's figure as stored beside the quarter's (KpiSnapshot.windows)."""
    insufficient = measure.insufficient or measure.value is None
    return {
        "label": window.label,
        "start": window.start.isoformat(),
        "end": window.end.isoformat(),
        "value": None if measure.value is None else float(measure.value),
        "numerator": measure.numerator,
        "denominator": measure.denominator,
        "ci_low": measure.ci_low,
        "ci_high": measure.ci_high,
        "status": "insufficient" if insufficient else "ok",
        "suppressed": any(row.suppressed for b in measure.breakdowns for row in b.rows),
        "detail": measure.detail,
    }
