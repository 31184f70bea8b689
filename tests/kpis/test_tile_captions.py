"""Every tile that is not self-explanatory says in plain words what its figure is.

Alice reads Avon and Somerset's flight deck for 2024/25 Q1. "Outcome types 31.0%" must say
which outcome; a charge-rate gap of 0.80 must say whose rate over whose; a date must say
how old it is and whether it moved; a figure reported once for all RASSO must say so when
she filters to rape. The facts in each caption are counted here from the stored records.
"""

import datetime as dt
import html
import re
from collections import Counter

import pytest
from django.urls import reverse

from kpis.engine.snapshots import compute_snapshots
from kpis.evidence import services as evidence
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import CrimeRecord, EvidenceReturn, ImportBatch, KpiSnapshot, OutcomeType
from soteria.models import Pillar, Role
from soteria.periods import Period

Q1 = Period.parse("2024-25-q1")


@pytest.fixture
def deck(force_a):
    """Six quarters of synthetic records, enough for the groups of a quarter to be compared."""
    add_synthetic_records(
        forces=[force_a],
        records=3000,
        seed=21,
        first_day=dt.date(2023, 4, 1),
        extract_day=dt.date(2024, 9, 30),
    )
    for period in Q1.trailing(2):
        compute_snapshots(force=force_a, period=period)


