"""Importing the Home Office outcomes open data tables (shared/reference/home-office-data.md)."""

import csv
import io

import pytest
from openpyxl import Workbook

from kpis.imports import services as imports
from kpis.imports.demo import HOME_OFFICE_HEADERS
from kpis.models import HomeOfficeOutcome, ImportBatch

from .import_helpers import run_import

pytestmark = pytest.mark.django_db
HO = ImportBatch.Kind.HOME_OFFICE


def ho_row(**overrides) -> dict:
    row = dict(
        zip(
            HOME_OFFICE_HEADERS,
            [
                "2023/24",
                "1",
                "Avon and Somerset",
                "19C",
                "Rape of a female aged 16 and over",
                "Sexual offences",
                "Rape",
                "",
                "1",
                "Charged/summonsed",
                "Charged/Summonsed",
                "12",
                "15",
            ],
            strict=True,
        )
    )
    for key, value in overrides.items():
        row[key.replace("_", " ")] = value
    return row


def write_table(path, rows, *, headers=HOME_OFFICE_HEADERS, preamble=()):
    out = io.StringIO()
    writer = csv.writer(out)
    for line in preamble:
        writer.writerow(line)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in HOME_OFFICE_HEADERS])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_it_stores_both_count_bases_and_keeps_outcome_zero(tmp_path, force_a):
    rows = [
        ho_row(),
        ho_row(
            **{
                "Outcome Type": "0",
                "Outcome Group": "Not yet assigned an outcome",
                "Outcomes for offences that were recorded in the quarter": "1,234",
                "Outcomes for investigations closed in the quarter": "N/A",
            }
        ),
    ]

    batch = run_import(write_table(tmp_path / "ho.csv", rows), force=None, kind=HO)

    assert batch.status == ImportBatch.Status.SUCCEEDED, (batch.message, batch.errors)
    charged = HomeOfficeOutcome.objects.get(outcome_type="1")
    assert (charged.force, charged.financial_year, charged.quarter) == (force_a, "2023-24", 1)
    assert (charged.recorded_count, charged.closed_count) == (12, 15)
    assert charged.outcome_group == "Charged/Summonsed"
    assert charged.offence_group == "rape"
    open_row = HomeOfficeOutcome.objects.get(outcome_type="0")
    assert open_row.recorded_count == 1234
    assert open_row.closed_count is None  # missing, never zero
    assert batch.coverage == {"periods": ["2023-24-q1"]}


@pytest.mark.parametrize(
    "text", ["N/A - data not provided", "N/A - Offence code expired", "NA", ":", "..", ""]
)
def test_not_applicable_spellings_are_missing_not_zero(tmp_path, text):
    rows = [ho_row(**{"Outcomes for investigations closed in the quarter": text})]

    batch = run_import(write_table(tmp_path / "ho.csv", rows), force=None, kind=HO)

    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    assert HomeOfficeOutcome.objects.get().closed_count is None


def test_negative_corrections_are_kept(tmp_path):
    rows = [ho_row(**{"Outcomes for investigations closed in the quarter": "-3"})]

    run_import(write_table(tmp_path / "ho.csv", rows), force=None, kind=HO)

    assert HomeOfficeOutcome.objects.get().closed_count == -3


def test_it_skips_subset_rows_other_offences_and_non_territorial_bodies(tmp_path, force_b):
    rows = [
        ho_row(),
        ho_row(**{"Outcome Type": "1a"}),
        ho_row(**{"Offence Code": "28A", "Offence Subgroup": "Burglary"}),
        ho_row(**{"Force Name": "British Transport Police"}),
        ho_row(**{"Force Name": "Action Fraud"}),
        ho_row(**{"Force Name": "Staffordshire", "Offence Code": "020A"}),
    ]

    batch = run_import(write_table(tmp_path / "ho.csv", rows), force=None, kind=HO)

    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.rows_written == 2
    assert HomeOfficeOutcome.objects.get(force=force_b).offence_code == "20A"
    assert "4 rows outside RASSO" in batch.message


def test_force_names_are_canonicalised_through_the_alias_table(tmp_path, force_a):
    rows = [
        ho_row(**{"Force Name": "Avon & Somerset [Note 6] "}),
        ho_row(**{"Force Name": "Devon & Cornwall"}),
    ]

    batch = run_import(write_table(tmp_path / "ho.csv", rows), force=None, kind=HO)

    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.errors
    assert HomeOfficeOutcome.objects.filter(force=force_a).count() == 1
    assert HomeOfficeOutcome.objects.filter(force__slug="devon-and-cornwall").count() == 1


