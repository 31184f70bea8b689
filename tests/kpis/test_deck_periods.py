"""Which quarter the flight deck, drill-down and downloads show.

It is 6 December 2026: 2026/27 Q3 (October to December) is in progress. Alice's force has
figures for 2026/27 Q1, Q2 and the quarter in progress. The deck opens on the latest
complete quarter, Q2; Q3 is shown only when asked for and says it is in progress; a
quarter that has not started, has no figures or is not a quarter is refused with the
reason and the quarters that do exist.
"""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from kpis.deck import periods, readings
from kpis.models import Kpi, KpiSnapshot, KpiTarget
from soteria.periods import Period

Q1, Q2, Q3 = (Period.parse(f"2026-27-q{n}") for n in (1, 2, 3))
CHARGES = {Q1: 93, Q2: 89, Q3: 0}  # Q3's figure is partial: the quarter has weeks to run


@pytest.fixture(autouse=True)
def december_6th():
    with time_machine.travel(dt.datetime(2026, 12, 6, 10, 0), tick=False):
        cache.clear()
        yield
    cache.clear()


@pytest.fixture
def figures(force_a):
    volume = Kpi.objects.get(slug="charge-volume")
    rate = Kpi.objects.get(slug="charge-rate")
    for period, charges in CHARGES.items():
        for group in ("rape", "other", "all"):
            KpiSnapshot.objects.create(
                force=force_a, kpi=volume, period=period.slug, offence_group=group, value=charges
            )
            KpiSnapshot.objects.create(
                force=force_a,
                kpi=rate,
                period=period.slug,
                offence_group=group,
                value=charges / 700,
                numerator=charges,
                denominator=700,
                ci_low=max(charges - 20, 0) / 700,
                ci_high=(charges + 20) / 700,
            )


def deck(force, **params):
    return _url("kpis:flight-deck", [force.slug], params)


def detail(force, slug, **params):
    return _url("kpis:kpi-detail", [force.slug, slug], params)


def download(force, slug, fmt, **params):
    return _url("kpis:kpi-download", [force.slug, slug, fmt], params)


