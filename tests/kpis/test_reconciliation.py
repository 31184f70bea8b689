"""Reconciliation: the quarters where Avon and Somerset's own records and its Home Office
published charges disagree by more than the tolerance.

Andy, an analyst in Avon and Somerset, imports a small extract he knows by heart; the Home
Office table agrees with it in one quarter and not in the next. What the page lists is
checked against a pandas computation made here from the stored records and the table.
"""

import pandas as pd
import pytest
from django.urls import reverse

from kpis.engine.record_kpis import _national
from kpis.engine.snapshots import compute_snapshots
from kpis.models import CrimeRecord, ImportBatch
from soteria.models import Role
from soteria.periods import Period

from .home_office_tables import write_home_office_quarter
from .import_helpers import record, run_import, write_extract

pytestmark = pytest.mark.django_db
Q1, Q2 = Period(2024, 1), Period(2024, 2)
# (quarter, offence code, outcome type, outcome date, how many)
EXTRACT = [
    (Q1, "19C", "1", "2024-05-10", 30),
    (Q1, "19C", "15", "2024-05-11", 170),
    (Q1, "17A", "1", "2024-05-12", 20),
    (Q1, "17A", "18", "2024-05-13", 80),
    (Q2, "19C", "1", "2024-08-10", 12),
    (Q2, "19C", "14", "2024-08-11", 188),
    (Q2, "17A", "1", "2024-08-12", 10),
    (Q2, "17A", "15", "2024-08-13", 90),
]
PUBLISHED = {
    (Q1, "rape"): {"1": 30, "15": 170},  # the same as the records
    (Q1, "other"): {"1": 21, "18": 79},  # 1 charge apart: within both tolerances
    (Q2, "rape"): {"1": 20, "14": 180},  # 6.0% against 10.0%, 12 against 20 charges
    (Q2, "other"): {"1": 10, "15": 80},  # 10.0% against 11.1%: within
}


@pytest.fixture
def andy_client(client, make_user, force_a):
    client.force_login(make_user("andy", Role.ANALYST, force_a))
    return client


@pytest.fixture
def reconciled(tmp_path, force_a, settings):
    settings.RECONCILIATION_TOLERANCE_POINTS = 2
    settings.RECONCILIATION_TOLERANCE_PERCENT = 10
    _national.clear()
    rows, n = [], 0
    for _, code, outcome, date, count in EXTRACT:
        for _ in range(count):
            n += 1
            rows.append(
                record(
                    crime_reference=f"AS/R/{n:05d}",
                    offence_code=code,
                    recorded_date="2024-04-02",
                    outcome_type=outcome,
                    outcome_date=date,
                    **(
                        {"withdrawal_stage": "investigation", "victim_supports_prosecution": "no"}
                        if outcome == "14"
                        else {}
                    ),
                )
            )
    batch = run_import(write_extract(tmp_path / "extract.csv", rows), force=force_a)
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    for quarter in (Q1, Q2):
        for group in ("rape", "other"):
            write_home_office_quarter(
                quarter,
                {"Avon and Somerset": PUBLISHED[(quarter, group)], "Kent": {"1": 50, "15": 450}},
                offence_group=group,
            )
        compute_snapshots(force=force_a, period=quarter)


def expected_listed(force) -> set[tuple[str, str]]:
    records = pd.DataFrame.from_records(
        CrimeRecord.objects.filter(force=force).values(
            "offence_group", "outcome_type", "outcome_date"
        )
    )
    records["outcome_date"] = pd.to_datetime(records["outcome_date"])
    listed = set()
    for quarter in (Q1, Q2):
        inside = records[
            records["outcome_date"].between(pd.Timestamp(quarter.start), pd.Timestamp(quarter.end))
        ]
        for group in ("rape", "other", "all"):
            own = inside if group == "all" else inside[inside["offence_group"] == group]
            own_charges, own_outcomes = int((own["outcome_type"] == "1").sum()), len(own)
            cells = (
                [PUBLISHED[(quarter, "rape")], PUBLISHED[(quarter, "other")]]
                if group == "all"
                else [PUBLISHED[(quarter, group)]]
            )
            charges = sum(c.get("1", 0) for c in cells)
            outcomes = sum(sum(c.values()) for c in cells)
            points = abs(own_charges / own_outcomes - charges / outcomes) * 100
            count_gap = abs(own_charges - charges) / charges * 100
            if points > 2 or count_gap > 10:
                listed.add((quarter.slug, group))
    return listed


def test_the_page_lists_the_quarters_beyond_the_tolerance(reconciled, andy_client, force_a):
    expected = expected_listed(force_a)
    assert expected == {(Q2.slug, "rape"), (Q2.slug, "all")}  # the crafted table's intent

    response = andy_client.get(reverse("kpis:reconciliation", args=[force_a.slug]))

    body = response.content.decode()
    import re

    listed = set(re.findall(r'data-period="([^"]+)" data-offence="([^"]+)"', body))
    assert listed == expected
    assert "2 of 6 quarter and offence-group readings" in re.sub(r"<[^>]+>", "", body)
    row = body[body.index(f'data-period="{Q2.slug}" data-offence="rape"') :]
    row = row[: row.index("</tr>")]
    assert "6.0%" in row and "10.0%" in row
    assert "charge rates differ by 4.0 points" in row
    assert "charge counts differ by 8 (40% of published)" in row


def test_a_wider_tolerance_lists_fewer_quarters(reconciled, andy_client, force_a, settings):
    settings.RECONCILIATION_TOLERANCE_POINTS = 3.5
    settings.RECONCILIATION_TOLERANCE_PERCENT = 50

    body = andy_client.get(reverse("kpis:reconciliation", args=[force_a.slug])).content.decode()

    assert f'data-period="{Q2.slug}" data-offence="rape"' in body  # 4.0 points
    assert f'data-period="{Q2.slug}" data-offence="all"' not in body  # 3.0 points, 27%


def test_the_imports_page_links_to_it(reconciled, andy_client, force_a):
    body = andy_client.get(reverse("kpis:imports", args=[force_a.slug])).content.decode()
    assert reverse("kpis:reconciliation", args=[force_a.slug]) in body


def test_a_force_without_its_own_records_is_told_so(andy_client, force_a):
    body = andy_client.get(reverse("kpis:reconciliation", args=[force_a.slug])).content.decode()
    assert 'id="no-records"' in body


def test_bob_cannot_read_alices_reconciliation(reconciled, bob_client, ruth, client, force_a):
    assert bob_client.get(reverse("kpis:reconciliation", args=[force_a.slug])).status_code == 404
    client.force_login(ruth)
    assert client.get(reverse("kpis:reconciliation", args=[force_a.slug])).status_code == 403
