"""The flight deck: every KPI as a tile for a quarter, grouped by the NOM or by pillar."""

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import Kpi, KpiSnapshot, KpiTarget
from soteria.models import Force
from soteria.periods import Period

from .home_office_tables import NOT_PROVIDED, write_home_office_quarter

Q1 = Period.parse("2024-25-q1")


@pytest.fixture
def deck(force_a, force_b):
    add_synthetic_records(forces=[force_a, force_b], records=4000, seed=21)
    for period in Q1.trailing(3):
        compute_snapshots(force=force_a, period=period)


def url(force, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("kpis:flight-deck", args=[force.slug]) + (f"?{query}" if query else "")


def tile(body: str, slug: str) -> str:
    match = re.search(rf'<article class="kpi-tile[^"]*" id="kpi-{slug}".*?</article>', body, re.S)
    assert match, f"no tile for {slug}"
    return match.group(0)


def tile_value(body: str, slug: str) -> str:
    return re.search(r'class="kpi-value[^"]*">([^<]*)<', tile(body, slug)).group(1).strip()


def test_alice_sees_a_tile_for_every_kpi_with_its_value(deck, alice_client, force_a):
    response = alice_client.get(url(force_a, period=Q1.slug, offence="rape"))
    assert response.status_code == 200
    body = response.content.decode()
    for kpi in Kpi.objects.all():
        tile(body, kpi.slug)
    snapshot = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="charge-volume", period=Q1.slug, offence_group="rape"
    )
    assert tile_value(body, "charge-volume") == f"{snapshot.value:,.0f}"
    rate = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="charge-rate", period=Q1.slug, offence_group="rape"
    )
    assert tile_value(body, "charge-rate") == f"{rate.value * 100:.1f}%"
    assert "2024/25 Q1" in body and "Higher is better" in body and "Lower is better" in body


def test_the_offence_group_changes_the_values(deck, alice_client, force_a):
    rape = tile_value(
        alice_client.get(url(force_a, period=Q1.slug, offence="rape")).content.decode(),
        "charge-volume",
    )
    every = tile_value(
        alice_client.get(url(force_a, period=Q1.slug, offence="all")).content.decode(),
        "charge-volume",
    )
    assert int(every.replace(",", "")) > int(rape.replace(",", ""))


def test_evidence_and_panel_kpis_say_no_data_yet(deck, alice_client, force_a):
    body = alice_client.get(url(force_a, period=Q1.slug)).content.decode()
    assert tile_value(body, "sickness-days") == "No data yet"
    assert "none recorded for this quarter yet" in tile(body, "panels-held")


def test_an_evidence_snapshot_shows_its_value_and_provenance(deck, alice_client, force_a):
    KpiSnapshot.objects.create(
        force=force_a,
        kpi=Kpi.objects.get(slug="sickness-days"),
        period=Q1.slug,
        value=4.25,
        provenance={"summary": "Entered by Pat Lee, approved by Sam Roe on 3 Jul 2025"},
    )
    body = alice_client.get(url(force_a, period=Q1.slug, offence="rape")).content.decode()
    assert tile_value(body, "sickness-days") == "4.2 days"
    assert "Entered by Pat Lee" in tile(body, "sickness-days")


def test_the_whole_system_panel_sets_charges_beside_withdrawal_and_caseload(
    deck, alice_client, force_a
):
    body = alice_client.get(url(force_a, period=Q1.slug)).content.decode()
    panel = body[body.index('id="whole-system-title"') : body.index("</section>")]
    for slug in (
        "charge-volume",
        "withdrawal-share",
        "charge-volume-victim-supports",
        "caseload-per-investigator",
        "sickness-days",
    ):
        assert f'id="whole-{slug}"' in panel


def test_it_groups_by_pillar_on_request(deck, alice_client, force_a):
    body = alice_client.get(url(force_a, period=Q1.slug, group="pillars")).content.decode()
    assert "Pillar 6: Digital forensics" in body or "Pillar 6:" in body
    assert "Aim one" not in body.split('id="section-1"')[1]


def test_the_caseload_tile_is_red_above_the_threshold_of_15(deck, alice_client, force_a):
    snapshot = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="caseload-per-investigator", period=Q1.slug, offence_group="all"
    )
    body = alice_client.get(url(force_a, period=Q1.slug)).content.decode()
    expected = "Red: off target" if snapshot.value > 15 else "Green: on target"
    assert expected in tile(body, "caseload-per-investigator")