def _url(name, args, params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(name, args=args) + (f"?{query}" if query else "")


def heading_period(body: str) -> str:
    return re.search(r"<strong>([^<]*)</strong> · ", body).group(1)


def tile_value(body: str, slug: str) -> str:
    tile = re.search(rf'id="kpi-{slug}".*?</article>', body, re.S).group(0)
    return re.search(r'class="kpi-value[^"]*">([^<]*)<', tile).group(1).strip()


def selector(body: str) -> list[str]:
    select = re.search(r'<select[^>]*id="id_period".*?</select>', body, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def warning(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# The default quarter


def test_the_deck_opens_on_the_latest_complete_quarter_not_the_one_in_progress(
    figures, alice_client, force_a
):
    body = alice_client.get(deck(force_a)).content.decode()
    assert heading_period(body) == "2026/27 Q2"
    assert tile_value(body, "charge-volume") == "89"
    assert "in progress" not in body.split('id="id_period"')[0]


def test_the_quarter_in_progress_is_offered_and_labelled_in_the_selector(
    figures, alice_client, force_a
):
    body = alice_client.get(deck(force_a)).content.decode()
    assert selector(body) == ["2026/27 Q3 (in progress)", "2026/27 Q2", "2026/27 Q1"]
    assert re.search(r'<option value="2026-27-q2" selected>', body)


def test_asked_for_the_quarter_in_progress_every_tile_says_so_and_none_is_judged(
    figures, alice_client, alice, force_a
):
    KpiTarget.objects.create(
        force=force_a,
        kpi=Kpi.objects.get(slug="charge-volume"),
        value=80,
        effective_from=Q1.slug,
        set_by=alice,
        offence_group="all",
    )
    response = alice_client.get(deck(force_a, period=Q3.slug))
    body = response.content.decode()
    assert response.status_code == 200
    assert heading_period(body) == "2026/27 Q3 (in progress)"
    assert "Flight deck 2026/27 Q3 (in progress)" in body  # the window title
    assert 'id="period-in-progress"' in body
    tile = re.search(r'id="kpi-charge-volume".*?</article>', body, re.S).group(0)
    assert "2026/27 Q3 (in progress): figures to date" in tile
    assert tile_value(body, "charge-volume") == "0"
    # 0 charges in a quarter with weeks to run is not "Red" and not "Down 89".
    assert "Red" not in tile and "Down 89" not in tile
    assert "Not judged" in tile and "the quarter is still in progress" in tile
    assert "Quarter in progress: not compared with the previous quarter" in tile


def test_the_drill_down_and_its_downloads_default_to_the_latest_complete_quarter(
    figures, alice_client, force_a
):
    body = alice_client.get(detail(force_a, "charge-rate")).content.decode()
    assert heading_period(body) == "2026/27 Q2"
    assert "2026/27 Q3" not in body.split('id="trend"')[1].split("</table>")[0]
    export = alice_client.get(download(force_a, "charge-rate", "csv")).content.decode()
    rows = list(csv.reader(io.StringIO(export)))
    assert "2026/27 Q2" in rows[0][0] and "in progress" not in rows[0][0]


def test_the_quarter_in_progress_is_labelled_in_the_drill_down_and_both_downloads(
    figures, alice_client, force_a
):
    body = alice_client.get(detail(force_a, "charge-rate", period=Q3.slug)).content.decode()
    assert heading_period(body) == "2026/27 Q3 (in progress)"
    assert 'id="period-in-progress"' in body
    trend = body.split('id="trend"')[1].split("</table>")[0]
    assert '<th scope="row">2026/27 Q3 (in progress)</th>' in trend
    response = alice_client.get(download(force_a, "charge-rate", "csv", period=Q3.slug))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert "2026/27 Q3 (in progress)" in rows[0][0]
    assert any("in progress" in r[0] and "will change" in r[0] for r in rows[1:4] if r)
    assert ["2026/27 Q3 (in progress)"] == [
        r[0] for r in rows if r and r[0].startswith("2026/27 Q3")
    ]
    xlsx = alice_client.get(download(force_a, "charge-rate", "xlsx", period=Q3.slug))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert all("2026/27 Q3 (in progress)" in sheet["A1"].value for sheet in book.worksheets)


def test_the_default_moves_on_when_the_quarter_ends_even_with_the_deck_cached(
    figures, alice_client, alice, force_a
):
    assert heading_period(alice_client.get(deck(force_a)).content.decode()) == "2026/27 Q2"
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, 0), tick=False):
        alice_client.force_login(alice)  # a new day, a new sign-in
        body = alice_client.get(deck(force_a)).content.decode()
    assert heading_period(body) == "2026/27 Q3"
    assert "in progress" not in body


# Quarters that are refused


@pytest.mark.parametrize(
    "asked, reason",
    [
        ("2030-31-q1", "2030/31 Q1 has not started yet, so it has no figures."),
        ("2026-27-q4", "2026/27 Q4 has not started yet, so it has no figures."),
        ("2019-20-q1", "There are no figures for 2019/20 Q1 for this force."),
        ("banana", "“banana” is not a quarter: quarters are written like 2026-27-q2."),
        ("2024-26-q1", "is not a quarter"),
    ],
)
def test_a_quarter_that_cannot_be_shown_sends_alice_to_the_default_saying_why(
    figures, alice_client, force_a, asked, reason
):
    response = alice_client.get(deck(force_a, period=asked, offence="rape", group="pillars"))
    assert response.status_code == 302
    assert response["Location"] == deck(force_a, offence="rape", group="pillars")
    message = warning(response)
    assert reason in message
    assert "Showing 2026/27 Q2, the latest complete quarter with figures." in message
    assert "Figures exist for 2026/27 Q1 to 2026/27 Q3 (in progress)." in message
    page = alice_client.get(response["Location"]).content.decode()
    assert heading_period(page) == "2026/27 Q2"
    assert reason in page  # the reason is on the page Alice lands on


def test_the_drill_down_refuses_a_future_quarter_the_same_way(figures, alice_client, force_a):
    response = alice_client.get(detail(force_a, "charge-rate", period="2030-31-q1", offence="rape"))
    assert response.status_code == 302
    assert response["Location"] == detail(force_a, "charge-rate", offence="rape")
    assert "2030/31 Q1 has not started yet" in warning(response)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_for_a_quarter_without_figures_is_a_404_that_lists_the_quarters(
    figures, alice_client, force_a, fmt
):
    response = alice_client.get(download(force_a, "charge-rate", fmt, period="2030-31-q1"))
    assert response.status_code == 404
    body = response.content.decode()
    assert "2030/31 Q1 has not started yet, so it has no figures." in body
    assert "Showing" not in body  # a file is never swapped for another quarter's
    page = detail(force_a, "charge-rate")
    assert f'href="{page}?period=2026-27-q2">2026/27 Q2</a>' in body
    assert f'href="{page}?period=2026-27-q3">2026/27 Q3 (in progress)</a>' in body


def test_a_force_without_figures_opens_on_an_empty_deck_without_a_redirect_loop(
    alice_client, force_a
):
    response = alice_client.get(deck(force_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert heading_period(body) == "2026/27 Q2"
    assert "No KPI snapshots have been computed for this force for 2026/27 Q2 yet" in body
    refused = alice_client.get(deck(force_a, period=Q2.slug))
    assert refused.status_code == 302 and refused["Location"] == deck(force_a)
    assert "No figures have been computed for this force yet." in warning(refused)


def test_bob_asking_for_alices_deck_with_a_bad_quarter_still_gets_a_404(
    figures, bob_client, force_a
):
    assert bob_client.get(deck(force_a, period="2030-31-q1")).status_code == 404
    assert bob_client.get(download(force_a, "charge-rate", "csv", period="x")).status_code == 404


# The rules on their own


def test_resolve_period_refuses_future_missing_and_malformed_quarters():
    available = [Q3, Q2, Q1]
    assert periods.resolve_period(None, available) == Q2
    assert periods.resolve_period("2026-27-Q3", available) == Q3
    for asked in ("2027-28-q1", "2025-26-q4", "q3", "2026/27 Q2"):
        with pytest.raises(periods.PeriodRefused):
            periods.resolve_period(asked, available)
    # A snapshot computed for a future quarter is never offered.
    assert periods.selectable_periods([Period.parse("2027-28-q1"), Q3, Q2]) == [Q3, Q2]
    assert periods.default_period([Q3]) == Q2  # nothing complete: the latest complete quarter
    assert readings.choose_period("2030-31-q1", available) == Q2
