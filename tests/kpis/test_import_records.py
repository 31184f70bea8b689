"""Importing a record-level extract: what real exports look like, validated, all or nothing."""

import datetime as dt
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection
from openpyxl import Workbook

from kpis.imports import records as import_records
from kpis.imports import services as imports
from kpis.models import CrimeRecord, ImportBatch
from soteria.pseudonym import pseudonymise

from .import_helpers import HEADER, extract_text, record, records, run_import, write_extract

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def today_is_1_june_2025(time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False)


def test_it_imports_a_valid_extract_with_references_hashed(tmp_path, force_a):
    path = write_extract(tmp_path / "extract.csv", records(3))

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert batch.rows_written == 3
    row = CrimeRecord.objects.get(crime_ref_hash=pseudonymise("AS/2024/00001"))
    assert row.force == force_a
    assert row.batch == batch
    assert row.suspect_ref_hash == pseudonymise("SUS-77")
    assert row.investigator_ref_hash == pseudonymise("pc1234")
    assert row.recorded_date == dt.date(2024, 5, 1)
    assert row.outcome_type == "1"
    assert row.outcome_date == dt.date(2024, 9, 30)
    assert row.offence_group == "rape"
    assert row.victim_age == 27
    assert batch.coverage == {"avon-and-somerset": ["2024-05-01", "2024-05-01"]}


def test_the_example_file_in_fixtures_imports(force_a):
    batch = run_import(ROOT / "fixtures" / "example-extract.csv", force=force_a)

    assert batch.status == ImportBatch.Status.SUCCEEDED, (batch.message, batch.errors)
    assert batch.rows_written == 8
    serial = CrimeRecord.objects.get(crime_ref_hash=pseudonymise("SYN-AS-2024-000105"))
    assert serial.recorded_date == dt.date(2024, 4, 19)
    assert serial.victim_age is None  # missing is recorded as missing


def test_no_raw_reference_reaches_any_table(tmp_path, force_a):
    rows = records(2, prefix="RAWCRIME-", suspect_reference="RAWSUSPECT-9")
    rows[1]["investigator_reference"] = "RAWOFFICER-5"
    path = write_extract(tmp_path / "extract.csv", rows)

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.SUCCEEDED
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            text = " ".join(str(v) for row in cursor.fetchall() for v in row).upper()
            assert "RAWCRIME" not in text, table
            assert "RAWSUSPECT" not in text, table
            assert "RAWOFFICER" not in text, table
    assert not Path(batch.stored_path).exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_it_reads_utf8_with_or_without_bom_and_windows_1252(tmp_path, force_a, encoding):
    rows = records(2, prefix="CAFÉ-", investigator_reference="Détective 5")
    path = write_extract(tmp_path / "extract.csv", rows, encoding=encoding)

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert CrimeRecord.objects.filter(
        crime_ref_hash=pseudonymise("CAFÉ-00000"), investigator_ref_hash=pseudonymise("DÉTECTIVE5")
    ).exists()


def test_it_matches_headers_whatever_their_case_and_spacing(tmp_path, force_a):
    header = [h.replace("_", " ").title() for h in HEADER]
    header[0] = "  FORCE "
    path = write_extract(tmp_path / "extract.csv", records(2), header=header)

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message


def test_it_accepts_uk_dates_and_excel_serials_and_skips_trailing_blank_rows(tmp_path, force_a):
    rows = [
        record(crime_reference="A1", recorded_date="01/05/2024", outcome_date="30/09/2024"),
        record(crime_reference="A2", recorded_date="45413", outcome_date="2024-09-30 00:00:00"),
    ]
    path = tmp_path / "extract.csv"
    path.write_text(extract_text(rows) + ",,,,,,,,,,,,,,\r\n\r\n,,,,,,,,,,,,,,\r\n")

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.SUCCEEDED, (batch.message, batch.errors)
    assert batch.rows_written == 2
    assert set(CrimeRecord.objects.values_list("recorded_date", flat=True)) == {dt.date(2024, 5, 1)}


