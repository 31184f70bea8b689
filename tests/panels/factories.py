"""Small builders for panel tests: imported crime records and a panel with its members."""

import datetime as dt

from kpis.models import CrimeRecord, ImportBatch
from panels.models import OrganisationType, Panel, PanelMember
from soteria.pseudonym import pseudonymise


def make_batch(force) -> ImportBatch:
    return ImportBatch.objects.create(
        force=force,
        kind=ImportBatch.Kind.RECORDS,
        file_name="test.csv",
        file_sha256="0" * 64,
        status=ImportBatch.Status.SUCCEEDED,
    )


def make_record(
    force,
    reference: str,
    *,
    batch: ImportBatch | None = None,
    outcome_type: str = "16",
    outcome_date: dt.date | None = dt.date(2024, 5, 10),
    recorded_date: dt.date = dt.date(2023, 11, 2),
    offence_code: str = "19C",
    suspect: str = "",
) -> CrimeRecord:
    return CrimeRecord.objects.create(
        force=force,
        batch=batch or make_batch(force),
        crime_ref_hash=pseudonymise(reference),
        offence_code=offence_code,
        offence_group="rape" if offence_code.startswith("19") else "other",
        recorded_date=recorded_date,
        outcome_type=outcome_type,
        outcome_date=outcome_date,
        suspect_ref_hash=pseudonymise(suspect),
    )


def make_panel(force, *, chair=None, name: str = "RASSO NFA scrutiny panel") -> Panel:
    """A panel with a chair (if given), an ISVA, a CPS lawyer and a police member."""
    panel = Panel.objects.create(force=force, name=name)
    if chair is not None:
        PanelMember.objects.create(
            panel=panel,
            name=chair.get_full_name() or chair.username,
            organisation_type=OrganisationType.POLICE,
            user=chair,
            is_chair=True,
        )
    PanelMember.objects.create(
        panel=panel, name="Isla ISVA", organisation_type=OrganisationType.ISVA
    )
    PanelMember.objects.create(panel=panel, name="Carl CPS", organisation_type=OrganisationType.CPS)
    PanelMember.objects.create(
        panel=panel, name="Pat Police", organisation_type=OrganisationType.POLICE
    )
    return panel
