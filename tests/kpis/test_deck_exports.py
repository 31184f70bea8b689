"""The whole-deck download and the data-as-at line: tidy tables an analyst's tools read."""

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import ImportBatch, Kpi, KpiSnapshot
from soteria.periods import Period

Q1 = Period.parse("2024-25-q1")


@pytest.fixture
def snapshots(force_a, force_b):
    add_synthetic_records(forces=[force_a, force_b], records=2000, seed=11)
    for period in Q1.trailing(2):
        compute_snapshots(force=force_a, period=period)


def deck_download(force, fmt, **params):
    return reverse("kpis:deck-download", args=[force.slug, fmt]), {"period": Q1.slug, **params}


def test_the_deck_csv_is_one_row_per_tile_with_numeric_columns(snapshots, alice_client, force_a):
    url, params = deck_download(force_a, "csv", offence="rape")
    table = pd.read_csv(io.BytesIO(alice_client.get(url, params).content))
    assert list(table["kpi"]) == list(Kpi.objects.order_by("order").values_list("slug", flat=True))
    for column in ("value", "numerator", "denominator", "ci_low", "ci_high", "target"):
        assert pd.api.types.is_numeric_dtype(table[column]), column
    row = table.set_index("kpi").loc["charge-rate"]
    snapshot = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="charge-rate", period=Q1.slug, offence_group="rape"
    )
    # Independently: the rate is charges over outcomes, stored as a fraction.
    assert row["value"] == pytest.approx(snapshot.numerator / snapshot.denominator)
    assert (row["numerator"], row["denominator"]) == (snapshot.numerator, snapshot.denominator)


def test_the_deck_xlsx_has_numbers_with_formats_and_an_about_sheet(
    snapshots, alice_client, force_a
):
    url, params = deck_download(force_a, "xlsx")
    content = alice_client.get(url, params).content
    data = pd.read_excel(io.BytesIO(content), sheet_name="Deck")
    assert pd.api.types.is_float_dtype(data["value"])
    about = dict(pd.read_excel(io.BytesIO(content), sheet_name="About").values)
    assert about["Quarter"] == Q1.status_label and "Counts from 1 to 4" in about["Suppression rule"]
    assert about["Protective marking"].startswith("OFFICIAL-SENSITIVE")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content))["Deck"]
    header = [c.value for c in sheet[1]]
    rate_row = next(
        r for r in sheet.iter_rows(min_row=2) if r[header.index("kpi")].value == "charge-rate"
    )
    assert rate_row[header.index("value")].number_format == "0.0%"


def test_the_zip_holds_the_table_and_its_metadata(snapshots, alice_client, force_a):
    url = reverse("kpis:kpi-download", args=[force_a.slug, "charge-rate", "zip"])
    content = alice_client.get(url, {"period": Q1.slug}).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        about_name, data_name = sorted(archive.namelist())
        data = pd.read_csv(archive.open(data_name))
        about = pd.read_csv(archive.open(about_name))
    assert about_name.endswith("-about.csv")
    assert pd.api.types.is_numeric_dtype(data["value"])
    assert "Data source" in set(about["item"])


def test_the_deck_and_its_exports_say_what_the_data_is_as_at(snapshots, alice_client, force_a):
    finished = timezone.make_aware(dt.datetime(2024, 7, 14, 9, 30))
    ImportBatch.objects.create(
        force=force_a,
        kind=ImportBatch.Kind.RECORDS,
        file_name="x.csv",
        file_sha256="1" * 64,
        status=ImportBatch.Status.SUCCEEDED,
        finished_at=finished,
    )
    compute_snapshots(force=force_a, period=Q1)  # a new import is always followed by one
    body = alice_client.get(
        reverse("kpis:flight-deck", args=[force_a.slug]), {"period": Q1.slug}
    ).content.decode()
    assert "crime records imported 14 Jul 2024" in body.split('id="data-as-at"')[1]
    url, params = deck_download(force_a, "xlsx")
    about = dict(
        pd.read_excel(io.BytesIO(alice_client.get(url, params).content), sheet_name="About").values
    )
    assert about["Latest crime-record import"].startswith("14 Jul 2024")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "zip"])
def test_bob_cannot_download_alices_deck(snapshots, bob_client, force_a, fmt):
    url, params = deck_download(force_a, fmt)
    assert bob_client.get(url, params).status_code == 404


def test_a_deck_download_for_a_quarter_without_figures_is_404(snapshots, alice_client, force_a):
    url, _ = deck_download(force_a, "csv")
    assert alice_client.get(url, {"period": "2030-31-q1"}).status_code == 404