def test_it_imports_an_xlsx_workbook_with_real_dates_and_serials(tmp_path, force_a):
    book = Workbook()
    sheet = book.active
    sheet.append([h.replace("_", " ").capitalize() for h in HEADER])
    first = record(crime_reference="X1")
    first["recorded_date"] = dt.datetime(2024, 5, 1)
    first["outcome_date"] = 45565  # an unformatted date cell: 30 Sep 2024
    first["victim_age"] = 27
    sheet.append([first[h] or None for h in HEADER])
    sheet.append([record(crime_reference="X2")[h] or None for h in HEADER])
    sheet.append([None] * len(HEADER))
    path = tmp_path / "extract.xlsx"
    book.save(path)

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.SUCCEEDED, (batch.message, batch.errors)
    row = CrimeRecord.objects.get(crime_ref_hash=pseudonymise("X1"))
    assert row.outcome_date == dt.date(2024, 9, 30)
    assert row.victim_age == 27


BAD_ROWS = [
    ("force", {"force": ""}, "force", "is required"),
    ("unknown force", {"force": "Gotham"}, "force", "is not a police force"),
    ("other force", {"force": "Staffordshire"}, "force", "is not Avon and Somerset"),
    ("no reference", {"crime_reference": ""}, "crime_reference", "is required"),
    ("offence", {"offence_code": "28A"}, "offence_code", "is not a RASSO"),
    ("no date", {"recorded_date": ""}, "recorded_date", "is required"),
    ("unreal date", {"recorded_date": "2024-02-30"}, "recorded_date", "is not a real date"),
    (
        "future",
        {"recorded_date": "2025-07-01", "outcome_type": "", "outcome_date": ""},
        "recorded_date",
        "is in the future",
    ),
    ("outcome type", {"outcome_type": "23"}, "outcome_type", "is not a Home Office outcome"),
    ("before", {"outcome_date": "2024-04-01"}, "outcome_date", "is before the date recorded"),
    ("no outcome date", {"outcome_date": ""}, "outcome_date", "is required when"),
    ("open", {"outcome_type": ""}, "outcome_date", "must be blank while"),
    ("future outcome", {"outcome_date": "2025-06-02"}, "outcome_date", "is in the future"),
    ("sex", {"victim_sex": "unknown"}, "victim_sex", "must be one of"),
    ("age", {"victim_age": "twenty"}, "victim_age", "whole number"),
    ("ethnicity", {"victim_ethnicity": "purple"}, "victim_ethnicity", "must be one of"),
    ("disability", {"victim_disability": "maybe"}, "victim_disability", "must be one of"),
    ("relationship", {"relationship": "neighbour"}, "relationship", "must be one of"),
    (
        "supports",
        {"victim_supports_prosecution": "perhaps"},
        "victim_supports_prosecution",
        "must be one of",
    ),
    (
        "stage missing",
        {"outcome_type": "16", "victim_supports_prosecution": "no"},
        "withdrawal_stage",
        "is required for outcomes 14 and 16",
    ),
    ("stage not 14/16", {"withdrawal_stage": "report"}, "withdrawal_stage", "must be blank unless"),
    (
        "supports 16",
        {"outcome_type": "16", "withdrawal_stage": "report"},
        "victim_supports_prosecution",
        "cannot be yes",
    ),
]


