"""The relationship-by-characteristic cross-tab, read through its page and its CSV against a
recount of crafted records written here with plain pandas."""

import datetime as dt
import html
import io

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis.engine.snapshots import compute_snapshots
from kpis.models import CrimeRecord, ImportBatch, Kpi, KpiSnapshot
from soteria.periods import Period

Q1 = Period.parse("2024-25-q1")  # the rolling year: 1 Jul 2023 to 30 Jun 2024
RELATIONSHIPS = ["partner", "family", "acquaintance", "stranger", "online", "professional", ""]
SEXES = ["female", "male", "other", ""]
ROW_LABELS = {
    "partner": "Partner or ex-partner",
    "family": "Family member",
    "acquaintance": "Acquaintance or friend",
    "stranger": "Stranger",
    "online": "Online contact",
    "professional": "Position of trust or professional",
    "other": "Other",
    "": "Not recorded",
}
SEX_LABELS = {"female": "Female", "male": "Male", "other": "Other", "": "Not recorded"}


@pytest.fixture
def crafted(force_a):
    """300 outcomes over five quarters (one before the rolling year), skewed so that most
    cells are large and a few are small."""
    rng = np.random.default_rng(11)
    batch = ImportBatch.objects.create(
        force=force_a,
        kind=ImportBatch.Kind.RECORDS,
        file_name="crafted.csv",
        file_sha256="c" * 64,
        status=ImportBatch.Status.SUCCEEDED,
    )
    rows = []
    for n in range(300):
        quarter = Q1.shift(-int(rng.integers(0, 5)))
        rows.append(
            {
                "crime_ref_hash": f"crosstab-{n:04d}".ljust(64, "0"),
                "offence_group": str(rng.choice(["rape", "other"], p=[0.6, 0.4])),
                "relationship": str(
                    rng.choice(RELATIONSHIPS, p=[0.4, 0.2, 0.2, 0.1, 0.05, 0.03, 0.02])
                ),
                "victim_sex": str(rng.choice(SEXES, p=[0.8, 0.14, 0.02, 0.04])),
                "outcome_type": str(rng.choice(["1", "15", "14"], p=[0.3, 0.4, 0.3])),
                "outcome_date": quarter.start + dt.timedelta(days=int(rng.integers(0, 80))),
            }
        )
    CrimeRecord.objects.bulk_create(
        CrimeRecord(
            force=force_a,
            batch=batch,
            offence_code="19C" if r["offence_group"] == "rape" else "17A",
            recorded_date=r["outcome_date"] - dt.timedelta(days=40),
            **r,
        )
        for r in rows
    )
    compute_snapshots(force=force_a, period=Q1)
    return pd.DataFrame(rows)


def recount(records: pd.DataFrame, offence: str) -> pd.DataFrame:
    """Charges and outcomes per relationship and sex in the rolling year, with margins."""
    start, end = dt.date(2023, 7, 1), dt.date(2024, 6, 30)
    frame = records[(records["outcome_date"] >= start) & (records["outcome_date"] <= end)]
    if offence != "all":
        frame = frame[frame["offence_group"] == offence]
    frame = frame.assign(
        relationship=frame["relationship"].map(ROW_LABELS),
        sex=frame["victim_sex"].map(SEX_LABELS),
        charged=(frame["outcome_type"] == "1").astype(int),
    )
    charges = pd.crosstab(
        frame["relationship"],
        frame["sex"],
        frame["charged"],
        aggfunc="sum",
        margins=True,
        margins_name="Total",
    ).fillna(0)
    outcomes = pd.crosstab(frame["relationship"], frame["sex"], margins=True, margins_name="Total")
    return charges.astype(int), outcomes


def page_url(force, name="kpis:relationship-crosstab", fmt=None, **params):
    args = [force.slug] + ([fmt] if fmt else [])
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(name, args=args) + f"?{query}"


def test_the_csv_and_page_match_a_recount_and_hide_no_lone_cell(crafted, alice_client, force_a):
    params = {"period": Q1.slug, "offence": "all", "characteristic": "sex"}
    response = alice_client.get(page_url(force_a, **params))
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "12 months to 30 Jun 2024" in body  # the rolling year by default
    csv = alice_client.get(
        page_url(force_a, "kpis:relationship-crosstab-download", "csv", **params)
    )
    assert csv.status_code == 200
    table = pd.read_csv(io.BytesIO(csv.content))
    charges, outcomes = recount(crafted, "all")
    shown = hidden = primary = 0
    for row in table.itertuples():
        true_charges = charges.get(row.group, {}).get(row.relationship, 0)
        true_outcomes = outcomes.get(row.group, {}).get(row.relationship, 0)
        if pd.isna(row.charges):
            hidden += 1
            if row.charges_suppressed == "primary":  # "<5": small, or a 0 withheld as "<5"
                primary += 1
                assert 0 <= true_charges <= 4, row
        else:
            shown += 1
            assert row.charges == true_charges, row
        if not pd.isna(row.outcomes):
            assert row.outcomes == true_outcomes, row
        if pd.isna(row.charges) or pd.isna(row.outcomes) or not true_outcomes:
            assert pd.isna(row.charge_rate)
        else:
            assert row.charge_rate == pytest.approx(true_charges / true_outcomes)
        # The page shows the same figure in its cell.
        if not pd.isna(row.charges) and not pd.isna(row.outcomes):
            assert f"{int(row.charges)} of {int(row.outcomes):,}" in body
    assert shown >= 15 and hidden > 0  # a real table, with something to protect
    assert primary > 0  # the check of primary cells above ran
    # Complementary suppression: no row or column of charges (totals included) has exactly
    # one hidden cell, which its total would give away.
    for key in ("relationship", "group"):
        for _, line in table.groupby(key):
            assert line["charges"].isna().sum() != 1, line


