"""What the deck's figures are as at: the latest import, Home Office table and approved returns.

Shown on the flight deck, in every deck export and in the board pack, so a reader knows
how fresh the figures are. Read from the engine's models and snapshots only.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone

from soteria.models import Force

from ..engine.models import ImportBatch, KpiSnapshot

PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE: do not share outside the force"


@dataclass(frozen=True)
class DataAsAt:
    latest_import: dt.datetime | None
    latest_home_office: dt.datetime | None
    latest_approved_return: dt.datetime | None
    computed: dt.datetime | None

    @property
    def text(self) -> str:
        return (
            f"Data as at: crime records imported {_when(self.latest_import)}; "
            f"Home Office outcomes table loaded {_when(self.latest_home_office)}; "
            f"evidence returns approved up to {_when(self.latest_approved_return)}; "
            f"figures computed {_when(self.computed)}."
        )

    def items(self) -> list[tuple[str, str]]:
        return [
            ("Latest crime-record import", _when(self.latest_import)),
            ("Latest Home Office outcomes table", _when(self.latest_home_office)),
            ("Latest approved evidence return", _when(self.latest_approved_return)),
            ("Figures computed", _when(self.computed)),
        ]


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "none yet"
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y %H:%M}"


def data_as_at(*, force: Force, period_slug: str | None = None) -> DataAsAt:
    done = ImportBatch.Status.SUCCEEDED
    batches = ImportBatch.objects.filter(status=done).aggregate(
        records=Max("finished_at", filter=Q(kind=ImportBatch.Kind.RECORDS, force=force)),
        home_office=Max("finished_at", filter=Q(kind=ImportBatch.Kind.HOME_OFFICE)),
    )
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
    return DataAsAt(batches["records"], batches["home_office"], approved, computed)
