"""CSV and Excel exports of the register, through access and with the register's filters."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from recommendations.models import Rag, Status

from . import factories

pytestmark = pytest.mark.django_db


def test_the_csv_has_a_row_per_recommendation_with_flags(pat_client, force_a, rec11, owen):
    factories.response(force=force_a, rec=rec11, owner=owen, rag=Rag.RED, status=Status.IN_PROGRESS)
    response = pat_client.get(f"/forces/{force_a.slug}/recommendations/export.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="avon-and-somerset-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 13
    row = next(r for r in rows if r["Recommendation"] == "11" and r["Published"] == "2024-08-22")
    assert (row["Owner"], row["Status"], row["RAG"]) == ("Owen", "In progress", "Red")
    assert "Past deadline" in row["Flags"]


def test_the_excel_export_follows_the_filters(pat_client, force_a, rec11, owen):
    factories.response(force=force_a, rec=rec11, owner=owen)
    response = pat_client.get(
        f"/forces/{force_a.slug}/recommendations/export.xlsx", {"owner": owen.pk}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:3] == ("Inspection", "Published", "Recommendation")
    assert [row[2] for row in values[1:]] == ["11"]


@pytest.mark.parametrize("suffix", ["export.csv", "export.xlsx"])
def test_bob_cannot_export_alices_register(bob_client, force_a, suffix):
    assert bob_client.get(f"/forces/{force_a.slug}/recommendations/{suffix}").status_code == 404


def test_text_that_looks_like_a_formula_is_exported_as_text(pat_client, pat, force_a):
    from recommendations import services

    inspection = services.create_inspection(
        by=pat,
        force=force_a,
        title='=HYPERLINK("http://evil")',
        inspectorate="HMICFRS",
        published=dt.date(2025, 1, 1),
        summary="",
        url="",
        areas_for_improvement="",
    )
    services.add_recommendation(
        inspection=inspection,
        by=pat,
        number="1",
        text="-2+3",
        deadline=None,
        addressee="forces",
        addressee_detail="",
    )
    rows = list(
        csv.reader(
            io.StringIO(
                pat_client.get(
                    f"/forces/{force_a.slug}/recommendations/export.csv"
                ).content.decode()
            )
        )
    )
    (row,) = [r for r in rows if r[3] == "'-2+3"]
    assert row[0] == '\'=HYPERLINK("http://evil")'
    sheet = load_workbook(
        io.BytesIO(pat_client.get(f"/forces/{force_a.slug}/recommendations/export.xlsx").content)
    ).active
    cells = [c for c in sheet["A"] if str(c.value).startswith("'=")]
    assert cells and all(c.data_type == "s" for c in cells)
