"""SPC on the pages: an icon in words on every tile, the XmR chart and its table on the
drill-down, the same reading in both, and limits that restart at a marked step change."""

import io
import json
import re
from statistics import mean

import pandas as pd
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis.models import Kpi, KpiSnapshot, KpiStepChange
from soteria.periods import Period
from tests.kpis.spc_series import Q1, RUN_OF_8, store_series

RUN_TEXT = "Special cause: improvement — run of 8 quarters above the mean"


def deck(client, force, **params):
    url = reverse("kpis:flight-deck", args=[force.slug])
    return client.get(url, {"period": Q1.slug, **params}).content.decode()


def drill(client, force, slug, **params):
    url = reverse("kpis:kpi-detail", args=[force.slug, slug])
    return client.get(url, {"period": Q1.slug, **params})


def tile(body, slug):
    match = re.search(rf'<article class="kpi-tile[^"]*" id="kpi-{slug}".*?</article>', body, re.S)
    assert match, f"no tile for {slug}"
    return match.group(0)


def spc_text(html):
    match = re.search(r'<p class="kpi-spc spc-([a-z-]+)[^>]*>(.*?)</p>', html, re.S)
    if not match:
        return None
    words = re.sub(r'<span class="spc-icon"[^>]*>.*?</span>|<[^>]+>', "", match.group(2))
    return match.group(1), " ".join(words.split())


def trend_figure(body):
    match = re.search(
        r'<script id="chart-trend-data" type="application/json">'
        r"(.*?)</script>",
        body,
        re.S,
    )
    return json.loads(match.group(1))


def line(figure, name):
    """The quarters and values of a line drawn in pieces (one per segment)."""
    pieces = [t for t in figure["data"] if t["name"] == name]
    return [q for t in pieces for q in t["x"]], [v for t in pieces for v in t["y"]]


def spc_rows(response):
    """The trend quarters of the tidy CSV with their SPC columns, as pandas reads them."""
    table = pd.read_csv(io.BytesIO(response.content), keep_default_na=False, na_values=[""])
    return table[table["table"] == "trend"]


@pytest.fixture
def run_of_8(force_a):
    cache.clear()
    return store_series(force_a, "charge-volume", RUN_OF_8, groups=("all", "rape"))


def test_the_tile_reads_the_20_quarter_history_not_just_its_8_quarter_sparkline(
    run_of_8, alice_client, force_a
):
    # The last 8 quarters alone are flat at 14: only the longer history shows the shift.
    kind, text = spc_text(tile(deck(alice_client, force_a, offence="rape"), "charge-volume"))
    assert kind == "improvement"
    assert text == f"Statistical process control: {RUN_TEXT}"


def test_the_icon_has_a_letter_hidden_from_screen_readers_and_the_detail_as_a_title(
    run_of_8, alice_client, force_a
):
    html = tile(deck(alice_client, force_a), "charge-volume")
    assert '<span class="spc-icon" aria-hidden="true">H</span>' in html
    assert "not the usual variation. Limits from the first 12 quarters shown." in html


def test_the_drill_down_says_what_the_tile_says(run_of_8, alice_client, force_a):
    tile_reading = spc_text(tile(deck(alice_client, force_a), "charge-volume"))
    body = drill(alice_client, force_a, "charge-volume").content.decode()
    assert spc_text(body) == tile_reading
    assert f"Latest quarter: {RUN_TEXT}: not the usual variation." in body


def test_the_chart_draws_the_mean_limits_and_the_special_cause_points_with_a_legend(
    run_of_8, alice_client, force_a
):
    figure = trend_figure(drill(alice_client, force_a, "charge-volume").content.decode())
    traces = {t["name"]: t for t in figure["data"]}
    baseline = RUN_OF_8[:12]
    centre = mean(baseline)
    moving = mean(abs(b - a) for a, b in zip(baseline, baseline[1:], strict=False))
    quarters = [p.label for p in Q1.trailing(20)]
    assert line(figure, "Centre line (mean)") == (quarters, pytest.approx([centre] * 20))
    assert line(figure, "Upper process limit")[1] == pytest.approx([centre + 2.66 * moving] * 20)
    assert line(figure, "Lower process limit")[1] == pytest.approx([centre - 2.66 * moving] * 20)
    flagged = traces["Special cause: improvement"]["y"]
    assert flagged == [None] * 12 + [14] * 8  # the whole run is marked
    assert "Special cause: concern" not in traces
    assert figure["layout"]["legend"]  # every trace is named in the legend
    assert "shapes" not in figure["layout"] or not figure["layout"]["shapes"]


