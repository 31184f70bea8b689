"""What KPI figures are as at: the latest import, Home Office table and approved returns.

Read from the engine's models and snapshots only, so every room that shows or exports
figures says the same (the deck, its downloads, the board pack, import reports).
"""

import datetime as dt

from django.db.models import Max, Q

from soteria.exports import AsAt, Stamp
from soteria.models import Force

from .models import ImportBatch, KpiSnapshot


def latest_imports(*, force: Force) -> dict[str, dt.datetime | None]:
    """When the force's latest crime-record import and the latest Home Office table
    (national) finished."""
    return ImportBatch.objects.filter(status=ImportBatch.Status.SUCCEEDED).aggregate(
        records=Max("finished_at", filter=Q(kind=ImportBatch.Kind.RECORDS, force=force)),
        home_office=Max("finished_at", filter=Q(kind=ImportBatch.Kind.HOME_OFFICE)),
    )


def records_stamp(moment: dt.datetime | None) -> Stamp:
    return Stamp("records_imported", "Latest crime-record import", "crime records imported", moment)


def home_office_stamp(moment: dt.datetime | None) -> Stamp:
    return Stamp(
        "home_office_loaded",
        "Latest Home Office outcomes table",
        "Home Office outcomes table loaded",
        moment,
    )


def kpi_data_as_at(*, force: Force, period_slug: str | None = None) -> AsAt:
    """The sources of a force's KPI figures and when they were last computed."""
    batches = latest_imports(force=force)
    snapshots = KpiSnapshot.objects.filter(force=force)
    if period_slug:
        snapshots = snapshots.filter(period=period_slug)
    computed = snapshots.aggregate(latest=Max("computed_at"))["latest"]
    approved = None
    for provenance in snapshots.filter(provenance__source="evidence").values_list(
        "provenance", flat=True
    ):
        stamp = (provenance or {}).get("approved_at")
        if stamp:
            moment = dt.datetime.fromisoformat(stamp)
            approved = moment if approved is None or moment > approved else approved
    return AsAt(
        (
            records_stamp(batches["records"]),
            home_office_stamp(batches["home_office"]),
            Stamp(
                "evidence_approved",
                "Latest approved evidence return",
                "evidence returns approved up to",
                approved,
            ),
            Stamp("figures_computed", "Figures computed", "figures computed", computed),
        )
    )
