"""Migration 0016: imports from before the importer kept the header's optional columns have
them worked out from their records (a column any record has filled in was carried)."""

import importlib

import pytest
from django.apps import apps

from kpis.imports.synthetic import add_synthetic_records
from kpis.models import CrimeRecord, ImportBatch

migration = importlib.import_module("kpis.migrations.0016_optional_characteristics")

pytestmark = pytest.mark.django_db


def test_a_batch_carried_the_optional_columns_its_records_fill_in(force_a, force_b):
    add_synthetic_records(forces=[force_a], records=60, seed=3, optional=True)
    add_synthetic_records(forces=[force_b], records=60, seed=4)
    ImportBatch.objects.update(optional_columns=[])  # as before the migration
    CrimeRecord.objects.filter(force=force_a).update(policing_area="")

    migration.infer_optional_columns(apps, None)

    with_columns = ImportBatch.objects.get(force=force_a)
    assert with_columns.optional_columns == [
        "suspect_age_band",
        "suspect_sex",
        "suspect_ethnicity",
        "victim_reference",
    ]
    assert ImportBatch.objects.get(force=force_b).optional_columns == []
