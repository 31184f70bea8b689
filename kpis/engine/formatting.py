"""How a KPI value reads on every page and export: one formatter for tiles, drill-downs,
linked KPIs and downloads."""

import datetime as dt

from .models import Kpi


def format_value(kpi: Kpi, value: float | None, provenance: dict | None = None) -> str:
    if provenance and provenance.get("display"):
        return str(provenance["display"])
    if value is None:
        return "–"
    unit = kpi.unit
    if unit == Kpi.Unit.PERCENT:
        return f"{value * 100:.1f}%"
    if unit == Kpi.Unit.RATIO:
        return f"{value:.2f}"
    if unit == Kpi.Unit.DAYS:
        return f"{value:,.0f} days" if value >= 10 else f"{value:.1f} days"
    if unit == Kpi.Unit.RANK:
        return ordinal(int(value))
    if unit == Kpi.Unit.YESNO:
        return "Yes" if value else "No"
    if unit == Kpi.Unit.DATE:
        return dt.date.fromordinal(int(value)).strftime("%-d %b %Y")
    if unit == Kpi.Unit.COUNT and value != int(value):
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