@pytest.mark.parametrize("case,change,column,reason", BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_one_bad_row_in_the_middle_rejects_the_whole_file(
    tmp_path, force_a, case, change, column, reason
):
    rows = records(5)
    rows[2].update(change)
    path = write_extract(tmp_path / "extract.csv", rows)

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.REJECTED
    assert CrimeRecord.objects.count() == 0
    assert batch.rows_written == 0
    assert [e["line"] for e in batch.errors] == [4]  # header is line 1
    assert batch.errors[0]["column"] == column
    assert reason in batch.errors[0]["reason"]
    assert "nothing was written" in batch.message


def test_a_repeated_crime_reference_is_named_by_line_not_by_value(tmp_path, force_a):
    rows = records(4)
    rows[3]["crime_reference"] = rows[1]["crime_reference"]
    path = write_extract(tmp_path / "extract.csv", rows)

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.errors == [
        {
            "line": 5,
            "column": "crime_reference",
            "value": import_records.HIDDEN,
            "reason": "repeats the crime reference on line 3",
        }
    ]
    assert "AS/2024" not in str(batch.errors) + batch.message


def test_repeats_are_found_across_chunks(tmp_path, force_a, monkeypatch):
    rows = records(7)
    rows[6]["crime_reference"] = rows[0]["crime_reference"]
    path = write_extract(tmp_path / "extract.csv", rows)
    batch = imports.create_batch(
        kind="records", source=path, file_name="x.csv", force=force_a, uploaded_by=None
    )
    original = import_records.import_records
    monkeypatch.setattr(imports, "import_records", lambda **kw: original(**kw, chunk_rows=3))

    imports.import_outcomes(batch=batch)

    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.errors[0]["line"] == 8
    assert batch.errors[0]["reason"] == "repeats the crime reference on line 2"
    assert CrimeRecord.objects.count() == 0


def test_the_report_names_every_bad_row(tmp_path, force_a):
    rows = records(6)
    rows[0]["offence_code"] = "99"
    rows[4]["recorded_date"] = "yesterday"
    rows[4]["victim_sex"] = "x"
    path = write_extract(tmp_path / "extract.csv", rows)

    batch = run_import(path, force=force_a)

    assert [(e["line"], e["column"]) for e in batch.errors] == [
        (2, "offence_code"),
        (6, "recorded_date"),
        (6, "victim_sex"),
    ]
    assert batch.errors[1]["value"] == "yesterday"
    assert "2 rows" in batch.message


@pytest.mark.parametrize(
    "text,problem",
    [
        ("force,crime_reference,offence_code\r\nA,B,C\r\n", "Missing columns"),
        (",".join(HEADER) + ",colour\r\n", "Unrecognised column: 'colour'"),
        ("just some words\r\nmore words\r\n", "No header row found"),
        (",".join(HEADER) + "\r\n", "no records"),
    ],
)
def test_a_file_that_is_not_an_extract_is_rejected_with_the_reason(
    tmp_path, force_a, text, problem
):
    path = tmp_path / "extract.csv"
    path.write_text(text)

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.REJECTED
    assert problem in batch.message
    assert CrimeRecord.objects.count() == 0


def test_the_same_file_twice_is_already_imported(tmp_path, force_a):
    path = write_extract(tmp_path / "extract.csv", records(3))
    first = run_import(path, force=force_a)

    second = run_import(path, force=force_a)

    assert first.status == ImportBatch.Status.SUCCEEDED
    assert second.status == ImportBatch.Status.DUPLICATE
    assert "Already imported" in second.message
    assert CrimeRecord.objects.count() == 3


def test_a_corrected_re_extract_waits_for_confirmation_then_replaces_the_period(
    tmp_path, force_a, alice, django_capture_on_commit_callbacks
):
    run_import(write_extract(tmp_path / "first.csv", records(4)), force=force_a)
    corrected = records(3)
    corrected[0]["outcome_type"] = "15"
    path = write_extract(tmp_path / "corrected.csv", corrected)

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.AWAITING_CONFIRMATION
    assert batch.overlapping == 4
    assert CrimeRecord.objects.filter(batch=batch).count() == 0
    assert CrimeRecord.objects.count() == 4

    with django_capture_on_commit_callbacks(execute=True):
        assert imports.confirm_replacement(batch=batch, by=alice)
    batch.refresh_from_db()

    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert batch.rows_replaced == 4
    assert CrimeRecord.objects.count() == 3
    assert set(CrimeRecord.objects.values_list("batch", flat=True)) == {batch.pk}
    assert (
        CrimeRecord.objects.get(crime_ref_hash=pseudonymise("AS/2024/00000")).outcome_type == "15"
    )
    assert batch.replacement_confirmed_by == alice
    reasons = list(batch.history.values_list("history_change_reason", flat=True))
    assert any("confirmed by Alice" in (r or "") for r in reasons)


def test_a_re_extract_holding_an_earlier_crime_outside_its_dates_still_asks(
    tmp_path, force_a, django_capture_on_commit_callbacks
):
    run_import(
        write_extract(
            tmp_path / "first.csv",
            [record(crime_reference="C1", recorded_date="2024-01-10", outcome_date="2024-03-01")],
        ),
        force=force_a,
    )
    path = write_extract(tmp_path / "second.csv", [record(crime_reference="C1")])

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.AWAITING_CONFIRMATION
    assert batch.overlapping == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert imports.confirm_replacement(batch=batch, by=None)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert CrimeRecord.objects.get().recorded_date == dt.date(2024, 5, 1)


def test_an_extract_for_a_new_period_is_added_without_asking(tmp_path, force_a):
    run_import(write_extract(tmp_path / "q1.csv", records(2)), force=force_a)
    later = records(2, prefix="LATER-", recorded_date="2024-10-01", outcome_date="2024-12-01")

    batch = run_import(write_extract(tmp_path / "q3.csv", later), force=force_a)

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert CrimeRecord.objects.count() == 4


def test_a_database_failure_part_way_leaves_nothing(tmp_path, force_a, monkeypatch):
    path = write_extract(tmp_path / "extract.csv", records(7))
    batch = imports.create_batch(
        kind="records", source=path, file_name="x.csv", force=force_a, uploaded_by=None
    )
    original = import_records.import_records
    monkeypatch.setattr(imports, "import_records", lambda **kw: original(**kw, chunk_rows=3))
    writes = {"count": 0}
    real_write = import_records.FrameWriter.write

    def failing_write(self, frame):
        writes["count"] += 1
        if writes["count"] == 2:
            raise RuntimeError("connection lost with value AS/2024/00004")
        return real_write(self, frame)

    monkeypatch.setattr(import_records.FrameWriter, "write", failing_write)

    with mock.patch.object(imports.log, "error") as logged:
        imports.import_outcomes(batch=batch)

    assert writes["count"] == 2
    assert batch.status == ImportBatch.Status.FAILED
    assert CrimeRecord.objects.count() == 0
    assert "nothing was written" in batch.message
    assert "AS/2024" not in batch.message
    assert "AS/2024" not in str(logged.call_args)


def test_a_batch_is_claimed_once(tmp_path, force_a):
    path = write_extract(tmp_path / "extract.csv", records(2))
    batch = imports.create_batch(
        kind="records", source=path, file_name="x.csv", force=force_a, uploaded_by=None
    )
    other = ImportBatch.objects.get(pk=batch.pk)

    assert imports.claim(batch) is True
    assert imports.claim(other) is False


def test_a_national_import_may_hold_several_forces(tmp_path, force_a, force_b):
    rows = records(2) + records(2, prefix="ST-", force="Staffordshire")
    path = write_extract(tmp_path / "extract.csv", rows)

    batch = run_import(path, force=None)

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert CrimeRecord.objects.filter(force=force_b).count() == 2
    assert set(batch.coverage) == {"avon-and-somerset", "staffordshire"}


@pytest.mark.parametrize(
    "texts",
    [
        ["ab/1 2 ", "", "Détective 5"],
        ["AS/1", "", "DÉTECTIVE5", "X-2"],  # already normal: the one-pass path
        ["AS/1", "straße", "A\x00B"],  # upper() lengthens; a NUL inside a cell
        ["AS/1", "A\u00a0B"],  # non-breaking space is whitespace too
    ],
)
def test_the_fast_hash_agrees_with_the_shared_pseudonymiser(settings, texts):
    import pandas as pd

    values = pd.Series(texts)

    hexes, _ = import_records._hashes(
        values, import_records.Hasher(settings.PSEUDONYM_KEY.encode()), with_keys=True
    )
    distinct, _ = import_records._hashes(
        values, import_records.Hasher(settings.PSEUDONYM_KEY.encode())
    )

    assert hexes == distinct == [pseudonymise(v) for v in values]


@pytest.mark.parametrize("key", ["short", "k" * 64, "a much longer key " * 8])
def test_the_fast_hmac_is_hmac_sha256_for_any_key_length(key):
    import hmac

    hasher = import_records.Hasher(key.encode())

    assert hasher.digest(b"AB/123") == hmac.digest(key.encode(), b"AB/123", "sha256")


def test_a_row_with_more_cells_than_the_header_is_named(tmp_path, force_a):
    path = tmp_path / "extract.csv"
    path.write_text(extract_text(records(3)) + ",".join(["x"] * (len(HEADER) + 2)) + "\r\n")

    batch = run_import(path, force=force_a)

    assert batch.status == ImportBatch.Status.REJECTED
    assert (
        f"Line 5 has {len(HEADER) + 2} cells, but the header names only 15 columns" in batch.message
    )
    assert CrimeRecord.objects.count() == 0
