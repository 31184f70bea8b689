"""The records KPI source: crime records (and the Home Office table) through the catalogue.

Listed in settings.KPI_SOURCES. It takes the force's records as prepared frames
(record_frames.force_frames: read once per data version, so a worker recomputing twenty
quarters of one force reads its records once), runs every catalogue KPI for rape, other
sexual offences and all RASSO, applies disclosure control across every breakdown
together, and returns KpiResults ready to store.

Long because it is one source, read in order: the force's records and the national table
loaded once, the catalogue run per offence group, each measure turned into a stored result.
"""

from collections import OrderedDict
from dataclasses import asdict

import pandas as pd
from django.conf import settings
from django.db.models import Count, Q, Sum

from soteria.models import Force
from soteria.periods import Period

from . import catalogue, stats, windows
from .catalogue import Breakdown, Measure, Params
from .disclosure import Table
from .models import (
    HomeOfficeOutcome,
    KpiSnapshot,
    OffenceGroup,
    OutcomeType,
    PeerGroup,
)
from .record_disclosure import control_disclosure
from .record_frames import batch_versions, force_frames, record_count, remember
from .snapshots import KpiResult

GROUPS = (OffenceGroup.RAPE, OffenceGroup.OTHER, OffenceGroup.ALL)
# Comparisons from the Home Office table: KPI slug -> column of the national table.
NATIONAL_RATES = {"charge-rate": "charges", "withdrawal-share": "withdrawals"}
# ... and the KPIs compared on it: the rates and the rank (by charge rate).
NATIONAL_COMPARISONS = {**NATIONAL_RATES, "national-position": "charges"}
HOME_OFFICE_SOURCE = "Home Office outcomes open data, closed basis"
# The three comparators a force's published figure is judged against, and their values.
JUDGED = {"national": "value", "region": "peer_value", "similar": "similar_value"}
RECORDS_SOURCE = "the force's own crime records"

_national: OrderedDict = OrderedDict()
_figures: OrderedDict = OrderedDict()
# Quarters' disclosure tables and what they hid, for the year to date that adds up from
# them (a few hundred cells each): a force's twenty quarters and more.
_quarter_tables: OrderedDict = OrderedDict()
QUARTER_TABLES_SIZE = 64
NATIONAL_CACHE_SIZE = 200  # quarters of the national table on both bases (a few KB each)


def params() -> Params:
    return Params(
        disclosure_threshold=settings.DISCLOSURE_THRESHOLD,
        repeat_reports=settings.REPEAT_SUSPECT_REPORTS,
        repeat_years=settings.REPEAT_SUSPECT_YEARS,
        caseload_threshold=settings.CASELOAD_THRESHOLD,
    )


# The Home Office table's two count bases: the column each one sums.
BASES = {"closed": "closed_count", "recorded": "recorded_count"}


def national_table(
    *, period: Period, version: tuple | None = None, basis: str = "closed"
) -> dict[str, pd.DataFrame]:
    """Home Office outcomes for the quarter, on one count basis, per force and offence group.

    One row per force of England and Wales (catalogue.national_counts): charges,
    withdrawals, the no-further-action outcome groups and outcomes, missing (NaN) where the
    table does not provide a cell they add up, with the reason a force is left out, its
    charge rate and its rank. ``basis`` is "closed" (investigations closed in the quarter,
    what every comparison uses) or "recorded" (outcomes so far for offences recorded in
    it). Empty when the quarter has no Home Office table. Cached per process, keyed on the
    Home Office batches (``version``, from batch_versions).
    """
    financial_year = f"{period.year}-{(period.year + 1) % 100:02d}"
    rows = HomeOfficeOutcome.objects.filter(financial_year=financial_year, quarter=period.quarter)
    if version is None:
        version = batch_versions(force=Force(pk=0))[1]
    key = (period.slug, *version) if basis == "closed" else (period.slug, basis, *version)
    if key in _national:
        return _national[key]
    column = BASES[basis]
    sums = rows.values("force__name", "offence_group", "outcome_type").annotate(
        count=Sum(column), missing=Count("pk", filter=Q(**{f"{column}__isnull": True}))
    )
    frame = pd.DataFrame.from_records(
        list(sums), columns=["force__name", "offence_group", "outcome_type", "count", "missing"]
    ).rename(columns={"force__name": "force"})
    frame["count"] = frame["count"].fillna(0)
    tables = {}
    for group in GROUPS:
        part = frame if group == OffenceGroup.ALL else frame[frame["offence_group"] == group]
        part = part.groupby(["force", "outcome_type"], as_index=False)[["count", "missing"]].sum()
        if part.empty:
            tables[group] = pd.DataFrame(columns=["force", "region", *catalogue.NATIONAL_COUNTS])
            continue
        tables[group] = catalogue.with_ranks(catalogue.national_counts(part, regions()))
    return remember(_national, key, tables, NATIONAL_CACHE_SIZE)


