"""The snapshot engine's front door: compute every KPI for one force and quarter, store it.

KPI values come from *sources*, listed in settings.KPI_SOURCES: functions
``(*, force, period) -> list[KpiResult]`` (crime records, evidence returns,
scrutiny panels). Disclosure control is applied by each source before it
returns, so what is stored is safe to show. The force-period's snapshots are
replaced in one transaction: running it twice changes nothing.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils.module_loading import import_string

from soteria import jobs
from soteria.models import Force
from soteria.periods import Period

from .models import Kpi, KpiSnapshot


@dataclass
class KpiResult:
    kpi: str  # catalogue slug
    value: float | None = None
    offence_group: str = "all"
    numerator: float | None = None
    denominator: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    status: str = KpiSnapshot.Status.OK
    suppressed: bool = False
    breakdowns: list[dict] = field(default_factory=list)
    comparison: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)
    definition_version: int | None = None  # default: the catalogue entry's version
    # The same KPI over the rolling year and the financial year to date (engine.windows).
    windows: dict = field(default_factory=dict)
    window_breakdowns: dict = field(default_factory=dict)


def collect_results(*, force: Force, period: Period) -> list[KpiResult]:
    results: list[KpiResult] = []
    for path in settings.KPI_SOURCES:
        results.extend(import_string(path)(force=force, period=period))
    return results


def compute_snapshots(*, force: Force, period: Period) -> int:
    """Recompute and replace one force-quarter's snapshots; returns how many were stored."""
    results = collect_results(force=force, period=period)
    return replace_snapshots(
        force=force,
        period=period,
        rows=prepare_snapshots(force=force, period=period, results=results),
    )


def prepare_snapshots(*, force: Force, period: Period, results: list[KpiResult]) -> list[list]:
    """The rows that store ``results``, each a list of its columns' values ready for the
    database (INSERT_COLUMNS), through each field's own pre_save and get_db_prep_save, as
    bulk_create's are. Reads the catalogue but writes nothing, so a child process can do it
    (recompute.compute_many).

    Unique on (force, KPI, period, offence group, definition version): a source that
    returns the same KPI twice for one offence group is a bug, and is refused.
    """
    kpis = {k.slug: k for k in Kpi.objects.all()}
    unknown = sorted({r.kpi for r in results} - set(kpis))
    if unknown:
        raise ValueError(f"KPI sources returned KPIs missing from the catalogue: {unknown}")
    seen = set()
    for r in results:
        key = (r.kpi, r.offence_group, r.definition_version or kpis[r.kpi].version)
        if key in seen:
            raise ValueError(f"{r.kpi} ({r.offence_group}) was returned twice for {period}")
        seen.add(key)
    rows = [
        KpiSnapshot(
            force=force,
            kpi=kpis[r.kpi],
            period=period.slug,
            offence_group=r.offence_group,
            definition_version=r.definition_version or kpis[r.kpi].version,
            status=r.status,
            value=r.value,
            numerator=r.numerator,
            denominator=r.denominator,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            suppressed=r.suppressed,
            breakdowns=r.breakdowns,
            comparison=r.comparison,
            provenance=r.provenance,
            windows=r.windows,
            window_breakdowns=r.window_breakdowns,
        )
        for r in results
    ]
    fields = _insert_fields()
    return [[f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields] for row in rows]


def replace_snapshots(*, force: Force, period: Period, rows: list[list]) -> int:
    """Replace one force-quarter's snapshots with ``rows`` (from prepare_snapshots), in one
    transaction; returns how many were stored.

    The rows go in with one short statement run for every row (executemany): bulk_create
    compiles one statement with a placeholder per field of every row (a thousand for a
    force-quarter) and the driver parses it afresh each time, which cost more than the
    database's own work; a one-row statement is compiled and parsed once.
    """
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(KpiSnapshot._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in _insert_fields())}) "
        f"VALUES ({', '.join(['%s'] * len(_insert_fields()))})"
    )
    with transaction.atomic():
        KpiSnapshot.objects.filter(force=force, period=period.slug).delete()
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
    return len(rows)


def _insert_fields() -> list:
    return [f for f in KpiSnapshot._meta.concrete_fields if not f.primary_key]


def periods_with_data(*, force: Force) -> list[Period]:
    """Every quarter from the force's first recorded crime, or its first quarter in the Home
    Office table if earlier, to the last complete quarter."""
    from .models import CrimeRecord, HomeOfficeOutcome

    starts = []
    first = CrimeRecord.objects.filter(force=force).order_by("recorded_date").first()
    if first is not None:
        starts.append(Period.containing(first.recorded_date))
    published = (
        HomeOfficeOutcome.objects.filter(force=force)
        .order_by("financial_year", "quarter")
        .values_list("financial_year", "quarter")
        .first()
    )
    if published is not None:
        starts.append(Period(int(published[0][:4]), published[1]))
    if not starts:
        return []
    last = Period.latest_complete()
    periods, current = [], min(starts)
    while current <= last:
        periods.append(current)
        current = current.next()
    return periods


def queue_snapshots(*, force: Force, periods: list[Period], on_publish_error=None) -> None:
    """Queue a recompute of each period once the current transaction commits.

    ``on_publish_error`` is called for each recompute that could not be sent (see
    soteria.jobs.queue): the caller's committed work stands, and it may say so.
    """
    for period in periods:
        jobs.queue(
            "kpis.compute_snapshots",
            on_publish_error=on_publish_error,
            force_id=force.pk,
            period=period.slug,
        )