def test_it_finds_the_header_row_in_a_workbook_sheet_with_a_cover_sheet(tmp_path):
    book = Workbook()
    book.active.title = "Cover"
    book.active.append(["Police recorded crime outcomes open data"])
    sheet = book.create_sheet("Outcomes open data 2025_26")
    sheet.append(["Notes: this sheet is synthetic"])
    sheet.append([])
    headers = [h.upper().replace(" ", "\u00a0") for h in HOME_OFFICE_HEADERS]
    headers[11] = "Number of Outcomes for offences that were recorded in the quarter"
    sheet.append(headers)
    sheet.append(
        [
            "2023/24",
            2,
            "Avon and Somerset",
            "19C",
            "d",
            "Sexual offences",
            "Rape offences",
            None,
            16,
            "d",
            "Evidential difficulties (victim does not support action)",
            40,
            38,
        ]
    )
    path = tmp_path / "prc-outcomes-open-data-mar2024-tables-300125.xlsx"
    book.save(path)

    batch = run_import(path, force=None, kind=HO)

    assert batch.status == ImportBatch.Status.SUCCEEDED, (batch.message, batch.errors)
    row = HomeOfficeOutcome.objects.get()
    assert (row.quarter, row.outcome_type, row.recorded_count, row.closed_count) == (
        2,
        "16",
        40,
        38,
    )


@pytest.mark.parametrize(
    "change,column,reason",
    [
        ({"Financial Year": "2023"}, "Financial Year", "is not a financial year"),
        ({"Financial Quarter": "5"}, "Financial Quarter", "is not a quarter"),
        ({"Force Name": "Gotham"}, "Force Name", "is not one of the 43"),
        ({"Outcome Type": "30"}, "Outcome Type", "is not a Home Office outcome type"),
        (
            {"Outcomes for offences that were recorded in the quarter": "lots"},
            "Outcomes for offences that were recorded in the quarter",
            "is not a count",
        ),
    ],
)
def test_one_bad_row_rejects_the_table(tmp_path, change, column, reason):
    rows = [ho_row(**{"Offence Code": code}) for code in ("19C", "19D", "19E")]
    rows[1].update(change)

    batch = run_import(write_table(tmp_path / "ho.csv", rows), force=None, kind=HO)

    assert batch.status == ImportBatch.Status.REJECTED
    assert HomeOfficeOutcome.objects.count() == 0
    assert [(e["line"], e["column"]) for e in batch.errors] == [(3, column)]
    assert reason in batch.errors[0]["reason"]


def test_an_unrecognised_header_rejects_the_table(tmp_path):
    headers = [*HOME_OFFICE_HEADERS, "Force outcomes for offences recorded in quarter"]

    batch = run_import(
        write_table(tmp_path / "ho.csv", [ho_row()], headers=headers), force=None, kind=HO
    )

    assert batch.status == ImportBatch.Status.REJECTED
    assert "Unrecognised column: 'Force outcomes for offences recorded in quarter'" in batch.message


def test_a_repeated_row_is_rejected(tmp_path):
    batch = run_import(write_table(tmp_path / "ho.csv", [ho_row(), ho_row()]), force=None, kind=HO)

    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.errors[0]["line"] == 3
    assert "repeats the row on line 2" in batch.errors[0]["reason"]


def test_a_new_edition_of_the_same_quarters_replaces_them_after_confirmation(
    tmp_path, django_capture_on_commit_callbacks, alice
):
    run_import(
        write_table(tmp_path / "ho1.csv", [ho_row(), ho_row(**{"Offence Code": "19D"})]),
        force=None,
        kind=HO,
    )
    revised = [ho_row(**{"Outcomes for offences that were recorded in the quarter": "13"})]

    batch = run_import(write_table(tmp_path / "ho2.csv", revised), force=None, kind=HO)

    assert batch.status == ImportBatch.Status.AWAITING_CONFIRMATION
    assert batch.overlapping == 2
    with django_capture_on_commit_callbacks(execute=True):
        imports.confirm_replacement(batch=batch, by=alice)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert list(HomeOfficeOutcome.objects.values_list("recorded_count", flat=True)) == [13]


def test_the_synthetic_demo_table_covers_all_43_forces(tmp_path):
    from kpis.imports.demo import generate_home_office_file
    from soteria.periods import Period

    path = tmp_path / "ho.csv"
    generate_home_office_file(path=path, seed=2, periods=[Period(2024, 1)])

    batch = run_import(path, force=None, kind=HO)

    assert batch.status == ImportBatch.Status.SUCCEEDED, (batch.message, batch.errors[:3])
    assert HomeOfficeOutcome.objects.values("force").distinct().count() == 43
    assert HomeOfficeOutcome.objects.filter(outcome_type="0", closed_count__isnull=True).exists()