def national_figures(*, period: Period, version: tuple) -> dict[str, dict]:
    """comparison_figures for each offence group of the quarter's table, cached with it."""
    key = (period.slug, *version)
    if key not in _figures:
        tables = national_table(period=period, version=version)
        figures = {group: comparison_figures(tables[group]) for group in GROUPS}
        remember(_figures, key, figures, NATIONAL_CACHE_SIZE)
    return _figures[key]


_regions: dict[str, str] = {}


def regions() -> dict[str, str]:
    """Force name -> region, the peer group for comparisons (reference data: read once)."""
    if not _regions:
        _regions.update(Force.objects.values_list("name", "region"))
    return _regions


def similar_forces(*, force: Force) -> dict | None:
    """The force's most-similar group as comparisons name it (kpis.engine.peers sets it)."""
    group = PeerGroup.objects.filter(force=force).first()
    if group is None or not group.names:
        return None
    return {"label": group.label, "members": group.names, "source": group.source}


_outcome_labels: dict[str, str] = {}


def outcome_labels() -> dict[str, str]:
    """Home Office outcome type code -> its name (reference data: read once)."""
    if not _outcome_labels:
        _outcome_labels.update(OutcomeType.objects.values_list("code", "label"))
    return _outcome_labels


def name_outcomes(measure: Measure) -> None:
    """Outcome types by their Home Office names, not bare numbers, in the table and in the
    detail that says which type is the most common."""
    labels = outcome_labels()
    for breakdown in measure.breakdowns:
        for row in breakdown.rows:
            if row.group in labels:
                row.label = f"{row.group}: {labels[row.group]}"
    code = measure.detail.get("most_common")
    if code in labels:
        measure.detail["most_common_label"] = labels[code]


def records_kpis(*, force: Force, period: Period, tables: dict | None = None) -> list[KpiResult]:
    """Every catalogue KPI for the force and quarter, disclosure-controlled. ``tables``, a
    dict if given, gets each window's disclosure table and what it hid (engine.loss)."""
    records_version, national_version = batch_versions(force=force)
    frames = force_frames(force=force, version=records_version, period=period)
    if frames is None:
        return []
    national = national_table(period=period, version=national_version)
    settings_now = params()
    versions = (force.pk, records_version, national_version, settings_now)
    measures, controlled = controlled_quarter(force, period, frames, versions)
    if tables is not None:
        tables[windows.QUARTER] = controlled
    finish_measures(measures, settings_now)
    windowed = windows.window_measures(
        frames,
        period,
        settings_now,
        finish=lambda m: finish_measures(m, settings_now),
        quarter_tables=lambda quarter: quarter_table(force, quarter, versions),
        tables=tables,
    )
    records = record_count(frames)
    params_json = asdict(settings_now)  # once, not once per KPI
    figures = national_figures(period=period, version=national_version)
    similar = similar_forces(force=force)
    results = [
        to_result(
            slug,
            group,
            measure,
            national[group],
            period,
            records,
            settings_now,
            force.name,
            params_json=params_json,
            figures=figures[group],
            similar=similar,
        )
        for (slug, group), measure in measures.items()
    ]
    for result in results:
        for kind, (window, window_measures) in windowed.items():
            measure = window_measures.get((result.kpi, result.offence_group))
            if measure is not None:
                result.windows[kind] = windows.headline(window, measure)
                result.window_breakdowns[kind] = [breakdown_json(b) for b in measure.breakdowns]
    return results


def controlled_quarter(
    force: Force, period: Period, frames: dict, versions: tuple
) -> tuple[dict[tuple[str, str], Measure], tuple]:
    """Every catalogue KPI of the quarter, for each offence group, disclosure-controlled
    (before finish_measures), and the disclosure table with what it hid, which is
    remembered for the year to date that adds up from the quarter (quarter_table)."""
    _, _, national_version, settings_now = versions
    national = national_table(period=period, version=national_version)
    relevant = {group: catalogue.relevant_to(frames[group], period) for group in GROUPS}
    measures: dict[tuple[str, str], Measure] = {}
    with catalogue.shared_slices():
        for slug in catalogue.CATALOGUE:
            for group in GROUPS:
                measures[(slug, group)] = catalogue.run(
                    slug,
                    relevant[group],
                    period,
                    settings_now,
                    history=frames[OffenceGroup.ALL],
                    national=national[group],
                    force=force.name,
                )
    controlled = control_disclosure(measures, threshold=settings_now.disclosure_threshold)
    remember(_quarter_tables, (*versions, period), controlled, QUARTER_TABLES_SIZE)
    return measures, controlled


