"""`manage.py generate_demo_data --records N --seed S --out PATH`: synthetic, importable files."""

import io

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from kpis.models import CrimeRecord, ImportBatch

from .import_helpers import run_import

pytestmark = pytest.mark.django_db


def test_it_writes_a_labelled_synthetic_extract_that_imports_cleanly(tmp_path, force_a, force_b):
    path = tmp_path / "demo.csv"

    call_command(
        "generate_demo_data",
        "--records",
        "500",
        "--seed",
        "3",
        "--out",
        str(path),
        stdout=io.StringIO(),
    )

    assert path.read_text().startswith("# SYNTHETIC DATA")
    frame = pd.read_csv(path, skiprows=1, dtype=str, keep_default_na=False)
    assert len(frame) == 500
    assert frame["crime_reference"].str.startswith("SYN-").all()
    assert set(frame["force"]) == {"Avon and Somerset", "Staffordshire"}
    assert frame["investigator_reference"].nunique() > 1
    assert (frame["victim_ethnicity"] == "").any()  # missing data is part of the picture
    assert frame["recorded_date"].str[:4].nunique() >= 3  # several financial years
    assert frame["outcome_type"].isin(["14", "16"]).mean() > 0.2
    batch = run_import(path, force=None)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors[:3]
    assert CrimeRecord.objects.count() == 500


def test_the_same_seed_gives_the_same_file(tmp_path, force_a):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (first, second):
        call_command(
            "generate_demo_data",
            "--records",
            "50",
            "--seed",
            "9",
            "--out",
            str(path),
            "--forces",
            "avon-and-somerset",
            stdout=io.StringIO(),
        )

    assert first.read_bytes() == second.read_bytes()


def test_it_writes_a_home_office_table_for_all_43_forces(tmp_path):
    path = tmp_path / "ho.csv"

    call_command(
        "generate_demo_data",
        "--format",
        "home-office",
        "--quarters",
        "1",
        "--out",
        str(path),
        stdout=io.StringIO(),
    )

    frame = pd.read_csv(path, skiprows=1, dtype=str, keep_default_na=False)
    assert frame["Force Name"].nunique() == 43


def test_it_refuses_nonsense(tmp_path):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_demo_data", "--records", "0", "--out", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Unknown force slug: gotham"):
        call_command("generate_demo_data", "--forces", "gotham", "--out", str(tmp_path / "x.csv"))
