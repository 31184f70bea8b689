"""Importing a record-level extract: valid files are written, references only as hashes."""

import pytest

from kpis.models import CrimeRecord, ImportBatch
from soteria.pseudonym import pseudonymise

from .import_helpers import records, run_import, write_extract

pytestmark = pytest.mark.django_db


def test_it_imports_a_valid_extract_with_references_hashed(tmp_path, force_a):
    path = write_extract(tmp_path / "extract.csv", records(3))

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert batch.rows_written == 3
    row = CrimeRecord.objects.get(crime_ref_hash=pseudonymise("AS/2024/00001"))
    assert row.force == force_a
    assert row.suspect_ref_hash == pseudonymise("SUS-77")
    assert row.investigator_ref_hash == pseudonymise("pc1234")
    assert str(row.recorded_date) == "2024-05-01"
    assert row.offence_group == "rape"
    assert row.victim_age == 27
