"""An evidence-return percentage reads as the share it is on every page and download.

Quinn leads pillar 6 in Avon and Somerset. Her approved returns say 56 of 83 victims'
devices came back within 24 hours in 2024/25 Q1 and 43 of 73 in Q2. Alice, the chief
officer, reads them on the flight deck, the drill-down, its chart and its CSV and XLSX:
every figure is checked against the counts Quinn entered, worked out here.
"""

import datetime as dt
import html
import io
import json
import math
import re

import pandas as pd
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kpis.engine.snapshots import compute_snapshots
from kpis.evidence import services as service
from kpis.models import EvidenceReturn, Kpi, KpiTarget
from soteria.periods import Period

from .evidence_personas import *  # noqa: F403

Q1, Q2 = Period(2024, 1), Period(2024, 2)
RETURNED = {Q1: (56, 83), Q2: (43, 73)}


def percent(numerator: int, denominator: int) -> str:
    return f"{100 * numerator / denominator:.1f}%"


def wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson score interval, written out from its textbook formula (z = 1.96)."""
    z, p = 1.959963984540054, k / n
    middle = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return middle - half, middle + half


@pytest.fixture
def device_returns(quinn, sam, force_a, pillar6):
    for period, (returned, taken) in RETURNED.items():
        ret = service.start_return(force=force_a, pillar=pillar6, period=period, by=quinn)
        service.save_return(
            evidence_return=ret,
            values={"victim-device-return": {"numerator": returned, "denominator": taken}},
            narrative="From the digital forensic unit's log.",
            by=quinn,
        )
        ret.status, ret.reviewed_by = EvidenceReturn.Status.APPROVED, sam
        ret.approved_at = dt.datetime.combine(period.end, dt.time(12), tzinfo=dt.UTC)
        ret.save()
    for period in RETURNED:
        compute_snapshots(force=force_a, period=period)


def deck(client, force, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(reverse("kpis:flight-deck", args=[force.slug]) + f"?{query}").content.decode()


def tile(body: str, slug: str) -> str:
    match = re.search(rf'<article class="kpi-tile[^"]*" id="kpi-{slug}".*?</article>', body, re.S)
    assert match, f"no tile for {slug}"
    return match.group(0)


def text_of(markup: str, css_class: str) -> str:
    match = re.search(rf'class="{css_class}[^"]*">([^<]*)<', markup)
    return html.unescape(match.group(1).strip()) if match else ""


def download(client, force, fmt, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    path = reverse("kpis:kpi-download", args=[force.slug, "victim-device-return", fmt])
    return client.get(f"{path}?{query}")


def test_the_tile_shows_the_share_of_devices_returned(device_returns, alice_client, force_a):
    card = tile(deck(alice_client, force_a, period=Q2.slug), "victim-device-return")
    assert text_of(card, "kpi-value") == percent(43, 73) == "58.9%"
    assert text_of(card, "kpi-caption") == "43 of 73 victim devices taken"
    drop = abs(43 / 73 - 56 / 83) * 100
    assert text_of(card, "kpi-change") == f"Down {drop:.1f} points on the previous quarter"


def test_58_9_percent_against_a_70_percent_target_is_not_green(
    device_returns, alice_client, alice, force_a
):
    KpiTarget.objects.create(
        force=force_a,
        kpi=Kpi.objects.get(slug="victim-device-return"),
        value=70,
        effective_from=Q1.slug,
        set_by=alice,
    )
    card = tile(deck(alice_client, force_a, period=Q2.slug), "victim-device-return")
    assert "rag-green" not in card
    assert wilson(43, 73)[1] < 0.70  # the whole interval is below the target
    assert "rag-red" in card


def test_the_drill_down_gives_value_and_interval_in_per_cent(device_returns, alice_client, force_a):
    path = reverse("kpis:kpi-detail", args=[force_a.slug, "victim-device-return"])
    body = alice_client.get(f"{path}?period={Q2.slug}").content.decode()
    low, high = wilson(43, 73)
    assert f'<td class="num">{100 * low:.1f}% to {100 * high:.1f}%</td>' in body
    trend = next(
        json.loads(figure)
        for figure in re.findall(
            r'<script id="chart-trend-data" type="application/json">'
            r"(.*?)</script>",
            body,
            re.S,
        )
    )
    points = trend["data"][0]["y"]
    assert points == pytest.approx([100 * k / n for k, n in RETURNED.values()])
    assert all(0 <= y <= 100 for series in trend["data"] for y in series["y"] if y is not None)


def test_the_csv_holds_what_the_page_shows(device_returns, alice_client, force_a):
    """The tidy CSV holds the stored fractions the page formats: 43 of 73, its interval."""
    response = download(alice_client, force_a, "csv", period=Q2.slug)
    table = pd.read_csv(io.BytesIO(response.content))
    trend = table[table["table"] == "trend"].set_index("period")
    for period, (k, n) in RETURNED.items():
        low, high = wilson(k, n)
        row = trend.loc[period.slug]
        assert row["value"] == pytest.approx(k / n)
        assert (row["numerator"], row["denominator"]) == (k, n)
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
        assert f"{100 * row['value']:.1f}%" == percent(k, n)


def test_the_xlsx_holds_the_same_figures(device_returns, alice_client, force_a):
    response = download(alice_client, force_a, "xlsx", period=Q2.slug)
    sheet = load_workbook(io.BytesIO(response.content))["Data"]
    rows = list(sheet.iter_rows())
    columns = [c.value for c in rows[0]]
    record = next(
        {name: cell for name, cell in zip(columns, row, strict=True)}
        for row in rows[1:]
        if row[columns.index("table")].value == "trend"
        and row[columns.index("period")].value == Q2.slug
    )
    low, high = wilson(43, 73)
    assert record["value"].value == pytest.approx(43 / 73)
    assert "%" in record["value"].number_format
    assert (record["ci_low"].value, record["ci_high"].value) == (
        pytest.approx(low),
        pytest.approx(high),
    )


def test_a_figure_reported_for_all_rasso_says_so_when_the_view_is_rape(
    device_returns, alice_client, force_a
):
    card = tile(deck(alice_client, force_a, period=Q2.slug, offence="rape"), "victim-device-return")
    assert text_of(card, "kpi-value") == "58.9%"
    assert "All RASSO: reported once for all sexual offences" in text_of(card, "kpi-caption")
    every = tile(deck(alice_client, force_a, period=Q2.slug, offence="all"), "victim-device-return")
    assert "All RASSO" not in text_of(every, "kpi-caption")


def test_a_whole_number_saved_in_a_return_comes_back_whole(make_user, force_a, client):
    """Rhys leads pillar 2; the 12 section 63G applications he saved read 12, not 12.0."""
    from soteria.models import Pillar, Role

    rhys = make_user("rhys", Role.PILLAR_LEAD, force_a, pillars=[2])
    pillar2 = Pillar.objects.get(number=2)
    ret = service.start_return(force=force_a, pillar=pillar2, period=Q2, by=rhys)
    service.save_return(
        evidence_return=ret, values={"s63g-applications": {"number": 12.0}}, narrative="", by=rhys
    )
    client.force_login(rhys)
    page = client.get(
        reverse("kpis:evidence-edit", args=[force_a.slug, Q2.slug, pillar2.number])
    ).content.decode()
    assert re.search(r'name="s63g-applications__number"[^>]*value="12"', page)
    assert 'value="12.0"' not in page
    assert ret.values.get(kpi__slug="s63g-applications").display == "12"