def test_a_force_target_sets_the_rag_and_says_who_set_it(deck, alice_client, alice, force_a):
    rate = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="charge-rate", period=Q1.slug, offence_group="all"
    )
    assert rate.ci_low < rate.value < rate.ci_high
    KpiTarget.objects.create(
        force=force_a,
        kpi=rate.kpi,
        value=round(rate.ci_low * 100 - 0.5, 1),  # below the whole 95% interval
        effective_from="2024-25-q1",
        set_by=alice,
    )
    body = alice_client.get(url(force_a, period=Q1.slug)).content.decode()
    assert "Green: on target" in tile(body, "charge-rate")
    assert "is wholly above the" in tile(body, "charge-rate")
    earlier = alice_client.get(url(force_a, period="2023-24-q4")).content.decode()
    assert "Green" not in tile(earlier, "charge-rate")  # the target starts in 2024/25 Q1
    targets = alice_client.get(reverse("kpis:targets", args=[force_a.slug])).content.decode()
    assert "Alice" in targets and "2024/25 Q1" in targets


def test_too_little_data_is_grey_not_a_colour(deck, alice_client, force_a):
    snapshot = next(  # too little data, not a count withheld by disclosure control
        s
        for s in KpiSnapshot.objects.filter(force=force_a, period=Q1.slug, status="insufficient")
        if not (s.provenance.get("detail") or {}).get("headline_withheld")
    )
    assert snapshot is not None
    body = alice_client.get(
        url(force_a, period=Q1.slug, offence=snapshot.offence_group)
    ).content.decode()
    assert "Grey: insufficient data" in tile(body, snapshot.kpi.slug)


def test_tiles_link_to_the_drill_down(deck, alice_client, force_a):
    body = alice_client.get(url(force_a, period=Q1.slug, offence="rape")).content.decode()
    link = reverse("kpis:kpi-detail", args=[force_a.slug, "charge-rate-by-ethnicity"])
    assert f'href="{link}?period=2024-25-q1&amp;offence=rape"' in body


def test_a_quarter_without_snapshots_is_refused_with_the_reason(deck, alice_client, force_a):
    response = alice_client.get(url(force_a, period="2019-20-q1"))
    assert response.status_code == 302 and response["Location"] == url(force_a)
    body = alice_client.get(response["Location"]).content.decode()
    assert "There are no figures for 2019/20 Q1 for this force." in body


def test_bob_cannot_see_alices_flight_deck(deck, bob_client, force_a):
    assert bob_client.get(url(force_a, period=Q1.slug)).status_code == 404


def test_the_page_needs_a_login(client, force_a):
    response = client.get(url(force_a))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_query_count_does_not_grow_with_forces_periods_or_kpis(deck, alice_client, force_a):
    cache.clear()  # measure the full build of the deck, not the cached one
    with CaptureQueriesContext(connection) as before:
        assert alice_client.get(url(force_a, period=Q1.slug)).status_code == 200
    with CaptureQueriesContext(connection) as cached_before:
        assert alice_client.get(url(force_a, period=Q1.slug)).status_code == 200
    # Many more snapshots: other forces, older quarters, every KPI.
    kpis = list(Kpi.objects.all())
    rows = [
        KpiSnapshot(force=force, kpi=kpi, period=period.slug, value=1)
        for force in Force.objects.exclude(pk=force_a.pk)[:10]
        for period in Q1.trailing(12)
        for kpi in kpis
    ]
    rows += [
        KpiSnapshot(force=force_a, kpi=kpi, period=period.slug, value=1, offence_group="all")
        for period in Q1.shift(-20).trailing(8)
        for kpi in kpis
    ]
    KpiSnapshot.objects.bulk_create(rows)
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        assert alice_client.get(url(force_a, period=Q1.slug)).status_code == 200
    with CaptureQueriesContext(connection) as cached_after:
        assert alice_client.get(url(force_a, period=Q1.slug)).status_code == 200
    # 14, one more since SPC reads its step changes, one for the unread notifications
    assert len(after) == len(before) <= 16
    assert len(cached_after) == len(cached_before) < len(before)


