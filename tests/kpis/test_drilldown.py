"""The KPI drill-down: trend, breakdowns, definition, national position, CSV and XLSX."""

import html
import io
import re

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import CrimeRecord, Kpi, KpiSnapshot
from soteria.models import Force
from soteria.periods import Period

from .home_office_tables import NOT_PROVIDED, write_home_office_quarter

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
        assert f">{title}, 12 months to 30 Jun 2024</h2>" in body  # breakdowns: rolling year
    assert "SPC XmR chart (NHS Making Data Count)" in body
    assert body.count("data-figure=") == 6  # the trend and five breakdowns
    assert "vendor/plotly/plotly-basic.min.js" in body and "cdn" not in body.lower()


def test_small_counts_read_lt5_in_the_table(snapshots, alice_client, force_a):
    body = alice_client.get(
        detail(force_a, "charge-rate-by-ethnicity", period=Q1.slug, offence="rape")
    ).content.decode()
    table = body[body.index('id="breakdown-ethnicity"') :]
    assert "&lt;5" in table or "withheld" in table
    for number in re.findall(r'<td class="num">(\d+)</td>', table):
        assert int(number) == 0 or int(number) >= 5


def test_the_csv_is_one_tidy_table_of_the_figures_on_the_page(snapshots, alice_client, force_a):
    page = alice_client.get(
        detail(force_a, "charge-rate-by-ethnicity", period=Q1.slug, offence="rape")
    ).content.decode()
    response = alice_client.get(
        download(force_a, "charge-rate-by-ethnicity", "csv", period=Q1.slug, offence="rape")
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        'avon-and-somerset-charge-rate-by-ethnicity-2024-25-q1-rape-rolling-year.csv"'
    )
    table = pd.read_csv(io.BytesIO(response.content))
    for column in ("value", "numerator", "denominator", "ci_low", "ci_high"):
        assert pd.api.types.is_float_dtype(table[column]) or pd.api.types.is_integer_dtype(
            table[column]
        ), column
    groups = table[table["table"] == "breakdown-ethnicity"].set_index("group")
    assert set(groups["window"]) == {"12 months to 30 Jun 2024"}  # the window, named
    for label in ("White", "Black or Black British", "Mixed or multiple"):
        row = groups.loc[label]
        if row["numerator_suppressed"] == row["numerator_suppressed"]:  # flagged: empty cell
            assert pd.isna(row["numerator"])
            shown = "&lt;5" if row["numerator_suppressed"] == "primary" else "withheld"
        else:
            shown = f"{row['numerator']:,.0f}"
        assert shown in page
    counts = table[table["table"].str.startswith("breakdown")][["numerator", "denominator"]]
    for value in counts.stack().dropna():
        assert value == 0 or value >= 5


