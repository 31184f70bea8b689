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

from .. import catalogue
from ..catalogue import Breakdown, Measure, Params
from ..disclosure import PRIMARY, Table, protect
from ..models import CrimeRecord, HomeOfficeOutcome, ImportBatch, KpiSnapshot, OffenceGroup
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
# Count breakdowns add up to these headline totals (public: the force's own totals).
TOTAL_OF = {
    "withdrawals-by-stage": "withdrawals",
    "charges-by-support": "charges",
    "outcomes-by-type": "outcomes",
    "open": "open",
    "investigators": "investigators",
}
# Breakdown cells that are, by definition, a headline total.
SAME_AS = {
    ("charges-by-support", "yes"): "charges-victim-supports",
    ("outcomes-by-type", "1"): "charges",
}
# Comparisons from the Home Office table: KPI slug -> column of the national table.
# Counts that do not add up across offence groups (an investigator can hold both).
NON_ADDITIVE = {"investigators"}
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


# --- disclosure control across every KPI of the force-quarter ------------------------------


def _cells(group: str, breakdown: Breakdown, row) -> dict[str, tuple]:
    """The disclosure cells of one breakdown row: numerator, denominator and the rest."""
    measure = breakdown.measure
    same = SAME_AS.get((measure, row.group))
    numerator = (group, same, "total") if same else (group, measure, breakdown.dimension, row.group)
    if not breakdown.base:
        return {"numerator": numerator}
    return {
        "numerator": numerator,
        "denominator": (group, breakdown.base, breakdown.dimension, row.group),
        "rest": (group, f"{breakdown.base}-not-{measure}", breakdown.dimension, row.group),
    }


def control_disclosure(
    measures: dict[tuple[str, str], Measure], *, threshold: int
) -> tuple[Table, dict]:
    """Hide small counts in every breakdown of the force-quarter, with complementary
    suppression across rows, totals and offence groups. Changes the measures in place;
    returns the cell table and what was hidden (for checking)."""
    table = Table(threshold=threshold)
    sums: set[tuple] = set()
    additive: set[tuple] = set()

    def total(group, name):
        return (group, name, "total")

    for (_, group), measure in measures.items():
        for breakdown in measure.breakdowns:
            if breakdown.public:
                continue
            name = breakdown.measure
            parts = {"numerator": [], "denominator": [], "rest": []}
            for row in breakdown.rows:
                cells = _cells(group, breakdown, row)
                table.add(
                    cells["numerator"], row.numerator, public=cells["numerator"][2] == "total"
                )
                parts["numerator"].append(cells["numerator"])
                if breakdown.base:
                    table.add(cells["denominator"], row.denominator)
                    table.add(cells["rest"], row.denominator - row.numerator)
                    parts["denominator"].append(cells["denominator"])
                    parts["rest"].append(cells["rest"])
                    sums.add(((cells["numerator"], cells["rest"]), cells["denominator"]))
                if breakdown.additive:
                    additive.update(c[1:] for c in cells.values())
            if breakdown.base:
                base = breakdown.base
                rest = f"{base}-not-{name}"
                count, whole = (
                    sum(r.numerator for r in breakdown.rows),
                    sum(r.denominator for r in breakdown.rows),
                )
                table.add(total(group, name), count, public=True)
                table.add(total(group, base), whole, public=True)
                table.add(total(group, rest), whole - count, public=True)
                sums.add((tuple(parts["numerator"]), total(group, name)))
                sums.add((tuple(parts["denominator"]), total(group, base)))
                sums.add((tuple(parts["rest"]), total(group, rest)))
                sums.add(((total(group, name), total(group, rest)), total(group, base)))
            else:
                name_total = TOTAL_OF.get(name, name)
                table.add(
                    total(group, name_total), sum(r.numerator for r in breakdown.rows), public=True
                )
                sums.add((tuple(parts["numerator"]), total(group, name_total)))
            if name == "outcomes-by-type":
                withdrawn = tuple(
                    _cells(group, breakdown, r)["numerator"]
                    for r in breakdown.rows
                    if r.group in catalogue.WITHDRAWAL
                )
                withdrawals = sum(
                    r.numerator for r in breakdown.rows if r.group in catalogue.WITHDRAWAL
                )
                table.add(total(group, "withdrawals"), withdrawals, public=True)
                sums.add((withdrawn, total(group, "withdrawals")))
        if measure.measure == "charges-victim-supports":
            table.add(total(group, "charges-victim-supports"), measure.numerator, public=True)
    for cell in list(table.values):
        group, rest = cell[0], cell[1:]
        if group == OffenceGroup.ALL and (
            rest in additive or (rest[-1] == "total" and rest[0] not in NON_ADDITIVE)
        ):
            rape, other = (OffenceGroup.RAPE, *rest), (OffenceGroup.OTHER, *rest)
            if rape in table.values and other in table.values:
                sums.add(((rape, other), cell))
    for parts, whole in sums:
        table.add_sum(list(parts), whole)

    hidden = protect(table)

    for (_, group), measure in measures.items():
        for breakdown in measure.breakdowns:
            if breakdown.public:
                continue
            for row in breakdown.rows:
                cells = _cells(group, breakdown, row)
                flags = {}
                for part, cell in cells.items():
                    flag = hidden.get(cell, "")
                    value = table.values[cell]
                    if not flag and 1 <= value < threshold:
                        flag = PRIMARY  # a headline total, repeated in a breakdown: still "<5"
                    flags[part] = flag
                _apply_flags(row, flags)
    return table, hidden


def _apply_flags(row, flags: dict[str, str]) -> None:
    numerator_flag = flags.get("numerator", "")
    denominator_flag = flags.get("denominator", "")
    rest_flag = flags.get("rest", "")
    row.numerator_flag = numerator_flag
    row.denominator_flag = denominator_flag
    if numerator_flag:
        row.numerator = None
    if denominator_flag:
        row.denominator = None
    if numerator_flag or denominator_flag or rest_flag:
        row.suppressed = (
            PRIMARY if PRIMARY in (numerator_flag, denominator_flag, rest_flag) else "secondary"
        )
        row.value = row.ci_low = row.ci_high = None
        row.ratio = row.ratio_low = row.ratio_high = None
