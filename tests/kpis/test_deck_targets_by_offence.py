"""A target judges only the offence group it was set for.

Alice's force has a 12% charge-rate target for all RASSO. The rape charge rate is 8.4%
(95% interval 7.0%–10.0%). Rape charge rates run well below those for other sexual
offences, so the all-RASSO target does not judge the rape view: the tile says no rape
target is set and that the all-RASSO one is not applied. Once Alice sets a rape target,
the rape view is judged against it. Evidence returns report once, for all RASSO, so their
tiles are judged against the all-RASSO target whichever offences are shown.
"""

import datetime as dt
import importlib
import re

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse

from kpis.models import Kpi, KpiSnapshot, KpiTarget
from soteria.periods import Period

Q2 = Period.parse("2026-27-q2")


@pytest.fixture(autouse=True)
def december_6th():
    with time_machine.travel(dt.datetime(2026, 12, 6, 10, 0), tick=False):
        cache.clear()
        yield
    cache.clear()


@pytest.fixture
def rates(force_a, alice):
    rate = Kpi.objects.get(slug="charge-rate")
    for group, value, low, high in (
        ("rape", 0.084, 0.070, 0.100),
        ("other", 0.150, 0.130, 0.170),
        ("all", 0.105, 0.095, 0.115),
    ):
        KpiSnapshot.objects.create(
            force=force_a,
            kpi=rate,
            period=Q2.slug,
            offence_group=group,
            value=value,
            ci_low=low,
            ci_high=high,
        )
    KpiTarget.objects.create(
        force=force_a,
        kpi=rate,
        offence_group="all",
        value=12,
        effective_from="2025-26-q1",
        set_by=alice,
    )
    return rate


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def tile(client, force, slug, offence) -> str:
    url = reverse("kpis:flight-deck", args=[force.slug]) + f"?period={Q2.slug}&offence={offence}"
    body = client.get(url).content.decode()
    return words(re.search(rf'id="kpi-{slug}".*?</article>', body, re.S).group(0))


def drill_down(client, force, slug, offence) -> str:
    url = reverse("kpis:kpi-detail", args=[force.slug, slug])
    return words(client.get(f"{url}?period={Q2.slug}&offence={offence}").content.decode())


def test_the_all_rasso_target_judges_the_all_rasso_view(rates, alice_client, force_a):
    shown = tile(alice_client, force_a, "charge-rate", "all")
    assert "Red: off target — the 95% interval 9.5%–11.5% is wholly below the 12% target" in shown
    assert "Target 12% (All RASSO)" in shown


def test_the_all_rasso_target_does_not_make_the_rape_view_red(rates, alice_client, force_a):
    shown = tile(alice_client, force_a, "charge-rate", "rape")
    assert "8.4%" in shown
    assert "Red" not in shown and "Green" not in shown and "Amber" not in shown
    assert "No target set" in shown
    assert "No target set for rape; the All RASSO target (12%) is not applied to it" in shown
    page = drill_down(alice_client, force_a, "charge-rate", "rape")
    assert "RAG No target set" in page and "Target or threshold None set" in page


def test_a_rape_target_judges_the_rape_view(rates, alice_client, alice, force_a):
    KpiTarget.objects.create(
        force=force_a,
        kpi=rates,
        offence_group="rape",
        value=8,
        effective_from="2026-27-q1",
        set_by=alice,
    )
    shown = tile(alice_client, force_a, "charge-rate", "rape")
    assert "Amber: cannot yet tell — the 95% interval 7.0%–10.0% includes the 8% target" in shown
    assert "Target 8% (Rape)" in shown
    page = drill_down(alice_client, force_a, "charge-rate", "rape")
    assert "Target or threshold 8% for Rape (Set by Alice" in page
    # The other views keep their own: other sexual offences has none, all RASSO its 12%.
    assert "No target set for other sexual offences" in tile(
        alice_client, force_a, "charge-rate", "other"
    )
    assert "Target 12% (All RASSO)" in tile(alice_client, force_a, "charge-rate", "all")


def test_an_evidence_tile_is_judged_by_the_all_rasso_target_in_every_view(
    alice_client, alice, force_a
):
    devices = Kpi.objects.get(slug="victim-device-return")
    KpiSnapshot.objects.create(
        force=force_a, kpi=devices, period=Q2.slug, value=0.589, ci_low=0.55, ci_high=0.628
    )
    KpiTarget.objects.create(
        force=force_a, kpi=devices, value=70, effective_from="2026-27-q1", set_by=alice
    )
    for offence in ("rape", "other", "all"):
        shown = tile(alice_client, force_a, "victim-device-return", offence)
        assert "Red: off target" in shown and "Target 70% (All RASSO)" in shown


def test_the_catalogue_threshold_holds_for_every_offence_group(alice_client, force_a):
    caseload = Kpi.objects.get(slug="caseload-per-investigator")
    for group in ("rape", "all"):
        KpiSnapshot.objects.create(
            force=force_a, kpi=caseload, period=Q2.slug, offence_group=group, value=18
        )
    for offence in ("rape", "all"):
        assert "Red: off target" in tile(alice_client, force_a, caseload.slug, offence)


def test_a_target_set_before_targets_were_per_group_is_kept_for_every_group(force_a, alice):
    """The migration: a target that judged every view keeps judging every view."""
    migration = importlib.import_module("kpis.migrations.0005_kpi_target_offence_group")
    rate = Kpi.objects.get(slug="charge-rate")
    devices = Kpi.objects.get(slug="victim-device-return")
    old = KpiTarget.objects.create(
        force=force_a, kpi=rate, value=12, amber_margin=1, effective_from="2024-25-q1",
        set_by=alice, note="Board, March 2024",
    )  # fmt: skip
    KpiTarget.objects.filter(pk=old.pk).update(set_at=dt.datetime(2024, 3, 28, tzinfo=dt.UTC))
    KpiTarget.objects.create(force=force_a, kpi=devices, value=70, effective_from="2024-25-q1")
    migration.copy_targets_to_each_group(apps, None)
    copies = KpiTarget.objects.filter(kpi=rate).order_by("offence_group")
    assert [(t.offence_group, t.value, t.amber_margin, t.effective_from) for t in copies] == [
        ("all", 12, 1, "2024-25-q1"),
        ("other", 12, 1, "2024-25-q1"),
        ("rape", 12, 1, "2024-25-q1"),
    ]
    assert {(t.set_by, t.set_at.date()) for t in copies} == {(alice, dt.date(2024, 3, 28))}
    assert all(t.note.startswith("Board, March 2024") for t in copies)
    # An evidence-return KPI reports for all RASSO only, so its target is not copied.
    assert list(KpiTarget.objects.filter(kpi=devices).values_list("offence_group", flat=True)) == [
        "all"
    ]
