"""The extract's optional columns: suspect age band, sex and ethnicity, a victim reference
(hashed like the others) and the local policing area; accepted, validated, or left out."""

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache

from kpis.imports.columns import COLUMNS, OPTIONAL_COLUMNS
from kpis.models import CrimeRecord, ImportBatch
from soteria.pseudonym import pseudonymise

from .import_helpers import record, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today_is_1_june_2025(time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)


def write(path, rows, header):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def optional_row(i: int, **overrides) -> dict:
    values = {
        "crime_reference": f"AS/2024/{i:05d}",
        "suspect_age_band": ["25-39", "Under 18", "60+", ""][i % 4],
        "suspect_sex": ["M", "female", ""][i % 3],
        "suspect_ethnicity": ["white", "Black or Black British", ""][i % 3],
        "victim_reference": f"V-{i % 3}",
        "policing_area": ["Bristol", "Somerset East", ""][i % 3],
    }
    return record(**{**values, **overrides})


def test_the_optional_columns_are_stored_and_the_victim_reference_hashed(tmp_path, force_a):
    path = write(
        tmp_path / "x.csv", [optional_row(i) for i in range(6)], COLUMNS + OPTIONAL_COLUMNS
    )
    batch = run_import(path, force=force_a)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    first = CrimeRecord.objects.get(crime_ref_hash=pseudonymise("AS/2024/00000"))
    assert (first.suspect_age_band, first.suspect_sex, first.suspect_ethnicity) == (
        "25-39",
        "male",
        "white",
    )
    assert first.policing_area == "Bristol"
    assert first.victim_ref_hash == pseudonymise("V-0") and "V-0" not in first.victim_ref_hash
    second = CrimeRecord.objects.get(crime_ref_hash=pseudonymise("AS/2024/00001"))
    assert (second.suspect_age_band, second.suspect_ethnicity) == ("under-18", "black")
    third = CrimeRecord.objects.get(crime_ref_hash=pseudonymise("AS/2024/00002"))
    assert (third.suspect_age_band, third.suspect_sex, third.policing_area) == ("60-plus", "", "")


def test_an_extract_may_carry_some_optional_columns_or_none(tmp_path, force_a):
    header = [*COLUMNS, "policing_area"]
    batch = run_import(write(tmp_path / "x.csv", [optional_row(0)], header), force=force_a)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    stored = CrimeRecord.objects.get()
    assert (stored.policing_area, stored.suspect_sex, stored.victim_ref_hash) == ("Bristol", "", "")


def test_bad_optional_values_are_rejected_row_by_row(tmp_path, force_a):
    rows = [
        optional_row(0, suspect_sex="robot"),
        optional_row(1, suspect_age_band="17"),
        optional_row(2, policing_area="x" * 61),
        optional_row(3, victim_reference="VICTIM-SECRET-9"),
        optional_row(4, policing_area="North\\South"),
        optional_row(5, policing_area="North\tSouth"),
    ]
    batch = run_import(write(tmp_path / "x.csv", rows, COLUMNS + OPTIONAL_COLUMNS), force=force_a)
    assert batch.status == ImportBatch.Status.REJECTED
    reasons = {(e["line"], e["column"]): e["reason"] for e in batch.errors}
    assert reasons[(2, "suspect_sex")].startswith("must be one of: female, male, other")
    assert reasons[(3, "suspect_age_band")].startswith("must be one of: 18-24")
    assert reasons[(4, "policing_area")] == "is longer than 60 characters"
    plain = "must be plain text on one line, without tabs or backslashes"
    assert reasons[(6, "policing_area")] == reasons[(7, "policing_area")] == plain
    assert len(reasons) == 5
    assert not CrimeRecord.objects.exists()
    assert "VICTIM-SECRET-9" not in str(batch.errors)


def test_the_profile_shows_what_the_optional_columns_allow(tmp_path, force_a, alice_client):
    cache.clear()
    rows = [
        optional_row(i, recorded_date="2024-05-01", outcome_type="", outcome_date="")
        for i in range(30)
    ]
    batch = run_import(write(tmp_path / "x.csv", rows, COLUMNS + OPTIONAL_COLUMNS), force=force_a)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    page = alice_client.get(
        f"/forces/{force_a.slug}/problem-profile/?end=2024-25-q1"
    ).content.decode()
    # Where: 10 each in Bristol and Somerset East, 10 not recorded; ranked.
    assert page.index('<th scope="row">Bristol</th><td class="num">10</td>') < page.index(
        "Somerset East</th>"
    )
    # Suspects: every row names suspect SUS-77; 10 of 30 reports have a male suspect.
    assert "Suspect sex" in page and "Suspect age band" in page and "Suspect ethnicity" in page
    assert '<th scope="row">Male</th><td class="num">10</td>' in page
    # Repeat victims: three victims, each in 10 reports: a small count, shown "<5".
    repeat = 'Victims in 2 or more of the year&#x27;s reports</th><td class="num">'
    assert repeat + '<span class="suppressed-cell">&lt;5</span>' in page
    # The data gaps no longer list what the extract now carries.
    lacking = page[page.index('id="table-lacking"') :]
    assert "Local policing area" not in lacking and "Pseudonymised victim reference" not in lacking
    assert "Suspect age, sex and ethnicity" not in lacking


def test_without_the_optional_columns_the_profile_says_what_it_cannot_show(
    tmp_path, force_a, alice_client
):
    cache.clear()
    rows = [
        record(
            crime_reference=f"AS/{i}", recorded_date="2024-05-01", outcome_type="", outcome_date=""
        )
        for i in range(8)
    ]
    run_import(write(tmp_path / "x.csv", rows, COLUMNS), force=force_a)
    page = alice_client.get(
        f"/forces/{force_a.slug}/problem-profile/?end=2024-25-q1"
    ).content.decode()
    assert "by local policing area" not in page and 'id="table-repeat-victims"' not in page
    assert 'id="table-suspect-suspect_sex"' not in page
    lacking = page[page.index('id="table-lacking"') :]
    assert "Local policing area" in lacking and "Pseudonymised victim reference" in lacking
