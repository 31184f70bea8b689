"""The deck compares a force three ways on the Home Office basis: England and Wales, its region
and its most similar forces, each judged "significantly higher / lower / not different".

Bob (Staffordshire, West Midlands region) has imported no records of his own; his deck's
charge-rate and withdrawal tiles come from the Home Office table. His most similar forces
are set by a national administrator. Every figure and judgement is worked out here by hand
(a Wilson interval written out below) and read through the page.
"""

import html
import json
import re
from math import sqrt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis.engine.record_kpis import _national
from kpis.engine.snapshots import compute_snapshots
from kpis.national.peers import set_peer_group
from soteria.models import Force
from soteria.periods import Period

from .home_office_tables import write_home_office_quarter

pytestmark = pytest.mark.django_db
Q1, Q2 = Period(2024, 1), Period(2024, 2)
SIMILAR = ["Kent", "Essex"]
# Staffordshire charges 20 of 1,000 (2%): far below everyone; withdrawal 300 of 1,000.
TABLE = {
    "Staffordshire": {"1": 20, "14": 150, "16": 150, "15": 680},
    "West Midlands": {"1": 90, "14": 200, "15": 710},
    "Warwickshire": {"1": 30, "16": 80, "15": 190},
    "Kent": {"1": 60, "14": 100, "15": 440},
    "Essex": {"1": 25, "16": 60, "15": 315},
    "Durham": {"1": 40, "14": 40, "15": 120},
}
REGION = ["Staffordshire", "West Midlands", "Warwickshire"]  # West Midlands region, held here


def wilson(k: int, n: int) -> tuple[float, float]:
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def rate(forces, types) -> tuple[int, int]:
    k = sum(TABLE[f].get(t, 0) for f in forces for t in types)
    n = sum(sum(TABLE[f].values()) for f in forces)
    return k, n


def words(k: int, n: int, reference: float) -> str:
    low, high = wilson(k, n)
    if low > reference:
        return "significantly higher"
    if high < reference:
        return "significantly lower"
    return "not significantly different"


def expected_lines(types) -> list[str]:
    k, n = rate(["Staffordshire"], types)
    lines = []
    for label, forces in (
        ("England and Wales", list(TABLE)),
        ("West Midlands", REGION),
        ("Most similar forces (set nationally, 2)", SIMILAR),
    ):
        ck, cn = rate(forces, types)
        lines.append(f"vs {label} {100 * ck / cn:.1f}%: {words(k, n, ck / cn)}")
    return lines


@pytest.fixture
def national(force_b, make_user, django_capture_on_commit_callbacks):
    _national.clear()
    for period in (Q1, Q2):
        write_home_office_quarter(period, TABLE)
    nadia = make_user("nadia", "administrator", None)
    with django_capture_on_commit_callbacks(execute=True):
        set_peer_group(
            force=force_b,
            members=list(Force.objects.filter(name__in=SIMILAR)),
            reason="Similar demand",
            by=nadia,
        )
    for period in (Q1, Q2):
        compute_snapshots(force=force_b, period=period)


def tile_text(body: str, slug: str) -> str:
    start = body.index(f'id="kpi-{slug}"')
    tile = body[start : body.index("</article>", start)]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", tile)))


def test_the_charge_rate_and_withdrawal_tiles_compare_three_ways(national, bob_client, force_b):
    body = bob_client.get(
        reverse("kpis:flight-deck", args=[force_b.slug]), {"period": Q2.slug, "offence": "rape"}
    ).content.decode()

    charge = tile_text(body, "ho-charge-rate")
    for line in expected_lines(("1",)):
        assert line in charge
    assert "vs England and Wales" in charge and "significantly lower" in charge
    withdrawal = tile_text(body, "ho-withdrawal-share")
    for line in expected_lines(("14", "16")):
        assert line in withdrawal


def test_the_drill_down_names_the_group_and_charts_the_trend_against_all_three(
    national, bob_client, force_b
):
    response = bob_client.get(
        reverse("kpis:kpi-detail", args=[force_b.slug, "ho-charge-rate"]),
        {"period": Q2.slug, "offence": "rape"},
    )
    body = response.content.decode()
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))

    assert "Most similar forces (set nationally, 2): Essex, Kent." in text
    data = json.loads(
        html.unescape(
            re.search(r'<script id="chart-comparators-data"[^>]*>(.*?)</script>', body, re.S)[1]
        )
    )
    lines = {trace["name"]: trace["y"] for trace in data["data"]}
    expected = {
        "Staffordshire (Home Office published)": ["Staffordshire"],
        "England and Wales": list(TABLE),
        "West Midlands": REGION,
        "Most similar forces (set nationally, 2)": SIMILAR,
    }
    assert set(lines) == set(expected)
    for name, forces in expected.items():
        k, n = rate(forces, ("1",))
        assert lines[name][-2:] == [pytest.approx(100 * k / n)] * 2, name


def test_the_deck_reads_the_same_number_of_queries_whatever_the_group_or_forces(
    national, bob_client, force_b, make_user, django_capture_on_commit_callbacks
):
    url = reverse("kpis:flight-deck", args=[force_b.slug])
    cache.clear()
    with CaptureQueriesContext(connection) as before:
        assert bob_client.get(url, {"period": Q2.slug}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        set_peer_group(
            force=force_b,
            members=list(Force.objects.exclude(pk=force_b.pk)[:12]),
            reason="Wider",
            by=make_user("nadia2", "administrator", None),
        )
    for period in (Q1, Q2):
        compute_snapshots(force=force_b, period=period)
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        assert bob_client.get(url, {"period": Q2.slug}).status_code == 200

    assert len(after) == len(before)