def test_the_spc_table_in_the_csv_holds_independently_computed_limits(
    run_of_8, alice_client, force_a
):
    url = reverse("kpis:kpi-download", args=[force_a.slug, "charge-volume", "csv"])
    response = alice_client.get(url, {"period": Q1.slug, "offence": "all"})
    rows = spc_rows(response)
    assert list(rows["quarter"]) == [p.label for p in Q1.trailing(20)]
    baseline = RUN_OF_8[:12]
    centre = mean(baseline)
    moving = mean(abs(b - a) for a, b in zip(baseline, baseline[1:], strict=False))
    assert rows["spc_mean"].to_numpy() == pytest.approx([centre] * 20, abs=0.05)
    assert rows["spc_lower_limit"].to_numpy() == pytest.approx(
        [centre - 2.66 * moving] * 20, abs=0.05
    )
    assert rows["spc_upper_limit"].to_numpy() == pytest.approx(
        [centre + 2.66 * moving] * 20, abs=0.05
    )
    assert (
        list(rows["spc_special_cause"])
        == ["Common cause"] * 12 + ["Improvement: run of 8 quarters above the mean"] * 8
    )


def test_a_marked_step_change_restarts_the_limits_on_the_deck_and_the_drill_down(
    run_of_8, alice_client, alice, force_a
):
    deck(alice_client, force_a)  # cached before the step change
    KpiStepChange.objects.create(
        force=force_a,
        kpi=Kpi.objects.get(slug="charge-volume"),
        offence_group="all",
        period=run_of_8[12].slug,
        reason="Specialist RASSO team",
        marked_by=alice,
    )
    # Eight quarters at 14 since the step change: a steady new level, not a signal.
    kind, text = spc_text(tile(deck(alice_client, force_a), "charge-volume"))
    assert (kind, text) == ("common", "Statistical process control: Common cause variation")
    body = drill(alice_client, force_a, "charge-volume").content.decode()
    assert f"since the step change in {run_of_8[12].label}" in body
    quarters, centre = line(trend_figure(body), "Centre line (mean)")
    assert quarters == [p.label for p in run_of_8]
    assert centre == pytest.approx([11] * 12 + [14] * 8)
    pieces = [t for t in trend_figure(body)["data"] if t["name"] == "Centre line (mean)"]
    assert [t["showlegend"] for t in pieces] == [True, False]  # one legend entry
    shapes = trend_figure(body)["layout"]["shapes"]
    assert [s["x0"] for s in shapes] == [11.5]
    assert "Specialist RASSO team" in body and "Step change" in json.dumps(
        trend_figure(body)["layout"]["annotations"]
    )


def test_a_step_change_in_a_short_series_leaves_too_few_points_to_judge(
    run_of_8, alice_client, alice, force_a
):
    KpiStepChange.objects.create(
        force=force_a,
        kpi=Kpi.objects.get(slug="charge-volume"),
        offence_group="all",
        period=run_of_8[16].slug,
        reason="New recording system",
        marked_by=alice,
    )
    html = tile(deck(alice_client, force_a), "charge-volume")
    assert spc_text(html) == ("too-few", "Statistical process control: Too few points to judge")
    assert (
        f"Only 4 quarters with data since the step change in {run_of_8[16].label}: "
        "SPC needs at least 6." in html
    )