def quarter_table(force: Force, period: Period, versions: tuple) -> tuple:
    """The quarter's disclosure table and what it hid, as its own snapshot job decides
    them (the same on every run): remembered from computing it, or computed again here
    (a year to date adds up from its quarters, windows.window_measures)."""
    key = (*versions, period)
    if key in _quarter_tables:
        return _quarter_tables[key]
    frames = force_frames(force=force, version=versions[1], period=period)
    if frames is None:
        return Table(threshold=versions[3].disclosure_threshold), {}
    return controlled_quarter(force, period, frames, versions)[1]


def finish_measures(measures: dict[tuple[str, str], Measure], params_used: Params) -> None:
    """After disclosure control: each disparity read again from the groups that are shown
    (a withheld group is left out and named), and outcome types named."""
    for (slug, _), measure in measures.items():
        if slug.startswith("charge-rate-by-"):
            recomputed = catalogue.disparity_measure(measure.breakdowns[0], params_used)
            measure.value, measure.numerator, measure.denominator = (
                recomputed.value,
                recomputed.numerator,
                recomputed.denominator,
            )
            measure.ci_low, measure.ci_high = recomputed.ci_low, recomputed.ci_high
            measure.insufficient, measure.detail = recomputed.insufficient, recomputed.detail
        elif slug == "charge-rate":
            for breakdown in measure.breakdowns:
                catalogue.compare_groups(breakdown, params_used)
        elif slug == "outcome-distribution":
            name_outcomes(measure)
        elif slug in catalogue.MISSING_DATA_SLUGS:
            catalogue.withhold_headline(measure)


def to_result(
    slug: str,
    group: str,
    measure: Measure,
    national: pd.DataFrame,
    period: Period,
    records: int,
    params_used: Params,
    force_name: str = "",
    *,
    params_json: dict | None = None,
    figures: dict | None = None,
    similar: dict | None = None,
) -> KpiResult:
    if figures is None:
        figures = comparison_figures(national)
    comparison = national_comparison(slug, figures, force_name, similar=similar)
    definition = catalogue.CATALOGUE[slug]
    status = KpiSnapshot.Status.OK
    if measure.detail.get("not_supplied"):
        status = KpiSnapshot.Status.NOT_SUPPLIED
    elif measure.insufficient or (measure.value is None and "withheld" not in measure.detail):
        status = KpiSnapshot.Status.INSUFFICIENT
    return KpiResult(
        kpi=slug,
        value=None if measure.value is None else float(measure.value),
        offence_group=group,
        numerator=measure.numerator,
        denominator=measure.denominator,
        ci_low=measure.ci_low,
        ci_high=measure.ci_high,
        status=status,
        suppressed=any(row.suppressed for b in measure.breakdowns for row in b.rows),
        breakdowns=[breakdown_json(b) for b in measure.breakdowns],
        comparison=comparison,
        definition_version=definition.version,
        provenance={
            "summary": _summary(slug, national, period, records),
            "source": "home-office" if slug == "national-position" else "records",
            "function": definition.function.__name__,
            "params": dict(params_json) if params_json is not None else asdict(params_used),
            "detail": measure.detail,
        },
    )


def _summary(slug: str, national: pd.DataFrame, period: Period, records: int) -> str:
    if slug != "national-position":
        return f"Computed from {records:,} crime records for {period.label}"
    if national.empty:
        return f"No Home Office outcomes table for {period.label} has been imported"
    ranked = int(national["rank"].notna().sum())
    return (
        f"From the {HOME_OFFICE_SOURCE} for {period.label}: "
        f"{ranked} of {len(national)} forces ranked by charge rate"
    )


