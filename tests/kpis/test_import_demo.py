"""The demo-data loader: synthetic extracts for the two demo forces and a national HO table."""

import pytest

from kpis.imports import demo as import_demo
from kpis.models import CrimeRecord, HomeOfficeOutcome, ImportBatch
from soteria.periods import Period

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


def test_the_demo_table_has_a_force_that_did_not_provide_its_first_quarter(db):
    first, second = Period(2024, 1), Period(2024, 2)
    table = import_demo.synthetic_home_office_table(seed=1, periods=[first, second])
    closed = "Outcomes for investigations closed in the quarter"
    missing = table[closed] == "N/A - data not provided"
    gap = table[missing]
    assert set(gap["Force Name"]) == {import_demo.NOT_PROVIDED_FORCE}
    assert set(gap["Financial Quarter"]) == {first.quarter}
    assert set(gap["Financial Year"]) == {first.financial_year}
    same = table[
        (table["Force Name"] == import_demo.NOT_PROVIDED_FORCE)
        & (table["Financial Quarter"] == first.quarter)
        & (table["Outcome Type"] != "0")
    ]
    assert missing[same.index].all()  # every closed-basis outcome cell of that quarter