def tile(client, force, slug, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    body = client.get(reverse("kpis:flight-deck", args=[force.slug]) + f"?{query}").content
    match = re.search(
        rf'<article class="kpi-tile[^"]*" id="kpi-{slug}".*?</article>', body.decode(), re.S
    )
    return match.group(0)


def text_of(markup: str, css_class: str) -> str:
    match = re.search(rf'class="{css_class}[^"]*">([^<]*)<', markup)
    return html.unescape(match.group(1).strip()) if match else ""


@pytest.mark.parametrize("offence", ["rape", "other", "all"])
def test_outcome_types_names_the_most_common_outcome(deck, alice_client, force_a, offence):
    records = CrimeRecord.objects.filter(
        force=force_a, outcome_date__gte=Q1.start, outcome_date__lte=Q1.end
    ).exclude(outcome_type="")
    if offence != "all":
        records = records.filter(offence_group=offence)
    counts = Counter(records.values_list("outcome_type", flat=True))
    code, n = min(counts.items(), key=lambda item: (-item[1], int(item[0])))
    label = OutcomeType.objects.get(code=code).label
    total = sum(counts.values())
    card = tile(alice_client, force_a, "outcome-distribution", period=Q1.slug, offence=offence)
    assert text_of(card, "kpi-value") == f"{100 * n / total:.1f}%"
    assert text_of(card, "kpi-caption") == (
        f"Most common outcome: {label[0].lower()}{label[1:]} (type {code}), "
        f"{n:,} of {total:,} outcomes"
    )


@pytest.fixture
def disability_gap(force_b):
    """Staffordshire's rape outcomes in 2024/25 Q1: 15 of 60 charged where the victim is not
    disabled and 6 of 30 where she is; every victim female, so sex has one group only."""
    batch = ImportBatch.objects.create(
        force=force_b,
        kind=ImportBatch.Kind.RECORDS,
        file_name="test.csv",
        file_sha256="1" * 64,
        status=ImportBatch.Status.SUCCEEDED,
    )
    rows = []
    for disability, outcomes, charges in (("no", 60, 15), ("yes", 30, 6)):
        for n in range(outcomes):
            rows.append(
                CrimeRecord(
                    force=force_b,
                    batch=batch,
                    crime_ref_hash=f"{disability}-{n:03d}".ljust(64, "0"),
                    offence_code="19C",
                    offence_group="rape",
                    recorded_date=dt.date(2024, 1, 10),
                    outcome_type="1" if n < charges else "15",
                    outcome_date=dt.date(2024, 5, 10),
                    victim_sex="female",
                    victim_disability=disability,
                )
            )
    CrimeRecord.objects.bulk_create(rows)
    compute_snapshots(force=force_b, period=Q1)


def test_a_charge_rate_gap_says_whose_rate_over_whose_and_over_which_window(
    disability_gap, bob_client, force_b
):
    ratio = (6 / 30) / (15 / 60)
    card = tile(bob_client, force_b, "charge-rate-by-disability", period=Q1.slug, offence="rape")
    assert text_of(card, "kpi-value") == f"{ratio:.2f}" == "0.80"
    assert text_of(card, "kpi-window") == "12 months to 30 Jun 2024"
    # 6 of 30 against 15 of 60: the 95% interval of 0.80 spans 1, so no gap is judged.
    assert text_of(card, "kpi-caption") == (
        "Not significantly different: Disabled charged at 0.80 × the rate of Not disabled "
        "(reference group); 1 = no gap"
    )
    assert text_of(card, "rag") == "Not significantly different"
    assert "rag-grey" in card and "rag-red" not in card
    # The basis line names the window and how a gap is judged, not "the quarter" and "No
    # judgement"; the reason beside the badge says only the judgement, not the caption again.
    assert text_of(card, "kpi-basis") == "Outcomes assigned in the 12 months to 30 Jun 2024"
    assert "◆</span> 1 = no gap; red where a gap's 95% interval excludes 1" in html.unescape(card)
    assert "No judgement" not in card and "in the quarter" not in card
    reason = text_of(card, "kpi-rag-reason")
    assert reason == "— every 95% interval includes 1 over the 12 months to 30 Jun 2024"
    assert "Disabled" not in reason


def test_a_gap_that_cannot_be_computed_says_so(disability_gap, bob_client, force_b):
    card = tile(bob_client, force_b, "charge-rate-by-sex", period=Q1.slug, offence="rape")
    assert text_of(card, "kpi-caption") == "Too few groups to compare with the reference group"
    assert text_of(card, "kpi-value") == "Insufficient data"


def test_records_tiles_give_their_counts_and_the_strategy_date_its_age(
    deck, alice_client, force_a, make_user, sam_user
):
    rate = KpiSnapshot.objects.get(
        force=force_a, period=Q1.slug, kpi__slug="charge-rate", offence_group="rape"
    )
    card = tile(alice_client, force_a, "charge-rate", period=Q1.slug, offence="rape")
    assert text_of(card, "kpi-caption") == (
        "Charges as a share of all outcomes given in the quarter: "
        f"{rate.numerator:,.0f} of {rate.denominator:,.0f}"
    )
    assert "All RASSO" not in card  # counted for rape itself

    lead = make_user("ana", Role.PILLAR_LEAD, force_a, pillars=[5])
    ret = evidence.start_return(
        force=force_a, pillar=Pillar.objects.get(number=5), period=Q1.previous(), by=lead
    )
    evidence.save_return(
        evidence_return=ret,
        values={"stra-completed": {"date": dt.date(2023, 11, 2)}},
        narrative="",
        by=lead,
    )
    ret.status, ret.reviewed_by = EvidenceReturn.Status.APPROVED, sam_user
    ret.approved_at = dt.datetime(2024, 4, 20, 12, tzinfo=dt.UTC)
    ret.save()
    for period in Q1.trailing(2):
        compute_snapshots(force=force_a, period=period)
    card = tile(alice_client, force_a, "stra-completed", period=Q1.slug, offence="rape")
    age = (Q1.end - dt.date(2023, 11, 2)).days
    assert text_of(card, "kpi-value") == "2 Nov 2023"
    assert text_of(card, "kpi-caption") == (
        f"Last completed 2 Nov 2023: {age} days before the quarter's end; over a year old is "
        "out of date. All RASSO: reported once for all sexual offences"
    )
    assert text_of(card, "kpi-change") == (
        f"Not updated since the previous quarter: {age} days old at the quarter's end"
    )


@pytest.fixture
def sam_user(make_user, force_a):
    return make_user("sam", Role.SOTERIA_LEAD, force_a, first_name="Sam")


@pytest.mark.parametrize("status", ["ok", "insufficient"])
def test_every_kpi_in_the_catalogue_has_a_caption(db, status):
    from kpis.deck.captions import tile_caption
    from kpis.models import Kpi

    shown = status == "ok"
    for kpi in Kpi.objects.all():
        snapshot = {
            "status": status,
            "value": 0.5 if shown else None,
            "numerator": 1 if shown else None,
            "denominator": 2 if shown else None,
            "offence_group": "all",
            "provenance": {},
        }
        assert tile_caption(kpi, snapshot, "all"), kpi.slug