def comparison_figures(national: pd.DataFrame) -> dict[str, dict]:
    """Per compared KPI, the figures of one offence group's national table that comparisons use.

    England and Wales and each region over the forces with complete data, each force's own
    published figure (or why it has none) and rank, and the forces left out: worked out once
    per quarter, so that each force's comparison is a look-up.
    """
    if national.empty:
        return {}
    rows = national.to_dict("records")
    figures = {}
    for slug, column in NATIONAL_COMPARISONS.items():
        usable = catalogue.has_rate(national, column).tolist()
        complete = [row for row, ok in zip(rows, usable, strict=True) if ok]
        regions_: dict[str, list[dict]] = {}
        for row in complete:
            regions_.setdefault(row["region"], []).append(row)
        figures[slug] = {
            "national": {**_figure("", complete, column), "forces": len(complete)},
            "regions": {
                region: {**_figure("peer_", members, column), "peer_forces": len(members)}
                for region, members in regions_.items()
            },
            "forces": {
                row["force"]: {
                    **_figure("force_", [row] if ok else [], column),
                    "force_missing": row["left_out"],
                    "rank": None if pd.isna(row.get("rank")) else int(row["rank"]),
                }
                for row, ok in zip(rows, usable, strict=True)
            },
            "left_out": catalogue.left_out_forces(national, column),
        }
    return figures


def national_comparison(
    slug: str,
    figures: dict,
    force_name: str,
    *,
    value_source: str | None = None,
    similar: dict | None = None,
) -> dict:
    """The force's Home Office figure beside England and Wales and its region, from one table.

    Everything compared comes from the Home Office outcomes table (closed basis) under one
    definition (a count over outcomes 1 to 22): the force's published figure, the national
    and regional figures over the forces with complete data, the forces left out and why,
    and (for the charge rate) the force's rank. Each figure keeps its numerator and
    denominator. Empty when the KPI has no national comparison or the quarter no table.
    ``figures`` comes from comparison_figures; ``value_source`` names where the tile's
    headline comes from (by default the force's records, or for the rank the table).
    ``similar`` is the force's most-similar group (peers.similar_forces): its figure is
    summed over the members with complete data, the force itself not among them. Each of
    the three comparators carries a judgement of the force's published figure against it
    (stats.compare_with): "higher", "lower", "same", or None without figures.
    """
    if slug not in figures:
        return {}
    kpi_figures = figures[slug]
    mine = kpi_figures["forces"].get(force_name)
    if mine is None:
        mine = {**_figure("force_", [], ""), "force_missing": catalogue.NOT_IN_TABLE, "rank": None}
    region = regions().get(force_name, "")
    comparison = {
        "source": HOME_OFFICE_SOURCE,
        "value_source": value_source
        or (HOME_OFFICE_SOURCE if slug == "national-position" else RECORDS_SOURCE),
        "force": force_name,
        **{k: v for k, v in mine.items() if k != "rank"},
        "label": "England and Wales",
        **kpi_figures["national"],
        "left_out": kpi_figures["left_out"],
    }
    if region in kpi_figures["regions"]:
        comparison.update(peer_label=Force.Region(region).label, **kpi_figures["regions"][region])
    if similar:
        members = [(name, kpi_figures["forces"].get(name)) for name in similar["members"]]
        usable = [f for _, f in members if f and f["force_value"] is not None]
        numerator = sum(f["force_numerator"] for f in usable)
        denominator = sum(f["force_denominator"] for f in usable)
        comparison.update(
            similar_label=similar["label"],
            similar_members=similar["members"],
            similar_value=numerator / denominator if usable and denominator > 0 else None,
            similar_numerator=numerator if usable else None,
            similar_denominator=denominator if usable else None,
            similar_forces=len(usable),
            similar_left_out=[n for n, f in members if not f or f["force_value"] is None],
        )
    comparison["judgements"] = {
        name: stats.compare_with(
            comparison["force_numerator"], comparison["force_denominator"], comparison[key]
        )
        if comparison.get("force_value") is not None and comparison.get(key) is not None
        else None
        for name, key in JUDGED.items()
    }
    if NATIONAL_COMPARISONS[slug] == "charges":
        comparison.update(rank=mine["rank"], ranked=kpi_figures["national"]["forces"])
    return comparison


def _figure(prefix: str, rows: list[dict], column: str) -> dict:
    """A rate with its numerator and denominator summed over ``rows``; None when there are none."""
    numerator = int(sum(row[column] for row in rows))
    denominator = int(sum(row["outcomes"] for row in rows))
    if not rows or denominator <= 0:
        return {f"{prefix}value": None, f"{prefix}numerator": None, f"{prefix}denominator": None}
    return {
        f"{prefix}value": numerator / denominator,
        f"{prefix}numerator": numerator,
        f"{prefix}denominator": denominator,
    }


def breakdown_json(breakdown: Breakdown) -> dict:
    stored = {
        "dimension": breakdown.dimension,
        "label": breakdown.label,
        "kind": breakdown.kind,
        "public": breakdown.public,
        "rows": [dict(row.__dict__) for row in breakdown.rows],
    }
    if breakdown.crosses:
        stored["crosses"] = list(breakdown.crosses)
    return stored