def test_a_characteristic_is_chosen_and_the_window_named(crafted, alice_client, force_a):
    body = alice_client.get(
        page_url(force_a, period=Q1.slug, characteristic="age_band")
    ).content.decode()
    assert "Victim age band" in body and "40 to 59" in body
    assert "12 months to 30 Jun 2024" in html.unescape(body)
    assert 'id="window-asked"' not in body
    # Over the rolling year only: a quarter, or a year to date (which shows only what its
    # quarters show, and no quarter has a cross-tab), is read over the rolling year, and
    # the page says so.
    for window, named in (("quarter", "a quarter"), ("year-to-date", "a financial year to date")):
        other = alice_client.get(page_url(force_a, period=Q1.slug, window=window)).content.decode()
        assert 'id="window-asked"' in other and f"not over {named}" in other, window
        assert "12 months to 30 Jun 2024" in html.unescape(other)
        assert 'id="offence-asked"' not in other
    rape = alice_client.get(page_url(force_a, period=Q1.slug, offence="rape")).content.decode()
    assert 'id="offence-asked"' in rape and "All RASSO" in rape  # all RASSO only
    xlsx = alice_client.get(
        page_url(force_a, "kpis:relationship-crosstab-download", "xlsx", period=Q1.slug)
    )
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")
    # The charges drill-down links to it and shows no cross-tab itself.
    body = alice_client.get(
        reverse("kpis:kpi-detail", args=[force_a.slug, "charge-volume"]) + f"?period={Q1.slug}"
    ).content.decode()
    assert 'id="crosstab-link"' in body
    assert "Relationship context by victim sex" not in body


def test_the_page_reads_snapshots_in_a_constant_number_of_queries(crafted, alice_client, force_a):
    url = page_url(force_a, period=Q1.slug)
    alice_client.get(url)
    with CaptureQueriesContext(connection) as before:
        alice_client.get(url)
    kpi = Kpi.objects.get(slug="charge-volume")
    KpiSnapshot.objects.bulk_create(
        KpiSnapshot(force=force_a, kpi=kpi, period=p.slug, value=1)
        for p in Q1.shift(-1).trailing(8)
    )
    alice_client.get(url)  # the quarters on offer are read again once, then cached
    with CaptureQueriesContext(connection) as after:
        alice_client.get(url)
    assert len(after) == len(before) <= 8, [q["sql"] for q in after.captured_queries]


def test_bob_cannot_see_or_download_alices(bob_client, force_a):
    assert bob_client.get(page_url(force_a, period=Q1.slug)).status_code == 404
    download = page_url(force_a, "kpis:relationship-crosstab-download", "csv", period=Q1.slug)
    assert bob_client.get(download).status_code == 404


def test_every_cell_is_in_the_disclosure_table_with_its_row_and_column_sums():
    from kpis.engine import catalogue
    from kpis.engine.catalogue import Measure
    from kpis.engine.record_disclosure import control_disclosure
    from kpis.engine.windows import Window
    from tests.factories import records_frame

    frame = records_frame(
        *[{"outcome_type": "1", "outcome_date": "2024-05-01"}] * 30,
        {"outcome_type": "1", "outcome_date": "2024-05-01", "victim_sex": "male"},
        *[{"outcome_type": "15", "outcome_date": "2024-05-01", "victim_sex": "male"}] * 20,
    )
    window = Window("rolling-year", Q1)
    measure = catalogue.run("charge-volume", frame, window, catalogue.Params())
    assert isinstance(measure, Measure)
    measure.breakdowns += catalogue.cross_tabs(frame, window)
    measures = {("charge-volume", "rape"): measure}
    table, hidden = control_disclosure(measures, threshold=5)
    male_partner = ("rape", "charges", "relationship-by-sex", "partner|male")
    assert hidden[male_partner] == "primary"
    # Its row (partner) has every other sex 0 or female 30: a 0 beside it reads "<5" too,
    # rather than withholding the 30.
    row = [c for c in hidden if c[1:3] == ("charges", "relationship-by-sex") and "partner|" in c[3]]
    assert len(row) >= 2
    assert ("rape", "charges", "relationship-by-sex", "partner|female") not in hidden
    assert all(table.values[c] < 5 for c in row)
    assert any(
        male_partner in parts and total == ("rape", "charges", "sex", "male")
        for parts, total in table.sums
    )
