"""Commentary per KPI per quarter: who may write it, its history, where it shows."""

import pytest
from django.urls import reverse

from kpis.deck import pack
from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import Kpi, KpiCommentary
from soteria.models import Role
from soteria.periods import Period

Q1 = Period.parse("2024-25-q1")
TEXT = "Charges rose after the case-file review; caseloads are being kept under 15."


@pytest.fixture
def snapshots(force_a, force_b):
    add_synthetic_records(forces=[force_a, force_b], records=1500, seed=5)
    compute_snapshots(force=force_a, period=Q1)


def post(client, force, kpi="charge-rate", text=TEXT):
    url = reverse("kpis:kpi-commentary", args=[force.slug, kpi]) + f"?period={Q1.slug}"
    return client.post(url, {"text": text})


def test_the_soteria_lead_writes_it_and_it_shows_on_the_drill_down_and_in_the_pack(
    snapshots, client, make_user, force_a
):
    lead = make_user("sam", Role.SOTERIA_LEAD, force_a, first_name="Sam", last_name="Lead")
    client.force_login(lead)
    before = pack.pack_version(force=force_a)
    assert post(client, force_a).status_code == 302
    commentary = KpiCommentary.objects.get()
    assert (commentary.text, commentary.written_by, commentary.period) == (TEXT, lead, Q1.slug)
    assert commentary.history.get().history_user == lead
    page = client.get(
        reverse("kpis:kpi-detail", args=[force_a.slug, "charge-rate"]) + f"?period={Q1.slug}"
    ).content.decode()
    assert TEXT in page.split('id="commentary"')[1]
    assert pack.pack_version(force=force_a) != before
    body = client.get(
        reverse("kpis:board-pack", args=[force_a.slug]) + f"?period={Q1.slug}"
    ).content.decode()
    assert TEXT in body.split('id="pack-kpi-charge-rate"')[1].split("</article>")[0]
    post(client, force_a, text="Revised.")
    assert KpiCommentary.objects.get().text == "Revised."
    assert KpiCommentary.history.count() == 2


def test_the_kpis_pillar_lead_may_write_it_and_another_pillars_lead_may_not(
    snapshots, client, make_user, force_a
):
    number = Kpi.objects.get(slug="charge-rate").pillar.number
    other = 1 if number != 1 else 2
    client.force_login(make_user("owen", Role.PILLAR_LEAD, force_a, pillars=[number]))
    assert post(client, force_a).status_code == 302
    client.force_login(make_user("olga", Role.PILLAR_LEAD, force_a, pillars=[other]))
    assert post(client, force_a, text="Not mine").status_code == 403
    assert KpiCommentary.objects.get().text == TEXT


def test_a_chief_officer_reads_it_but_may_not_write_it(snapshots, alice_client, force_a):
    assert post(alice_client, force_a).status_code == 403
    page = alice_client.get(
        reverse("kpis:kpi-detail", args=[force_a.slug, "charge-rate"]) + f"?period={Q1.slug}"
    ).content.decode()
    assert 'id="commentary"' in page and "Save commentary" not in page


def test_another_forces_lead_gets_404(snapshots, client, make_user, force_a, force_b):
    client.force_login(make_user("bea", Role.SOTERIA_LEAD, force_b))
    assert post(client, force_a).status_code == 404
    assert not KpiCommentary.objects.exists()