def test_percent_limits_stay_between_0_and_100_percent(force_a, alice_client):
    cache.clear()
    store_series(force_a, "charge-rate", [0.5, 0.98] * 6)  # limits -53.7% and 201.7%
    url = reverse("kpis:kpi-download", args=[force_a.slug, "charge-rate", "csv"])
    rows = spc_rows(alice_client.get(url, {"period": Q1.slug}))
    assert list(rows["spc_mean"]) == pytest.approx([0.74] * len(rows))
    assert set(rows["spc_lower_limit"]) == {0.0} and set(rows["spc_upper_limit"]) == {1.0}
    body = drill(alice_client, force_a, "charge-rate").content.decode()
    figure = trend_figure(body)
    assert line(figure, Kpi.objects.get(slug="charge-rate").name)[1][:2] == [50, 98]
    assert line(figure, "Upper process limit")[1] == pytest.approx([100] * 12)
    assert line(figure, "Lower process limit")[1] == pytest.approx([0] * 12)


def test_a_rank_has_no_spc_and_a_grey_tile_has_no_reading(force_a, alice_client):
    cache.clear()
    store_series(force_a, "national-position", [5, 6, 7, 8, 9, 10, 11])
    store_series(force_a, "withdrawal-share", [0.1] * 7, status="insufficient")
    body = deck(alice_client, force_a)
    assert spc_text(tile(body, "national-position")) is None
    assert spc_text(tile(body, "withdrawal-share")) is None
    detail = drill(alice_client, force_a, "national-position").content.decode()
    assert "SPC limits do not apply to a rank" in detail
    assert 'id="spc"' not in detail and "Mark a step change" not in detail


def test_a_short_series_is_too_few_to_judge_and_says_how_many_it_needs(force_a, alice_client):
    cache.clear()
    store_series(force_a, "days-to-charge", [100, 110, 90])
    html = tile(deck(alice_client, force_a), "days-to-charge")
    assert spc_text(html) == ("too-few", "Statistical process control: Too few points to judge")
    assert "Only 3 quarters with data: SPC needs at least 6." in html


def test_a_quarter_with_too_little_data_is_drawn_apart_and_not_judged(force_a, alice_client):
    cache.clear()
    periods = store_series(force_a, "days-to-charge", [*[100, 110] * 4, None])
    KpiSnapshot.objects.create(
        force=force_a,
        kpi=Kpi.objects.get(slug="days-to-charge"),
        period=periods[-1].slug,
        value=400,
        status="insufficient",
    )
    body = drill(alice_client, force_a, "days-to-charge").content.decode()
    traces = {t["name"]: t for t in trend_figure(body)["data"]}
    assert traces["Not judged (too little data, or quarter in progress)"]["y"] == [None] * 8 + [400]
    assert "Special cause: concern" not in traces  # 400 would be far above the limit
    assert spc_text(body) is None  # no reading for a quarter that was not judged


def test_a_quarter_in_progress_is_drawn_but_not_judged(force_a, alice_client):
    cache.clear()
    now = Period.current()
    # A partial quarter reads low: judged, it would be a concern below the lower limit.
    store_series(force_a, "charge-volume", [*RUN_OF_8[:12], 2], end=now)
    assert spc_text(tile(deck(alice_client, force_a, period=now.slug), "charge-volume")) is None
    previous = tile(deck(alice_client, force_a, period=now.previous().slug), "charge-volume")
    assert spc_text(previous)[0] == "common"
    url = reverse("kpis:kpi-download", args=[force_a.slug, "charge-volume", "csv"])
    rows = spc_rows(alice_client.get(url, {"period": now.slug}))
    assert rows["quarter"].iloc[-1] == f"{now.label} (in progress)"
    assert rows["spc_special_cause"].iloc[-1] == "Not judged: quarter in progress"
    body = drill(alice_client, force_a, "charge-volume", period=now.slug).content.decode()
    assert "Special cause: concern" not in json.dumps(trend_figure(body)["data"])


def test_step_changes_do_not_add_queries_to_the_deck(run_of_8, alice_client, alice, force_a):
    cache.clear()
    with CaptureQueriesContext(connection) as before:
        deck(alice_client, force_a)
    for kpi in Kpi.objects.all()[:10]:
        KpiStepChange.objects.create(
            force=force_a,
            kpi=kpi,
            offence_group="all",
            period=run_of_8[10].slug,
            reason="Restructure",
            marked_by=alice,
        )
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        deck(alice_client, force_a)
    assert len(after) == len(before)
