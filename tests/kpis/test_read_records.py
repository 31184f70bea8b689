"""The engine reads a force's records into the same prepared frame
as the ORM's rows give, blanks, missing dates and ages included, and nothing of another force."""

import datetime as dt

import pandas as pd
import pytest

from kpis.engine import catalogue, record_frames
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import CrimeRecord, ImportBatch

pytestmark = pytest.mark.django_db


def test_the_records_read_are_the_frame_the_orm_gives(force_a, force_b):
    add_synthetic_records(forces=[force_a, force_b], records=500, seed=8, optional=True)
    batch = ImportBatch.objects.create(
        force=force_a, kind=ImportBatch.Kind.RECORDS, file_name="open.csv", file_sha256="o" * 64
    )
    CrimeRecord.objects.create(  # open, nothing optional recorded
        force=force_a,
        batch=batch,
        crime_ref_hash="o" * 64,
        offence_code="19C",
        offence_group="rape",
        recorded_date=dt.date(2024, 5, 1),
    )
    orm = CrimeRecord.objects.filter(force=force_a).values_list(*record_frames.RECORD_COLUMNS)
    expected = pd.DataFrame.from_records(list(orm), columns=record_frames.RECORD_COLUMNS)

    read = record_frames.read_records(force=force_a)

    assert len(read) == CrimeRecord.objects.filter(force=force_a).count()
    pd.testing.assert_frame_equal(
        catalogue.prepare_records(read), catalogue.prepare_records(expected)
    )