def test_the_xlsx_holds_numbers_with_formats_and_its_metadata(snapshots, alice_client, force_a):
    response = alice_client.get(
        download(force_a, "charge-rate", "xlsx", period=Q1.slug, offence="all")
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Data", "About"]
    sheet = book["Data"]
    header = [c.value for c in sheet[1]]
    value = sheet.cell(row=2, column=header.index("value") + 1)
    assert isinstance(value.value, float) and value.number_format == "0.0%"
    about = dict(pd.read_excel(io.BytesIO(response.content), sheet_name="About").values)
    assert about["Definition"] == Kpi.objects.get(slug="charge-rate").definition
    assert "Latest crime-record import" in about


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


# Avon and Somerset and Gloucestershire are South West forces; the table does not provide one
# of Devon and Cornwall's cells, so it is left out, never ranked as if the cell were zero.
NATIONAL = {
    "Avon and Somerset": {"1": 10, "14": 20, "15": 70},
    "Staffordshire": {"1": 30, "14": 10, "15": 60},
    "Gloucestershire": {"1": 5, "14": 30, "15": 65},
    "Devon and Cornwall": {"1": 40, "15": NOT_PROVIDED},
}


@pytest.fixture
def national(force_a, force_b):
    add_synthetic_records(forces=[force_a], records=1500, seed=32)
    write_home_office_quarter(Q1, NATIONAL)
    compute_snapshots(force=force_a, period=Q1)


def page_text(body: str) -> str:
    """The page as a reader sees it: tags dropped, entities read, spaces collapsed."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.sub(r"\s+", " ", text)


def percent(numerator: int, denominator: int) -> str:
    return f"{100 * numerator / denominator:.1f}%"


def own_records_charges(force, period, group) -> tuple[int, int]:
    """Charges and outcomes in the quarter, straight from the stored crime records."""
    rows = pd.DataFrame.from_records(
        CrimeRecord.objects.filter(
            force=force, offence_group=group, outcome_date__range=(period.start, period.end)
        ).values("outcome_type")
    )
    outcomes = rows[rows["outcome_type"] != ""]
    return int((outcomes["outcome_type"] == "1").sum()), len(outcomes)


def test_the_national_position_comes_from_the_home_office_table(national, alice_client, force_a):
    position = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="national-position", period=Q1.slug, offence_group="rape"
    )
    assert position.value == 2
    text = page_text(
        alice_client.get(
            detail(force_a, "charge-rate", period=Q1.slug, offence="rape")
        ).content.decode()
    )
    assert "Rank 2nd of 3 forces ranked" in text
    assert "England and Wales 15.0% (45 of 300; 3 forces)" in text
    assert "South West 7.5% (15 of 200; 2 forces)" in text
    assert "Avon and Somerset (Home Office) 10.0% (10 of 100)" in text


def test_the_charge_rate_compares_home_office_figures_with_each_other(
    national, alice_client, force_a
):
    text = page_text(
        alice_client.get(
            detail(force_a, "charge-rate", period=Q1.slug, offence="rape")
        ).content.decode()
    )
    # 10 of 100: its 95% Wilson interval, 5.5% to 17.4%, holds both 15.0% and 7.5%.
    assert (
        "National comparison Home Office outcomes data, closed basis: Avon and Somerset 10.0% · "
        "England and Wales 15.0% (not significantly different) · South West 7.5% (not "
        "significantly different) · 2nd of 3 forces" in text
    )
    assert "Value source The force's own crime records" in text


def test_the_drill_down_sets_own_records_beside_the_home_office_figure(
    national, alice_client, force_a
):
    charges, outcomes = own_records_charges(force_a, Q1, "rape")
    points = 100 * charges / outcomes - 10.0
    reading = (
        f"Own records {percent(charges, outcomes)} ({charges:,} of {outcomes:,}) · "
        f"Home Office published 10.0% (10 of 100) · difference {abs(points):.1f} points "
        f"(own records {'higher' if points > 0 else 'lower'})"
    )
    page = page_text(
        alice_client.get(
            detail(force_a, "charge-rate", period=Q1.slug, offence="rape")
        ).content.decode()
    )
    assert reading in page
    export = alice_client.get(
        download(force_a, "charge-rate", "csv", period=Q1.slug, offence="rape")
    )
    table = pd.read_csv(io.BytesIO(export.content))
    published = table[table["table"] == "comparison"].iloc[0]
    assert "Home Office published" in published["group"]
    assert (published["value"], published["numerator"], published["denominator"]) == (
        0.1,
        10,
        100,
    )
    own = table[(table["table"] == "trend") & (table["period"] == Q1.slug)].iloc[0]
    assert (own["numerator"], own["denominator"]) == (charges, outcomes)


def test_the_ranking_says_which_forces_it_left_out_and_why(national, alice_client, force_a):
    text = page_text(
        alice_client.get(
            detail(force_a, "national-position", period=Q1.slug, offence="rape")
        ).content.decode()
    )
    assert (
        "Left out (Home Office data not provided for outcome type 15) 1 force: Devon and Cornwall"
        in text
    )
    assert "Left out (not in the Home Office table for the quarter) 39 forces:" in text
    assert "Data source Home Office outcomes open data" in text  # not "Crime records"
    assert "Computed from" not in text


def test_the_national_position_shows_only_on_the_drill_downs_it_is_about(
    national, alice_client, force_a
):
    for kpi in Kpi.objects.all():
        body = alice_client.get(detail(force_a, kpi.slug, period=Q1.slug, offence="rape"))
        text = page_text(body.content.decode())
        about_it = kpi.slug in ("charge-rate", "ho-charge-rate", "national-position")
        assert ('id="national"' in body.content.decode()) == about_it, kpi.slug
        assert ("of 3 forces" in text) == about_it, kpi.slug


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


def without_tokens(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_the_drill_down_is_built_once_per_data_version_in_a_constant_number_of_queries(
    snapshots, alice_client, force_a
):
    from django.core.cache import cache

    page = detail(force_a, "charge-rate", period=Q1.slug, offence="all")
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert alice_client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        first = without_tokens(alice_client.get(page).content.decode())
    # Many more snapshots for other forces and older quarters: the counts stay put.
    kpis = list(Kpi.objects.all())
    KpiSnapshot.objects.bulk_create(
        KpiSnapshot(force=force, kpi=kpi, period=period.slug, value=1)
        for force in Force.objects.exclude(pk=force_a.pk)[:5]
        for period in Q1.trailing(8)
        for kpi in kpis
    )
    with CaptureQueriesContext(connection) as warm_after:
        assert without_tokens(alice_client.get(page).content.decode()) == first
    cache.clear()
    with CaptureQueriesContext(connection) as cold_after:
        assert alice_client.get(page).status_code == 200
    assert len(cold) == len(cold_after) <= 14
    assert len(warm) == len(warm_after) <= len(cold) - 4  # snapshots, targets, step changes...


def test_a_recomputed_snapshot_replaces_the_cached_drill_down(snapshots, alice_client, force_a):
    page = detail(force_a, "charge-rate", period=Q1.slug, offence="all")
    alice_client.get(page)  # now cached
    snapshot = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="charge-rate", period=Q1.slug, offence_group="all"
    )
    snapshot.value = 0.4321
    snapshot.save()
    assert "43.2%" in alice_client.get(page).content.decode()
