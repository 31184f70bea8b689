"""`manage.py import_outcomes PATH --format records|home-office [--force NAME] [--replace]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from kpis.models import CrimeRecord, HomeOfficeOutcome, ImportBatch

from .import_helpers import records, write_extract
from .test_import_home_office import ho_row, write_table

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_outcomes", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue()


def test_it_imports_an_extract_for_a_force(tmp_path, force_a):
    path = write_extract(tmp_path / "extract.csv", records(3))

    output = run(path, "--force", "Avon & Somerset")

    assert "Imported 3 rows" in output
    assert CrimeRecord.objects.filter(force=force_a).count() == 3
    assert ImportBatch.objects.get().uploaded_by is None


def test_a_rejected_file_prints_every_bad_row_and_exits_non_zero(tmp_path, force_a):
    rows = records(4)
    rows[1]["recorded_date"] = "31/02/2024"
    rows[3]["crime_reference"] = ""
    path = write_extract(tmp_path / "extract.csv", rows)
    out = io.StringIO()

    with pytest.raises(CommandError, match="Not imported: rejected"):
        call_command(
            "import_outcomes",
            str(path),
            "--force",
            "avon-and-somerset",
            stdout=out,
            stderr=io.StringIO(),
        )

    text = out.getvalue()
    assert "line 3, recorded_date: '31/02/2024' is not a real date" in text
    assert "line 5, crime_reference: '(reference not shown)' is required" in text
    assert CrimeRecord.objects.count() == 0


def test_the_same_file_twice_is_already_imported_and_succeeds(tmp_path, force_a):
    path = write_extract(tmp_path / "extract.csv", records(2))
    run(path, "--force", "avon-and-somerset")

    assert "Already imported" in run(path, "--force", "avon-and-somerset")
    assert CrimeRecord.objects.count() == 2


def test_a_replacement_needs_replace_on_the_command_line(tmp_path, force_a):
    run(write_extract(tmp_path / "a.csv", records(3)), "--force", "avon-and-somerset")
    corrected = write_extract(tmp_path / "b.csv", records(2))

    with pytest.raises(CommandError, match="awaiting confirmation"):
        call_command(
            "import_outcomes",
            str(corrected),
            "--force",
            "avon-and-somerset",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    output = run(corrected, "--force", "avon-and-somerset", "--replace")

    assert "replacing 3 rows" in output
    assert CrimeRecord.objects.count() == 2
    batch = ImportBatch.objects.filter(status=ImportBatch.Status.SUCCEEDED).latest("pk")
    assert batch.replacement_confirmed_at is not None


def test_it_imports_a_home_office_table(tmp_path):
    path = write_table(tmp_path / "ho.csv", [ho_row()])

    assert "Imported 1 rows" in run(path, "--format", "home-office")
    assert HomeOfficeOutcome.objects.count() == 1


def test_an_unknown_force_or_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No force called 'Gotham'"):
        run(tmp_path / "x.csv", "--force", "Gotham")
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv")
