"""The KPI drill-down: trend, breakdowns, definition, national position, CSV and XLSX."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import HomeOfficeOutcome, ImportBatch, Kpi, KpiSnapshot
from soteria.models import Force
from soteria.periods import Period

Q1 = Period.parse("2024-25-q1")


@pytest.fixture
def snapshots(force_a, force_b):
    add_synthetic_records(forces=[force_a, force_b], records=3000, seed=31)
    for period in Q1.trailing(4):
        compute_snapshots(force=force_a, period=period)


def detail(force, slug, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("kpis:kpi-detail", args=[force.slug, slug]) + (f"?{query}" if query else "")


def download(force, slug, fmt, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("kpis:kpi-download", args=[force.slug, slug, fmt]) + f"?{query}"


def test_the_drill_down_shows_definition_trend_and_breakdowns(snapshots, alice_client, force_a):
    response = alice_client.get(detail(force_a, "charge-rate", period=Q1.slug, offence="all"))
    assert response.status_code == 200
    body = response.content.decode()
    kpi = Kpi.objects.get(slug="charge-rate")
    assert kpi.definition in body and kpi.numerator in body and kpi.denominator in body
    assert "Outcomes assigned in the quarter" in body  # the basis, stated
    for title in (
        "Victim sex",
        "Victim ethnicity",
        "Victim age band",
        "Victim disability",
        "Relationship context",
    ):
        assert f">{title}</h2>" in body
    assert "SPC XmR chart (NHS Making Data Count)" in body
    assert body.count('class="plotly-figure"') == 6  # the trend and five breakdowns
    assert "vendor/plotly.min.js" in body and "cdn" not in body.lower()


def test_small_counts_read_lt5_in_the_table(snapshots, alice_client, force_a):
    body = alice_client.get(
        detail(force_a, "charge-rate-by-ethnicity", period=Q1.slug, offence="rape")
    ).content.decode()
    table = body[body.index('id="breakdown-ethnicity"') :]
    assert "&lt;5" in table or "withheld" in table
    for number in re.findall(r'<td class="num">(\d+)</td>', table):
        assert int(number) == 0 or int(number) >= 5


def test_the_csv_is_exactly_the_tables_on_the_page(snapshots, alice_client, force_a):
    page = alice_client.get(
        detail(force_a, "charge-rate-by-ethnicity", period=Q1.slug, offence="rape")
    ).content.decode()
    response = alice_client.get(
        download(force_a, "charge-rate-by-ethnicity", "csv", period=Q1.slug, offence="rape")
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        'avon-and-somerset-charge-rate-by-ethnicity-2024-25-q1-rape.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    groups = [
        r for r in rows if r and r[0] in ("White", "Black or Black British", "Mixed or multiple")
    ]
    assert len(groups) == 3
    for row in groups:
        cells = "".join(f'<td class="num">{c}</td>' for c in row[1:3])
        rendered = cells.replace("<5", '<span class="suppressed-cell">&lt;5</span>').replace(
            ">withheld<", '><span class="suppressed-cell">withheld</span><'
        )
        assert rendered in page
    for row in rows:
        for cell in row[1:3] if len(row) > 2 else []:
            if cell.replace(",", "").isdigit():
                assert (
                    int(cell.replace(",", "")) == 0
                    or int(cell.replace(",", "")) >= 5
                    or row[0].startswith("20")
                )


def test_the_xlsx_has_a_sheet_per_table(snapshots, alice_client, force_a):
    response = alice_client.get(
        download(force_a, "charge-rate", "xlsx", period=Q1.slug, offence="all")
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Definition", "This quarter", "Trend"]
    assert "Victim ethnicity" in book.sheetnames
    sheet = book["Victim ethnicity"]
    assert [c.value for c in sheet[3]][:3] == ["Group", "Numerator", "Of"]


def test_an_unknown_format_is_404(snapshots, alice_client, force_a):
    assert (
        alice_client.get(download(force_a, "charge-rate", "pdf", period=Q1.slug)).status_code == 404
    )


def test_evidence_provenance_is_shown_with_its_narrative_and_link(alice_client, force_a):
    KpiSnapshot.objects.create(
        force=force_a,
        kpi=Kpi.objects.get(slug="sickness-days"),
        period=Q1.slug,
        value=3,
        provenance={
            "summary": "Entered by Pat Lee, approved by Sam Roe on 3 Jul 2025",
            "narrative": "Two long-term absences.",
            "url": "/forces/avon-and-somerset/evidence/7/",
        },
    )
    body = alice_client.get(detail(force_a, "sickness-days", period=Q1.slug)).content.decode()
    assert "Entered by Pat Lee, approved by Sam Roe on 3 Jul 2025" in body
    assert "Two long-term absences." in body
    assert 'href="/forces/avon-and-somerset/evidence/7/"' in body


def test_the_national_position_comes_from_the_home_office_table(force_a, force_b, alice_client):
    add_synthetic_records(forces=[force_a], records=1500, seed=32)
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.HOME_OFFICE, file_name="ho.xlsx", file_sha256="x"
    )
    peer = Force.objects.get(slug="gloucestershire")  # Avon and Somerset's region, South West
    for force, charges in [(force_a, 10), (force_b, 30), (peer, 5)]:
        for outcome, count in [("1", charges), ("15", 100 - charges)]:
            HomeOfficeOutcome.objects.create(
                force=force,
                batch=batch,
                financial_year="2024-25",
                quarter=1,
                offence_code="19C",
                offence_group="rape",
                outcome_type=outcome,
                closed_count=count,
                recorded_count=count,
            )
    compute_snapshots(force=force_a, period=Q1)
    position = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="national-position", period=Q1.slug, offence_group="rape"
    )
    assert position.value == 2
    body = alice_client.get(
        detail(force_a, "charge-rate", period=Q1.slug, offence="rape")
    ).content.decode()
    assert "2nd of 3 forces" in body
    assert "England and Wales: 15.0%" in body
    assert "Other South West forces: 5.0%" in body


def test_bob_cannot_see_or_download_alices_kpis(snapshots, bob_client, force_a):
    assert bob_client.get(detail(force_a, "charge-rate", period=Q1.slug)).status_code == 404
    assert (
        bob_client.get(download(force_a, "charge-rate", "csv", period=Q1.slug)).status_code == 404
    )


def test_an_unknown_kpi_is_404(alice_client, force_a):
    assert alice_client.get(detail(force_a, "no-such-kpi")).status_code == 404


def test_the_query_count_does_not_grow_with_periods_or_forces(snapshots, alice_client, force_a):
    with CaptureQueriesContext(connection) as before:
        alice_client.get(detail(force_a, "charge-rate", period=Q1.slug))
    kpi = Kpi.objects.get(slug="charge-rate")
    KpiSnapshot.objects.bulk_create(
        [
            KpiSnapshot(force=force, kpi=kpi, period=period.slug, value=0.1)
            for force in Force.objects.exclude(pk=force_a.pk)[:10]
            for period in Q1.trailing(20)
        ]
        + [
            KpiSnapshot(force=force_a, kpi=kpi, period=p.slug, value=0.1)
            for p in Q1.shift(-4).trailing(12)
        ]
    )
    with CaptureQueriesContext(connection) as after:
        alice_client.get(detail(force_a, "charge-rate", period=Q1.slug))
    assert len(after) == len(before) <= 12