def test_a_recomputed_snapshot_replaces_the_cached_deck(deck, alice_client, force_a):
    alice_client.get(url(force_a, period=Q1.slug, offence="rape"))  # now cached
    snapshot = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="charge-volume", period=Q1.slug, offence_group="rape"
    )
    snapshot.value = 12345
    snapshot.save()
    body = alice_client.get(url(force_a, period=Q1.slug, offence="rape")).content.decode()
    assert tile_value(body, "charge-volume") == "12,345"


def test_a_new_target_replaces_the_cached_deck(deck, alice_client, alice, force_a):
    alice_client.get(url(force_a, period=Q1.slug))  # now cached
    rate = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="charge-rate", period=Q1.slug, offence_group="all"
    )
    KpiTarget.objects.create(
        force=force_a, kpi=rate.kpi, value=0, effective_from="2020-21-q1", set_by=alice
    )
    body = alice_client.get(url(force_a, period=Q1.slug)).content.decode()
    assert "Green: on target" in tile(body, "charge-rate")


# Avon and Somerset and Gloucestershire are South West forces; Devon and Cornwall's outcome
# type 15 is "N/A - data not provided", so it has no figure and is left out of every comparison.
NATIONAL = {
    "Avon and Somerset": {"1": 12, "14": 28, "15": 60},
    "Staffordshire": {"1": 30, "14": 10, "15": 60},
    "Gloucestershire": {"1": 6, "14": 30, "15": 64},
    "Devon and Cornwall": {"1": 40, "15": NOT_PROVIDED},
}


def tile_text(body: str, slug: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", tile(body, slug)))
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def national_deck(force_a, force_b):
    add_synthetic_records(forces=[force_a], records=1500, seed=22)
    write_home_office_quarter(Q1, NATIONAL)
    compute_snapshots(force=force_a, period=Q1)


def test_the_charge_rate_tile_compares_home_office_figures_and_says_so(
    national_deck, alice_client, force_a
):
    body = alice_client.get(url(force_a, period=Q1.slug, offence="rape")).content.decode()
    own = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="charge-rate", period=Q1.slug, offence_group="rape"
    )
    assert tile_value(body, "charge-rate") == f"{own.value * 100:.1f}%"  # own records headline
    # Home Office: 12 of 100; England and Wales 48 of 300 (3 forces); South West 18 of 200.
    # 12 of 100: its 95% Wilson interval (7.0% to 19.8%) holds both comparators' rates.
    assert (
        "Value from the force's own crime records. Home Office published, closed basis: "
        "Avon and Somerset 12.0% vs England and Wales 16.0%: not significantly different "
        "vs South West 9.0%: not significantly different 2nd of 3 forces"
        " · 40 forces left out (no complete data)" in tile_text(body, "charge-rate")
    )
    # Withdrawal: 28 + 10 + 30 of 300, and 28 + 30 of 200; no rank (the rank is the charge rate's)
    withdrawal = tile_text(body, "withdrawal-share")
    assert (
        "Avon and Somerset 28.0% vs England and Wales 22.7%: not significantly different "
        "vs South West 29.0%: not significantly different" in withdrawal
    )
    assert "of 3 forces" not in withdrawal


def test_the_national_position_tile_ranks_home_office_charge_rates(
    national_deck, alice_client, force_a
):
    body = alice_client.get(url(force_a, period=Q1.slug, offence="rape")).content.decode()
    assert tile_value(body, "national-position") == "2nd"
    assert (
        "Ranked among 3 forces by charge rate (Home Office outcomes data, closed basis): "
        "Avon and Somerset 12.0% · England and Wales 16.0%" in tile_text(body, "national-position")
    )


def test_a_force_without_a_published_figure_is_not_compared(alice_client, force_a, force_b):
    add_synthetic_records(forces=[force_a], records=1500, seed=22)
    write_home_office_quarter(Q1, {**NATIONAL, "Avon and Somerset": {"1": 12, "15": None}})
    compute_snapshots(force=force_a, period=Q1)
    body = alice_client.get(url(force_a, period=Q1.slug, offence="rape")).content.decode()
    assert (
        "Home Office outcomes data, closed basis: no figure for Avon and Somerset (Home Office "
        "data not provided for outcome type 15), so no national comparison"
        in tile_text(body, "charge-rate")
    )
    assert "England and Wales" not in tile_text(body, "charge-rate")
    assert (
        "Avon and Somerset is left out of the ranking: Home Office data not provided for "
        "outcome type 15" in tile_text(body, "national-position")
    )
