"""How a KPI value reads on every page and export: one formatter for tiles, drill-downs,
charts, linked KPIs and downloads.

Every rate is stored as a fraction (0 to 1), whichever source computed it; it becomes a
percentage here and nowhere else. A change always carries its unit: "points" for a
percentage, "days", "places" for a rank; counts are whole numbers.
"""

import datetime as dt

from .models import Kpi

PREVIOUS = "on the previous quarter"


def format_value(kpi: Kpi, value: float | None, provenance: dict | None = None) -> str:
    """The value as people read it. ``provenance`` gives the date behind a date KPI (whose
    value is its age in days at the quarter's end)."""
    if value is None:
        return "–"
    unit = kpi.unit
    if unit == Kpi.Unit.PERCENT:
        return format_percent(value)
    if unit == Kpi.Unit.RATIO:
        return format_ratio(value)
    if unit == Kpi.Unit.DAYS:
        return f"{format_days(value)} days"
    if unit == Kpi.Unit.RANK:
        return ordinal(int(value))
    if unit == Kpi.Unit.YESNO:
        return "Yes" if value else "No"
    if unit == Kpi.Unit.DATE:
        date = (provenance or {}).get("date")
        if date:
            return format_date(dt.date.fromisoformat(date))
        return f"{value:,.0f} days old"
    return format_count(value)


def format_percent(fraction: float | None, digits: int = 1) -> str:
    """A fraction (0.131) as a percentage ("13.1%")."""
    return "–" if fraction is None else f"{fraction * 100:.{digits}f}%"


def format_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def format_count(value: float | None) -> str:
    """A count as a whole number ("12", "1,237"); an average of counts to one decimal."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def format_days(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.1f}"


def format_date(date: dt.date) -> str:
    return f"{date.day} {date:%b %Y}"


def format_interval(kpi: Kpi, low: float | None, high: float | None) -> str:
    """A 95% interval in the value's own units: "47.4% to 69.5%"; "–" when there is none."""
    if low is None or high is None:
        return "–"
    return f"{format_value(kpi, low)} to {format_value(kpi, high)}"


def format_change(
    kpi: Kpi,
    current: float | None,
    previous: float | None,
    *,
    current_provenance: dict | None = None,
    previous_provenance: dict | None = None,
) -> str:
    """The change on the previous quarter, in words and with its unit.

    "Up 2.1 points" for a percentage, "Up 138 days", "Down 7 places" for a rank (a larger
    rank number is a lower place), "Up 2" for a count. A date KPI says whether the date
    moved, since its value (the age in days) grows by itself every quarter.
    """
    if current is None or previous is None:
        return ""
    unit = kpi.unit
    if unit == Kpi.Unit.DATE:
        return _date_change(kpi, current, previous, current_provenance, previous_provenance)
    if unit == Kpi.Unit.YESNO:
        if bool(current) == bool(previous):
            return f"No change {PREVIOUS}"
        was = "Yes" if previous else "No"
        return f"Changed from {was} to {format_value(kpi, current)} since the previous quarter"
    delta = current - previous
    if unit == Kpi.Unit.PERCENT:
        size, words = f"{abs(delta) * 100:.1f}", " points"
    elif unit == Kpi.Unit.RANK:
        size, words = f"{abs(delta):.0f}", " places" if abs(delta) != 1 else " place"
    elif unit == Kpi.Unit.DAYS:
        size, words = format_days(abs(delta)), " days"
    elif unit == Kpi.Unit.RATIO:
        size, words = format_ratio(abs(delta)), ""
    else:
        size, words = format_count(abs(delta)), ""
    if float(size.replace(",", "")) == 0:
        return f"No change {PREVIOUS}"
    if unit == Kpi.Unit.RANK:
        direction = "Down" if delta > 0 else "Up"
    else:
        direction = "Up" if delta > 0 else "Down"
    text = f"{direction} {size}{words} {PREVIOUS}"
    if unit == Kpi.Unit.RATIO:
        text += f" (was {format_ratio(previous)})"
    return text


def _date_change(kpi, current, previous, current_provenance, previous_provenance) -> str:
    now = (current_provenance or {}).get("date")
    before = (previous_provenance or {}).get("date")
    if now and before:
        if now == before:
            return (
                f"Not updated since the previous quarter: {current:,.0f} days old at the "
                "quarter's end"
            )
        return (
            f"Updated since the previous quarter (was {format_date(dt.date.fromisoformat(before))})"
        )
    delta = current - previous
    if delta == 0:
        return f"No change {PREVIOUS}"
    return f"{'Up' if delta > 0 else 'Down'} {format_days(abs(delta))} days {PREVIOUS}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
