"""The records KPI source: crime records (and the Home Office table) through the catalogue.

Listed in settings.KPI_SOURCES. It loads the force's CrimeRecord rows into a
DataFrame once per data version (a worker recomputing twenty quarters of one
force reads its records once), runs every catalogue KPI for rape, other
sexual offences and all RASSO, applies disclosure control across every
breakdown together, and returns KpiResults ready to store.

Long because it is one source, read in order: the force's records and the national table
loaded once, the catalogue run per offence group, each measure turned into a stored result.
"""

import io
from collections import OrderedDict
from dataclasses import asdict

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, Sum

from soteria.models import Force
from soteria.periods import Period

from . import catalogue, stats, windows
from .catalogue import Breakdown, Measure, Params
from .disclosure import Table
from .models import (
    CrimeRecord,
    HomeOfficeOutcome,
    ImportBatch,
    KpiSnapshot,
    OffenceGroup,
    OutcomeType,
    PeerGroup,
)
from .record_disclosure import control_disclosure
from .snapshots import KpiResult

RECORD_COLUMNS = [
    "offence_group",
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
    "withdrawal_stage",
    "investigator_ref_hash",
    *catalogue.OPTIONAL_CHARACTERISTICS,
    "batch",
]
GROUPS = (OffenceGroup.RAPE, OffenceGroup.OTHER, OffenceGroup.ALL)
# Comparisons from the Home Office table: KPI slug -> column of the national table.
NATIONAL_RATES = {"charge-rate": "charges", "withdrawal-share": "withdrawals"}
# ... and the KPIs compared on it: the rates and the rank (by charge rate).
NATIONAL_COMPARISONS = {**NATIONAL_RATES, "national-position": "charges"}
HOME_OFFICE_SOURCE = "Home Office outcomes open data, closed basis"
# The three comparators a force's published figure is judged against, and their values.
JUDGED = {"national": "value", "region": "peer_value", "similar": "similar_value"}
RECORDS_SOURCE = "the force's own crime records"

_frames: OrderedDict = OrderedDict()
_national: OrderedDict = OrderedDict()
_figures: OrderedDict = OrderedDict()
_counts: dict = {}  # force_frames key -> how many records the force holds
CACHE_SIZE = 4  # forces' record frames (a few MB each)
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


def _remember(cache: OrderedDict, key, value, size: int = CACHE_SIZE):
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)
    return value


def batch_versions(*, force: Force) -> tuple[tuple, tuple]:
    """The force's record batches and the Home Office batches (count, last id, last created,
    last finished), in one query: the keys of the record and national caches."""
    table = ImportBatch._meta.db_table
    mine, national = "force_id = %s AND kind = %s", "kind = %s"
    columns = [
        f"{aggregate}(CASE WHEN {where} THEN {column} END)"
        for where in (mine, national)
        for aggregate, column in (
            ("COUNT", "id"),
            ("MAX", "id"),
            ("MAX", "created_at"),
            ("MAX", "finished_at"),
        )
    ]
    records, home_office = ImportBatch.Kind.RECORDS, ImportBatch.Kind.HOME_OFFICE
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE kind IN (%s, %s)",
            [*[force.pk, records] * 4, *[home_office] * 4, records, home_office],
        )
        row = cursor.fetchone()
    return tuple(row[:4]), tuple(row[4:])


def force_frames(
    *, force: Force, version: tuple | None = None, period: Period | None = None
) -> dict[str, pd.DataFrame] | None:
    """The force's records, prepared, by offence group; None when it has none.

    With ``period``, only the records that quarter's KPIs can look at (quarter_records),
    unless the whole set is already held: a lone quarter's recompute (the one a quarterly
    import queues) reads a fraction of a large force's records; a run over many quarters
    reads the whole set once first (recompute.compute_force_snapshots) and every quarter
    uses it. A second quarter of the same data asked for on its own reads the whole set too:
    an import over many quarters queues one task per quarter, and they then share one read.

    Cached per process, keyed on the force's import batches (every import, and every
    replacement, is a new batch), so an import invalidates it.
    """
    if version is None:
        version = batch_versions(force=force)[0]
    whole = (force.pk, *version)
    quarter = None if period is None else (*whole, period.slug)
    covering = next((k for k in _frames if _covers(k, whole, period)), None)
    if quarter in _frames or whole in _frames:
        key = quarter if quarter in _frames else whole
    elif covering is not None:
        key = covering  # a later quarter of the same financial year: its read has these
    else:
        another = any(len(k) > len(whole) and k[: len(whole)] == whole for k in _frames)
        key = whole if quarter is None or another else quarter
    if key in _frames:
        _frames.move_to_end(key)
        return _frames[key]
    frame = read_records(force=force, period=period if key != whole else None)
    if frame.empty and key != whole:
        return force_frames(force=force, version=version)  # nothing of its own: read all
    if frame.empty:
        return _remember(_frames, key, None)
    mark_not_supplied(frame)
    frame = catalogue.prepare_records(frame)
    groups = {
        g: frame[frame["offence_group"] == g] for g in (OffenceGroup.RAPE, OffenceGroup.OTHER)
    }
    groups[OffenceGroup.ALL] = frame
    _counts[key] = len(frame) if key == whole else CrimeRecord.objects.filter(force=force).count()
    _remember(_frames, key, groups)
    for gone in set(_counts) - set(_frames):
        del _counts[gone]
    return groups


