"""The demo-data loader: synthetic extracts for the two demo forces and a national HO table."""

import pytest

from kpis.imports import demo as import_demo
from kpis.models import CrimeRecord, HomeOfficeOutcome, ImportBatch

pytestmark = pytest.mark.django_db


def test_it_loads_both_demo_forces_and_a_national_table_and_is_idempotent(
    force_a, force_b, settings, tmp_path, monkeypatch
):
    settings.IMPORT_UPLOAD_DIR = tmp_path
    monkeypatch.setattr(import_demo, "DEMO_RECORDS_PER_FORCE", 300)
    monkeypatch.setattr(import_demo, "DEMO_HOME_OFFICE_QUARTERS", 1)

    counts = import_demo.load_demo_imports(forces=[force_a, force_b], seed=1)
    again = import_demo.load_demo_imports(forces=[force_a, force_b], seed=1)

    assert counts == again
    assert CrimeRecord.objects.filter(force=force_a).count() == 300
    assert CrimeRecord.objects.filter(force=force_b).count() == 300
    assert HomeOfficeOutcome.objects.values("force").distinct().count() == 43
    assert ImportBatch.objects.count() == 3  # a second run adds no batch at all
    assert set(ImportBatch.objects.values_list("status", flat=True)) == {"succeeded"}
    # The generated extracts (references in the clear, if synthetic) are not kept.
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
