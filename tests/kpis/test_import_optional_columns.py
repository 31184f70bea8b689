"""The extract's optional columns: suspect age band, sex and ethnicity, a victim reference
(hashed like the others), the local policing area and the victim's sexual orientation,
religion and gender identity; accepted, validated, or left out (and the import keeps which
of them the file carried)."""

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
        "victim_sexual_orientation": ["heterosexual", "Gay or lesbian", "", "prefer not to say"][
            i % 4
        ],
        "victim_religion": ["no-religion", "Muslim", "", "Any other religion"][i % 4],
        "victim_gender_identity": ["Y", "different", "", "Prefer not to say"][i % 4],
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
    assert batch.optional_columns == OPTIONAL_COLUMNS
    assert "Optional columns in the file: suspect_age_band, " in batch.message


def test_the_victims_sexual_orientation_religion_and_gender_identity_are_stored_as_codes(
    tmp_path, force_a
):
    """Codes, the labels and the usual spellings are read as the codes docs/import-format.md
    lists; "prefer not to say" is an answer, stored as such; a blank is not recorded."""
    path = write(
        tmp_path / "x.csv", [optional_row(i) for i in range(4)], COLUMNS + OPTIONAL_COLUMNS
    )
    assert run_import(path, force=force_a).status == ImportBatch.Status.SUCCEEDED
    stored = [
        CrimeRecord.objects.get(crime_ref_hash=pseudonymise(f"AS/2024/{i:05d}")) for i in range(4)
    ]
    assert [
        (r.victim_sexual_orientation, r.victim_religion, r.victim_gender_identity) for r in stored
    ] == [
        ("heterosexual", "no-religion", "yes"),
        ("gay-or-lesbian", "muslim", "no"),
        ("", "", ""),
        ("prefer-not-to-say", "other", "prefer-not-to-say"),
    ]
    spellings = [
        optional_row(
            i,
            recorded_date="2024-06-01",  # after the first file's: no replacement to confirm
            victim_sexual_orientation=value,
            victim_gender_identity=identity,
        )
        for i, (value, identity) in enumerate(
            [("Straight", "same"), ("LESBIAN", "n"), ("bisexual", "Yes"), ("Other", "NO")],
            start=10,
        )
    ]
    path = write(tmp_path / "y.csv", spellings, COLUMNS + OPTIONAL_COLUMNS)
    assert run_import(path, force=force_a).status == ImportBatch.Status.SUCCEEDED
    read = CrimeRecord.objects.filter(
        crime_ref_hash__in=[pseudonymise(f"AS/2024/{i:05d}") for i in range(10, 14)]
    ).values_list("victim_sexual_orientation", "victim_gender_identity")
    assert sorted(read) == sorted(
        [("heterosexual", "yes"), ("gay-or-lesbian", "no"), ("bisexual", "yes"), ("other", "no")]
    )


def test_an_extract_may_carry_some_optional_columns_or_none(tmp_path, force_a):
    header = [*COLUMNS, "policing_area"]
    batch = run_import(write(tmp_path / "x.csv", [optional_row(0)], header), force=force_a)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    stored = CrimeRecord.objects.get()
    assert (stored.policing_area, stored.suspect_sex, stored.victim_ref_hash) == ("Bristol", "", "")
    assert stored.victim_religion == ""
    # The batch keeps what the header carried: a left-out column is not supplied, not blank.
    assert batch.optional_columns == ["policing_area"]
    assert batch.message.endswith("Optional columns in the file: policing_area.")
    header = [*COLUMNS, "Victim Religion", "victim_gender_identity"]
    row = optional_row(1, crime_reference="AS/2024/09999", recorded_date="2024-06-01")
    row["Victim Religion"] = ""
    batch = run_import(write(tmp_path / "y.csv", [row], header), force=force_a)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    # A column carried but blank in every row is still carried: its blanks are missing data.
    assert batch.optional_columns == ["victim_religion", "victim_gender_identity"]


def test_an_extract_without_any_optional_column_carries_none(tmp_path, force_a):
    batch = run_import(write(tmp_path / "x.csv", [optional_row(0)], COLUMNS), force=force_a)
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.optional_columns == []
    assert batch.message.endswith("Optional columns in the file: none.")


def test_bad_optional_values_are_rejected_row_by_row(tmp_path, force_a):
    rows = [
        optional_row(0, suspect_sex="robot"),
        optional_row(1, suspect_age_band="17"),
        optional_row(2, policing_area="x" * 61),
        optional_row(3, victim_reference="VICTIM-SECRET-9"),
        optional_row(4, policing_area="North\\South"),
        optional_row(5, policing_area="North\tSouth"),
        optional_row(6, victim_sexual_orientation="straightish"),
        optional_row(7, victim_religion="Pastafarian"),
        optional_row(8, victim_gender_identity="maybe"),
        optional_row(9, victim_religion="christian", victim_gender_identity="unknown"),
    ]
    batch = run_import(write(tmp_path / "x.csv", rows, COLUMNS + OPTIONAL_COLUMNS), force=force_a)
    assert batch.status == ImportBatch.Status.REJECTED
    reasons = {(e["line"], e["column"]): e["reason"] for e in batch.errors}
    assert reasons[(2, "suspect_sex")].startswith("must be one of: female, male, other")
    assert reasons[(3, "suspect_age_band")].startswith("must be one of: 18-24")
    assert reasons[(4, "policing_area")] == "is longer than 60 characters"
    plain = "must be plain text on one line, without tabs or backslashes"
    assert reasons[(6, "policing_area")] == reasons[(7, "policing_area")] == plain
    assert reasons[(8, "victim_sexual_orientation")] == (
        "must be one of: bisexual, gay-or-lesbian, heterosexual, other, prefer-not-to-say "
        "(or blank if not recorded)"
    )
    assert reasons[(9, "victim_religion")].startswith(
        "must be one of: buddhist, christian, hindu, jewish, muslim, no-religion, other, "
        "prefer-not-to-say, sikh"
    )
    gender = "must be one of: no, prefer-not-to-say, yes (or blank if not recorded)"
    assert reasons[(10, "victim_gender_identity")] == reasons[(11, "victim_gender_identity")]
    assert reasons[(11, "victim_gender_identity")] == gender
    assert len(reasons) == 9
    values = {(e["line"], e["column"]): e["value"] for e in batch.errors}
    assert values[(9, "victim_religion")] == "Pastafarian"
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
    # The victim's religion: a quarter of the rows each Muslim, other, no religion and blank.
    religion = page[page.index('id="table-victim-religion"') :].split("</table>")[0]
    assert '<th scope="row">Muslim</th><td class="num">8</td>' in religion
    assert '<th scope="row">Not recorded</th><td class="num">7</td>' in religion
    assert "Victim sexual orientation" not in lacking and "Victim religion" not in lacking
    gaps = page[page.index('id="table-missing"') :].split("</table>")[0]
    assert '<th scope="row">Victim gender identity</th><td class="num">7</td>' in gaps


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
    assert "Victim sexual orientation" in lacking and "Victim gender identity" in lacking
    assert 'id="table-victim-religion"' not in page
