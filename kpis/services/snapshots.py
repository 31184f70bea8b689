"""The snapshot engine's front door: compute every KPI for one force and quarter, store it.

KPI values come from *sources*, listed in settings.KPI_SOURCES: functions
``(*, force, period) -> list[KpiResult]`` (crime records, evidence returns,
scrutiny panels). Disclosure control is applied by each source before it
returns, so what is stored is safe to show. The force-period's snapshots are
replaced in one transaction: running it twice changes nothing.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, transaction
from django.db.models import Value
from django.utils.module_loading import import_string

from soteria.models import Force
from soteria.periods import Period

from ..models import Kpi, KpiSnapshot


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


def collect_results(*, force: Force, period: Period) -> list[KpiResult]:
    results: list[KpiResult] = []
    for path in settings.KPI_SOURCES:
        results.extend(import_string(path)(force=force, period=period))
    return results


def compute_snapshots(*, force: Force, period: Period) -> int:
    """Recompute and replace one force-quarter's snapshots; returns how many were stored.

    Unique on (force, KPI, period, offence group, definition version): a source that
    returns the same KPI twice for one offence group is a bug, and is refused.
    """
    results = collect_results(force=force, period=period)
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
            # As an expression, so PostgreSQL's bulk insert takes plain VALUES: the UNNEST
            # path escapes big JSON arrays with regular expressions, costing more than the KPIs.
            breakdowns=Value(r.breakdowns, output_field=models.JSONField()),
            comparison=r.comparison,
            provenance=r.provenance,
        )
        for r in results
    ]
    with transaction.atomic():
        KpiSnapshot.objects.filter(force=force, period=period.slug).delete()
        KpiSnapshot.objects.bulk_create(rows)
    return len(rows)


def periods_with_data(*, force: Force) -> list[Period]:
    """Every quarter from the force's first recorded crime to the last complete quarter."""
    from ..models import CrimeRecord

    first = CrimeRecord.objects.filter(force=force).order_by("recorded_date").first()
    if first is None:
        return []
    last = Period.latest_complete()
    periods, current = [], Period.containing(first.recorded_date)
    while current <= last:
        periods.append(current)
        current = current.next()
    return periods


DEMO_RECORDS_PER_FORCE = 30_000


def load_demo_snapshots(*, forces: list[Force], seed: int) -> dict[str, int]:
    """Demo data, last of the loaders: snapshots for the demo forces, every quarter.

    A demo force with no crime records yet (the importer's demo loader has not run)
    gets a SYNTHETIC extract first, labelled as such, so the flight deck is never empty.
    """
    from ..demo import add_synthetic_home_office_table, add_synthetic_records
    from ..models import CrimeRecord, HomeOfficeOutcome

    created = 0
    for offset, force in enumerate(forces):
        if not CrimeRecord.objects.filter(force=force).exists():
            created += add_synthetic_records(
                forces=[force], records=DEMO_RECORDS_PER_FORCE, seed=seed * 100 + offset
            )
    home_office = 0
    if not HomeOfficeOutcome.objects.exists():  # the importer's demo may bring real tables
        quarters = sorted({p for force in forces for p in periods_with_data(force=force)})
        home_office = add_synthetic_home_office_table(periods=quarters, seed=seed)
        created += home_office
    stored = 0
    for force in forces:
        if created == 0 and _snapshots_are_current(force=force):
            continue  # `make run` starts fast; `manage.py compute_snapshots` forces a recompute
        for period in periods_with_data(force=force):
            stored += compute_snapshots(force=force, period=period)
    return {
        "synthetic crime records": created - home_office,
        "synthetic Home Office outcome rows": home_office,
        "KPI snapshots": stored,
    }


def _snapshots_are_current(*, force: Force) -> bool:
    from django.db.models import Max, Min

    from ..models import ImportBatch

    oldest = KpiSnapshot.objects.filter(force=force).aggregate(at=Min("computed_at"))["at"]
    newest_batch = ImportBatch.objects.filter(force=force).aggregate(at=Max("created_at"))["at"]
    return oldest is not None and (newest_batch is None or oldest > newest_batch)
