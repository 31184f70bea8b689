"""Relationship context by victim characteristic: the charges cross-tab drill-down.

The NOM's Context-led principle asks forces to "monitor charge volumes across relationship
contexts and protected characteristics". The snapshot job stores, on the charge volume
KPI, relationship context crossed with each victim characteristic (catalogue
.cross_breakdown) for the quarter, the rolling year and the financial year to date, with
its row and column sums declared to disclosure control (record_disclosure.cross_tab_sums);
this reads it back as a table of charges of outcomes, with the relationship breakdown as
the row totals, the characteristic's as the column totals, and the force's charges and
outcomes (public headline totals) in the corner. A charge rate is shown only where
neither its charges nor its outcomes are suppressed.
"""

from soteria.exports import Table
from soteria.models import Force
from soteria.periods import Period

from ..engine.catalogue import CROSS_CHARACTERISTICS, CROSS_ROWS, DIMENSIONS
from ..engine.formatting import format_percent
from ..engine.models import KpiSnapshot
from ..engine.windows import Window
from . import windows
from .detail import count_text
from .readings import SNAPSHOT_FIELDS

HOST, TOTALS = "charge-volume", "charge-rate"  # where the cells and the corner are stored
CHARACTERISTICS = {c: DIMENSIONS[c][0] for c in CROSS_CHARACTERISTICS}
DEFAULT_CHARACTERISTIC = "sex"
TOTAL = "Total"


def parse_characteristic(value: str | None) -> str:
    return value if value in CHARACTERISTICS else DEFAULT_CHARACTERISTIC


def _by_group(breakdowns: list[dict], dimension: str, crosses=None) -> dict[str, dict]:
    for breakdown in breakdowns:
        if (
            breakdown.get("dimension") == dimension
            and (breakdown.get("crosses") or None) == crosses
        ):
            return {row["group"]: row for row in breakdown["rows"]}
    return {}


def _cell(row: dict | None, threshold: int) -> dict:
    """Charges, outcomes and the charge rate of one cell, each as shown (and as exported)."""
    if row is None:
        return {"charges": None, "outcomes": None, "rate": None, "text": "–", "flags": ("", "")}
    charges_flag = row.get("numerator_flag", "")
    outcomes_flag = row.get("denominator_flag", "")
    charges = None if charges_flag else row.get("numerator")
    outcomes = None if outcomes_flag else row.get("denominator")
    rate = charges / outcomes if charges is not None and outcomes else None
    text = (
        f"{count_text(charges, charges_flag, threshold)} of "
        f"{count_text(outcomes, outcomes_flag, threshold)}"
    )
    if rate is not None:
        text += f" ({format_percent(rate)})"
    return {
        "charges": charges,
        "outcomes": outcomes,
        "rate": rate,
        "text": text,
        "flags": (charges_flag, outcomes_flag),
    }


def relationship_crosstab(
    *, force: Force, period: Period, offence: str, window: str, characteristic: str, threshold: int
) -> dict:
    """The cross-tab over the window: ``rows`` (a relationship context, or not recorded, then
    the total) each with its cells by characteristic group and its row total."""
    snapshots = {
        s["kpi__slug"]: s
        for s in KpiSnapshot.objects.filter(
            force=force, period=period.slug, offence_group=offence, kpi__slug__in=(HOST, TOTALS)
        ).values(*SNAPSHOT_FIELDS, "kpi__slug", "breakdowns", "window_breakdowns")
    }
    host = windows.window_view(snapshots.get(HOST), window, period)
    corner = windows.window_view(snapshots.get(TOTALS), window, period)
    breakdowns = (host or {}).get("breakdowns") or []
    cells = _by_group(breakdowns, f"{CROSS_ROWS}-by-{characteristic}", [CROSS_ROWS, characteristic])
    row_totals = _by_group(breakdowns, CROSS_ROWS)
    column_totals = _by_group(breakdowns, characteristic)
    row_groups = [*DIMENSIONS[CROSS_ROWS][1].items(), ("not-recorded", "Not recorded")]
    column_groups = [*DIMENSIONS[characteristic][1].items(), ("not-recorded", "Not recorded")]
    rows = []
    for row_group, row_label in row_groups:
        rows.append(
            {
                "label": row_label,
                "cells": [
                    _cell(cells.get(f"{row_group}|{column_group}"), threshold)
                    for column_group, _ in column_groups
                ],
                "total": _cell(row_totals.get(row_group), threshold),
            }
        )
    grand = None
    if corner and corner.get("numerator") is not None:
        grand = {"numerator": corner["numerator"], "denominator": corner["denominator"]}
    rows.append(
        {
            "label": TOTAL,
            "cells": [_cell(column_totals.get(g), threshold) for g, _ in column_groups],
            "total": _cell(grand, threshold),
            "is_total": True,
        }
    )
    return {
        "available": bool(cells),
        "characteristic": characteristic,
        "characteristic_label": CHARACTERISTICS[characteristic],
        "columns": [label for _, label in column_groups],
        "rows": rows,
        "window": window,
        "window_label": Window(window, period).label,
    }


def crosstab_table(*, force: Force, period: Period, offence: str, crosstab: dict) -> Table:
    """The cross-tab as one tidy table: a row per cell, the totals marked "Total"; a
    suppressed count is empty with its flag beside it."""
    rows = []
    for row in crosstab["rows"]:
        for column, cell in [
            *zip(crosstab["columns"], row["cells"], strict=True),
            (TOTAL, row["total"]),
        ]:
            charges_flag, outcomes_flag = cell["flags"]
            rows.append(
                [
                    force.slug,
                    period.slug,
                    offence,
                    crosstab["window_label"],
                    row["label"],
                    crosstab["characteristic_label"],
                    column,
                    cell["charges"],
                    charges_flag,
                    cell["outcomes"],
                    outcomes_flag,
                    cell["rate"],
                ]
            )
    return Table(
        title="Relationship by characteristic",
        columns=[
            "force",
            "period",
            "offence_group",
            "window",
            "relationship",
            "characteristic",
            "group",
            "charges",
            "charges_suppressed",
            "outcomes",
            "outcomes_suppressed",
            "charge_rate",
        ],
        rows=rows,
        kinds={"charges": "integer", "outcomes": "integer", "charge_rate": "percent"},
    )
