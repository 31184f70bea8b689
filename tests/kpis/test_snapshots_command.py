"""`manage.py compute_snapshots [--force NAME] [--period 2024-25-q1]`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kpis.imports.synthetic import add_synthetic_records
from kpis.models import KpiSnapshot


@pytest.fixture
def records(force_a):
    add_synthetic_records(forces=[force_a], records=1500, seed=5)


def test_it_recomputes_one_force_and_quarter(records, force_a):
    out = StringIO()
    call_command(
        "compute_snapshots", "--force", "Avon and Somerset", "--period", "2024-25-q1", stdout=out
    )
    assert "Stored 81 snapshots." in out.getvalue()
    assert set(KpiSnapshot.objects.values_list("period", flat=True)) == {"2024-25-q1"}


def test_a_bad_period_is_refused(records):
    with pytest.raises(CommandError, match="2024-25-q1"):
        call_command("compute_snapshots", "--period", "2024-q1")


def test_an_unknown_force_is_refused(db):
    with pytest.raises(CommandError, match="No force"):
        call_command("compute_snapshots", "--force", "Atlantis")
