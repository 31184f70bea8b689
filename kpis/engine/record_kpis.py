"""The records KPI source: crime records (and the Home Office table) through the catalogue.

Listed in settings.KPI_SOURCES. It loads the force's CrimeRecord rows into a
DataFrame once per data version (a worker recomputing twenty quarters of one
force reads its records once), runs every catalogue KPI for rape, other
sexual offences and all RASSO, applies disclosure control across every
breakdown together, and returns KpiResults ready to store.
"""

from collections import OrderedDict
from dataclasses import asdict

import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import Sum

from soteria.models import Force
from soteria.periods import Period

from . import catalogue
from .catalogue import Breakdown, Measure, Params
from .models import (
    CrimeRecord,
    HomeOfficeOutcome,
    ImportBatch,
    KpiSnapshot,
    OffenceGroup,
    OutcomeType,
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
]
GROUPS = (OffenceGroup.RAPE, OffenceGroup.OTHER, OffenceGroup.ALL)
# Comparisons from the Home Office table: KPI slug -> column of the national table.
NATIONAL_RATES = {"charge-rate": "charges", "withdrawal-share": "withdrawals"}

_frames: OrderedDict = OrderedDict()
_national: OrderedDict = OrderedDict()
CACHE_SIZE = 4  # forces' record frames (a few MB each)
NATIONAL_CACHE_SIZE = 100  # quarters of the national table (a few KB each)


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


def force_frames(*, force: Force, version: tuple | None = None) -> dict[str, pd.DataFrame] | None:
    """The force's records, prepared, by offence group; None when it has none.

    Cached per process, keyed on the force's import batches (every import, and every
    replacement, is a new batch), so an import invalidates it.
    """
    if version is None:
        version = batch_versions(force=force)[0]
    key = (force.pk, *version)
    if key in _frames:
        _frames.move_to_end(key)
        return _frames[key]
    rows = CrimeRecord.objects.filter(force=force).values_list(*RECORD_COLUMNS)
    if not rows:
        return _remember(_frames, key, None)
    frame = catalogue.prepare_records(pd.DataFrame.from_records(list(rows), columns=RECORD_COLUMNS))
    groups = {
        g: frame[frame["offence_group"] == g] for g in (OffenceGroup.RAPE, OffenceGroup.OTHER)
    }
    groups[OffenceGroup.ALL] = frame
    return _remember(_frames, key, groups)


def national_table(*, period: Period, version: tuple | None = None) -> dict[str, pd.DataFrame]:
    """Home Office outcomes for the quarter, closed basis, per force and offence group.

    Cached per process, keyed on the Home Office batches (``version``, from batch_versions).
    """
    financial_year = f"{period.year}-{(period.year + 1) % 100:02d}"
    rows = HomeOfficeOutcome.objects.filter(financial_year=financial_year, quarter=period.quarter)
    if version is None:
        version = batch_versions(force=Force(pk=0))[1]
    key = (period.slug, *version)
    if key in _national:
        return _national[key]
    sums = (
        rows.exclude(outcome_type="0")
        .exclude(closed_count__isnull=True)
        .values("force__name", "offence_group", "outcome_type")
        .annotate(count=Sum("closed_count"))
    )
    frame = pd.DataFrame.from_records(
        list(sums), columns=["force__name", "offence_group", "outcome_type", "count"]
    )
    tables = {}
    for group in GROUPS:
        part = frame if group == OffenceGroup.ALL else frame[frame["offence_group"] == group]
        per_force = part.groupby("force__name")
        table = pd.DataFrame(
            {
                "outcomes": per_force["count"].sum(),
                "charges": part[part["outcome_type"] == catalogue.CHARGE]
                .groupby("force__name")["count"]
                .sum(),
                "withdrawals": part[part["outcome_type"].isin(catalogue.WITHDRAWAL)]
                .groupby("force__name")["count"]
                .sum(),
            }
        ).fillna(0)
        table = table.rename_axis("force").reset_index()
        table["region"] = table["force"].map(regions())
        tables[group] = catalogue.ranked(table)
    return _remember(_national, key, tables, NATIONAL_CACHE_SIZE)


_regions: dict[str, str] = {}


def regions() -> dict[str, str]:
    """Force name -> region, the peer group for comparisons (reference data: read once)."""
    if not _regions:
        _regions.update(Force.objects.values_list("name", "region"))
    return _regions


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


def records_kpis(*, force: Force, period: Period) -> list[KpiResult]:
    """Every catalogue KPI for the force and quarter, disclosure-controlled."""
    records_version, national_version = batch_versions(force=force)
    frames = force_frames(force=force, version=records_version)
    if frames is None:
        return []
    national = national_table(period=period, version=national_version)
    settings_now = params()
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
    control_disclosure(measures, threshold=settings_now.disclosure_threshold)
    for (slug, _), measure in measures.items():
        if slug.startswith("charge-rate-by-"):
            recomputed = catalogue.disparity_measure(measure.breakdowns[0], settings_now)
            measure.value, measure.numerator, measure.denominator = (
                recomputed.value,
                recomputed.numerator,
                recomputed.denominator,
            )
            measure.ci_low, measure.ci_high = recomputed.ci_low, recomputed.ci_high
            measure.insufficient, measure.detail = recomputed.insufficient, recomputed.detail
        elif slug == "charge-rate":
            for breakdown in measure.breakdowns:
                catalogue.compare_groups(breakdown, settings_now)
        elif slug == "outcome-distribution":
            name_outcomes(measure)
    records = len(frames[OffenceGroup.ALL])
    params_json = asdict(settings_now)  # once, not once per KPI
    return [
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
        )
        for (slug, group), measure in measures.items()
    ]


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
) -> KpiResult:
    comparison = {}
    if slug in NATIONAL_RATES and len(national) and national["outcomes"].sum() > 0:
        column = NATIONAL_RATES[slug]
        comparison = {
            "label": "England and Wales",
            "value": float(national[column].sum() / national["outcomes"].sum()),
            "forces": int(len(national)),
            "source": "Home Office outcomes open data, closed basis",
        }
        region = regions().get(force_name)
        peers = national[(national["region"] == region) & (national["force"] != force_name)]
        if len(peers) and peers["outcomes"].sum() > 0:
            comparison.update(
                peer_label=f"Other {Force.Region(region).label} forces",
                peer_value=float(peers[column].sum() / peers["outcomes"].sum()),
                peer_forces=int(len(peers)),
            )
    if slug == "national-position" and measure.value is not None:
        comparison = {
            "label": "England and Wales",
            "value": measure.detail["national_rate"],
            "forces": measure.detail["forces"],
            "source": "Home Office outcomes open data, closed basis",
        }
    definition = catalogue.CATALOGUE[slug]
    status = KpiSnapshot.Status.OK
    if measure.insufficient or measure.value is None:
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
            "summary": f"Computed from {records:,} crime records for {period.label}",
            "source": "records",
            "function": definition.function.__name__,
            "params": dict(params_json) if params_json is not None else asdict(params_used),
            "detail": measure.detail,
        },
    )


def breakdown_json(breakdown: Breakdown) -> dict:
    return {
        "dimension": breakdown.dimension,
        "label": breakdown.label,
        "kind": breakdown.kind,
        "public": breakdown.public,
        "rows": [dict(row.__dict__) for row in breakdown.rows],
    }
