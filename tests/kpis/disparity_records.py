"""Crafted records for the disparity journeys: four quarters of rape outcomes in Avon and
Somerset, each with 30 outcomes for White victims (12 charged) and 10 for Black victims
(2 charged). A quarter alone shows "<5" Black charges and too few outcomes to compare;
the rolling year to 30 Jun 2024 shows 48 of 120 against 8 of 40, a ratio of 0.50 whose
95% interval lies wholly below 1."""

import datetime as dt

from kpis.engine.snapshots import compute_snapshots
from kpis.models import CrimeRecord, ImportBatch
from soteria.periods import Period

Q1 = Period.parse("2024-25-q1")
GROUPS = {"white": (30, 12), "black": (10, 2)}  # per quarter: outcomes, charges


def store_disparity_records(force) -> Period:
    batch = ImportBatch.objects.create(
        force=force,
        kind=ImportBatch.Kind.RECORDS,
        file_name="test.csv",
        file_sha256="2" * 64,
        status=ImportBatch.Status.SUCCEEDED,
    )
    rows = []
    for quarter in Q1.trailing(4):
        for ethnicity, (outcomes, charges) in GROUPS.items():
            for n in range(outcomes):
                rows.append(
                    CrimeRecord(
                        force=force,
                        batch=batch,
                        crime_ref_hash=f"{quarter.slug}-{ethnicity}-{n:03d}".ljust(64, "0"),
                        offence_code="19C",
                        offence_group="rape",
                        recorded_date=quarter.start - dt.timedelta(days=30),
                        outcome_type="1" if n < charges else "15",
                        outcome_date=quarter.start + dt.timedelta(days=10),
                        victim_sex="female",
                        victim_ethnicity=ethnicity,
                    )
                )
    CrimeRecord.objects.bulk_create(rows)
    compute_snapshots(force=force, period=Q1)
    return Q1
