"""The Home Office KPI source: every force's published outcome figures as KPI snapshots.

Listed in settings.KPI_SOURCES, after the records source. It reads the same national table
the comparisons and the national overview read (record_kpis.national_table, one aggregate
query per quarter and basis, cached per process), so a force that has never imported its
own records still has a national section on its deck, and its figures are the ones every
other page shows for it. The headline is on the closed basis (investigations closed in the
quarter, the basis every comparison uses); each snapshot's "By count basis" table gives
both bases. A figure whose numerator or denominator adds up a cell the table marks as not
provided has no value, never a partial sum.
"""

import pandas as pd

from soteria.models import Force
from soteria.periods import Period

from .catalogue import NOT_IN_TABLE, Breakdown, Row
from .models import KpiSnapshot
from .record_frames import batch_versions
from .record_kpis import (
    BASES,
    GROUPS,
    HOME_OFFICE_SOURCE,
    breakdown_json,
    national_comparison,
    national_figures,
    national_table,
    similar_forces,
)
from .snapshots import KpiResult
from .stats import wilson_interval

# KPI slug -> (column of the national table, "rate" over outcomes 1 to 22 or a "count",
# the national comparison it carries: the slug comparison_figures keeps it under).
HOME_OFFICE_KPIS = {
    "ho-charge-rate": ("charges", "rate", "charge-rate"),
    "ho-withdrawal-share": ("withdrawals", "rate", "withdrawal-share"),
    "ho-nfa-evidential-share": ("nfa_evidential", "rate", ""),
    "ho-nfa-prevented-share": ("nfa_prevented", "rate", ""),
    "ho-nfa-police-decision-share": ("nfa_police_decision", "rate", ""),
    "ho-no-suspect-share": ("nfa_no_suspect", "rate", ""),
    "ho-charge-volume": ("charges", "count", ""),
    "ho-outcome-volume": ("outcomes", "count", ""),
}
BASIS_LABELS = {
    "closed": "Investigations closed in the quarter",
    "recorded": "Offences recorded in the quarter (outcomes so far)",
}
MISSING = "the Home Office table does not provide a cell this figure adds up"


def home_office_kpis(*, force: Force, period: Period) -> list[KpiResult]:
    """The Home Office KPIs for the force and quarter; none when the force is not in the table."""
    version = batch_versions(force=force)[1]
    tables = {basis: national_table(period=period, version=version, basis=basis) for basis in BASES}
    rows = {
        (basis, group): force_row(tables[basis][group], force.name)
        for basis in BASES
        for group in GROUPS
    }
    if all(row is None or row["left_out"] == NOT_IN_TABLE for row in rows.values()):
        return []
    figures = national_figures(period=period, version=version)
    similar = similar_forces(force=force)
    results = []
    for group in GROUPS:
        for slug, (column, kind, compared) in HOME_OFFICE_KPIS.items():
            by_basis = {basis: figure(rows[(basis, group)], column, kind) for basis in BASES}
            comparison = {}
            if compared:
                comparison = national_comparison(
                    compared,
                    figures[group],
                    force.name,
                    value_source=HOME_OFFICE_SOURCE,
                    similar=similar,
                )
            results.append(
                result(slug, group, kind, by_basis, period, rows[("closed", group)], comparison)
            )
    return results


def force_row(table: pd.DataFrame, name: str) -> dict | None:
    if table.empty:
        return None
    matches = table[table["force"] == name]
    return None if matches.empty else matches.iloc[0].to_dict()


def figure(row: dict | None, column: str, kind: str) -> dict:
    """The force's numerator, denominator and value on one basis; value None when missing."""
    empty = {"numerator": None, "denominator": None, "value": None}
    if row is None:
        return empty
    numerator = row[column]
    if kind == "count":
        return (
            empty
            if pd.isna(numerator)
            else {**empty, "numerator": int(numerator), "value": int(numerator)}
        )
    denominator = row["outcomes"]
    if pd.isna(numerator) or pd.isna(denominator) or denominator <= 0:
        return {
            **empty,
            "numerator": None if pd.isna(numerator) else int(numerator),
            "denominator": None if pd.isna(denominator) else int(denominator),
        }
    return {
        "numerator": int(numerator),
        "denominator": int(denominator),
        "value": numerator / denominator,
    }


def result(
    slug: str,
    group: str,
    kind: str,
    by_basis: dict,
    period: Period,
    closed_row: dict | None,
    comparison: dict,
) -> KpiResult:
    headline = by_basis["closed"]
    interval = None
    if kind == "rate" and headline["value"] is not None:
        if 0 <= headline["numerator"] <= headline["denominator"]:
            interval = wilson_interval(headline["numerator"], headline["denominator"])
    rows = []
    for basis, figures in by_basis.items():
        row = Row(
            group=basis,
            label=BASIS_LABELS[basis],
            numerator=figures["numerator"],
            note="" if figures["value"] is not None else MISSING,
        )
        if kind == "rate":
            row.denominator, row.value = figures["denominator"], figures["value"]
            if row.value is not None and 0 <= row.numerator <= row.denominator:
                row.ci_low, row.ci_high = wilson_interval(row.numerator, row.denominator)
        rows.append(row)
    # Published figures, never disclosure-controlled (this source applies none).
    breakdown = Breakdown("basis", "By count basis", kind, slug, rows=rows)
    reason = ""
    if headline["value"] is None:
        reason = (closed_row or {}).get("left_out") or MISSING
    return KpiResult(
        kpi=slug,
        value=None if headline["value"] is None else float(headline["value"]),
        offence_group=group,
        numerator=headline["numerator"],
        denominator=headline["denominator"] if kind == "rate" else None,
        ci_low=interval[0] if interval else None,
        ci_high=interval[1] if interval else None,
        status=KpiSnapshot.Status.OK
        if headline["value"] is not None
        else KpiSnapshot.Status.INSUFFICIENT,
        breakdowns=[breakdown_json(breakdown)],
        comparison=comparison,
        provenance={
            "summary": f"From the {HOME_OFFICE_SOURCE} for {period.label}"
            + (f"; no figure: {reason}" if reason else ""),
            "source": "home-office",
            "function": "home_office_kpis",
            "params": {"basis": "closed", "also": "recorded"},
            "detail": {"left_out": reason} if reason else {},
        },
    )