def _covers(key: tuple, whole: tuple, period: Period | None) -> bool:
    """Whether ``key`` is a lone quarter's read of the same data that holds every record
    ``period`` can look at: a quarter of the same financial year, no earlier."""
    if period is None or len(key) != len(whole) + 1 or key[: len(whole)] != whole:
        return False
    held = Period.parse(key[-1])
    return held.year == period.year and held.quarter >= period.quarter


def record_count(frames: dict[str, pd.DataFrame]) -> int:
    """How many records the force holds, whether ``frames`` (from force_frames) are all of
    them or one quarter's."""
    key = next(k for k, v in _frames.items() if v is frames)
    return _counts[key]


def quarter_records(period: Period) -> Q:
    """The records any KPI of ``period``, or of an earlier quarter of its financial year, can
    look at, every window ending with them included (catalogue.relevant_to for each of their
    quarters, and the repeat-suspect look-back): recorded by its end, and recorded within
    the look-back from the year's first quarter, or still open, or given an outcome in or
    after the first quarter of that quarter's rolling year. The earlier quarters are there
    because the year to date adds up from them (windows.window_measures): one read serves
    them all."""
    years = settings.REPEAT_SUSPECT_YEARS
    first = period.shift(1 - period.quarter)
    return Q(recorded_date__lte=period.end) & (
        Q(recorded_date__gte=first.shift(1 - 4 * years).start)
        | Q(outcome_type="")
        | Q(outcome_type__isnull=True)
        | Q(outcome_date__isnull=True)
        | Q(outcome_date__gte=first.shift(-3).start)
    )


def mark_not_supplied(frame: pd.DataFrame) -> None:
    """Optional characteristics of records whose import did not carry the column read
    catalogue.NOT_SUPPLIED rather than blank (not recorded); the batch column is dropped."""
    batches = frame.pop("batch").to_numpy()
    carried = ImportBatch.objects.filter(pk__in=[int(b) for b in np.unique(batches)])
    carried = dict(carried.values_list("pk", "optional_columns"))
    for column in catalogue.OPTIONAL_CHARACTERISTICS:
        with_it = [pk for pk, columns in carried.items() if column in (columns or [])]
        frame.loc[~np.isin(batches, with_it), column] = catalogue.NOT_SUPPLIED


def read_records(*, force: Force, period: Period | None = None) -> pd.DataFrame:
    """The force's records (those ``period`` can look at, if given: quarter_records),
    RECORD_COLUMNS, as read from the database (blank or None where a value is missing;
    catalogue.prepare_records treats the two alike).

    On PostgreSQL through COPY as CSV, parsed by pandas' C reader: a force holding a million
    records is read in about a third of the time that building a Python tuple per row takes
    (elsewhere through the ORM).
    """
    records = CrimeRecord.objects.filter(force=force)
    if period is not None:
        records = records.filter(quarter_records(period))
    records = records.values_list(*RECORD_COLUMNS)
    if connection.vendor != "postgresql":
        return pd.DataFrame.from_records(list(records), columns=RECORD_COLUMNS)
    sql, params = records.query.sql_with_params()
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        # psycopg's own cursor: Django's debug wrapper passes no parameters to copy().
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy:
            for block in copy:
                buffer.write(block)
    if not buffer.tell():
        return pd.DataFrame(columns=RECORD_COLUMNS)
    buffer.seek(0)
    frame = pd.read_csv(
        buffer, names=RECORD_COLUMNS, header=None, dtype=str, na_filter=False, engine="c"
    )
    frame["batch"] = frame["batch"].astype("int64")  # as the ORM gives it
    return frame


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
    return _remember(_national, key, tables, NATIONAL_CACHE_SIZE)


def national_figures(*, period: Period, version: tuple) -> dict[str, dict]:
    """comparison_figures for each offence group of the quarter's table, cached with it."""
    key = (period.slug, *version)
    if key not in _figures:
        tables = national_table(period=period, version=version)
        figures = {group: comparison_figures(tables[group]) for group in GROUPS}
        _remember(_figures, key, figures, NATIONAL_CACHE_SIZE)
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
    measures = quarter_measures(force, period, frames, national, settings_now)
    controlled = control_disclosure(measures, threshold=settings_now.disclosure_threshold)
    versions = (force.pk, records_version, national_version, settings_now)
    _remember(_quarter_tables, (*versions, period), controlled, QUARTER_TABLES_SIZE)
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


def quarter_measures(
    force: Force, period: Period, frames: dict, national: dict, settings_now: Params
) -> dict[tuple[str, str], Measure]:
    """Every catalogue KPI of the quarter, for each offence group, before disclosure control."""
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
    return measures


def quarter_table(force: Force, period: Period, versions: tuple) -> tuple:
    """The quarter's disclosure table and what it hid, as its own snapshot job decides
    them (the same on every run): remembered from computing it, or computed again here
    (a year to date adds up from its quarters, windows.window_measures)."""
    key = (*versions, period)
    if key not in _quarter_tables:
        _, records_version, national_version, settings_now = versions
        frames = force_frames(force=force, version=records_version, period=period)
        if frames is None:
            return Table(threshold=settings_now.disclosure_threshold), {}
        national = national_table(period=period, version=national_version)
        measures = quarter_measures(force, period, frames, national, settings_now)
        controlled = control_disclosure(measures, threshold=settings_now.disclosure_threshold)
        _remember(_quarter_tables, key, controlled, QUARTER_TABLES_SIZE)
    return _quarter_tables[key]


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
