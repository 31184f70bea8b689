"""The quarterly board pack: the print-ready page, its PDF job, who may have it."""

import re

import pytest
from django.urls import reverse

from kpis.deck import control, pack
from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import BoardPack, Kpi, KpiSnapshot
from soteria.models import Role
from soteria.periods import Period

from .spc_series import Q1 as SPC_Q1
from .spc_series import RUN_OF_8, store_series

Q1 = Period.parse("2024-25-q1")


@pytest.fixture
def snapshots(force_a, force_b):
    add_synthetic_records(forces=[force_a, force_b], records=3000, seed=31)
    for period in Q1.trailing(4):
        compute_snapshots(force=force_a, period=period)


def page_url(force, **params):
    query = "&".join(f"{k}={v}" for k, v in {"period": Q1.slug, **params}.items())
    return reverse("kpis:board-pack", args=[force.slug]) + f"?{query}"


def pdf_url(force, **params):
    query = "&".join(f"{k}={v}" for k, v in {"period": Q1.slug, **params}.items())
    return reverse("kpis:board-pack-pdf", args=[force.slug]) + f"?{query}"


def test_the_pack_shows_every_kpi_with_the_deck_value_marking_and_as_at(
    snapshots, alice_client, force_a
):
    response = alice_client.get(page_url(force_a, offence="all"))
    assert response.status_code == 200
    body = response.content.decode()
    for kpi in Kpi.objects.all():
        assert f'id="pack-kpi-{kpi.slug}"' in body
    assert "OFFICIAL-SENSITIVE" in body
    assert 'id="pack-data-as-at"' in body and "Data as at" in body
    assert "Counts from 1 to 4" in body
    snapshot = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="charge-rate", period=Q1.slug, offence_group="all"
    )
    tile = body.split('id="pack-kpi-charge-rate"')[1].split("</article>")[0]
    shown = re.search(r'class="pack-value">([^<]+)<', tile).group(1)
    assert shown == f"{snapshot.numerator / snapshot.denominator * 100:.1f}%"


def test_the_summary_counts_each_aims_kpis_by_rag(snapshots, alice_client, force_a):
    body = alice_client.get(page_url(force_a, offence="all")).content.decode()
    summary = body.split('id="pack-summary"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", summary)
    total = 0
    for row in rows:
        total += sum(int(n) for n in re.findall(r'<td class="num[^"]*">(\d+)</td>', row))
    kpis_with_elements = Kpi.objects.count()
    assert total == kpis_with_elements


def test_one_click_makes_the_pdf_and_a_second_click_reuses_it(
    snapshots, alice_client, force_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(pdf_url(force_a, offence="rape"))
    assert response.status_code == 302
    made = BoardPack.objects.get()
    assert made.status == BoardPack.Status.READY and made.progress == 100
    download = alice_client.get(response["Location"])
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")
    assert alice_client.post(pdf_url(force_a, offence="rape"))["Location"] == response["Location"]
    assert BoardPack.objects.count() == 1


def test_a_recompute_makes_a_new_pack(snapshots, alice_client, force_a):
    first = alice_client.post(pdf_url(force_a))["Location"]
    compute_snapshots(force=force_a, period=Q1)
    assert alice_client.post(pdf_url(force_a))["Location"] != first


def test_bob_gets_404_for_alices_pack(snapshots, bob_client, force_a):
    assert bob_client.get(page_url(force_a)).status_code == 404
    assert bob_client.post(pdf_url(force_a)).status_code == 404


def test_a_panel_member_may_not_have_the_pack(snapshots, client, make_user, force_a):
    client.force_login(make_user("ruth", Role.PANEL_MEMBER, force_a))
    assert client.get(page_url(force_a)).status_code == 403
    assert client.post(pdf_url(force_a)).status_code == 403


def test_another_forces_user_cannot_fetch_a_pack_by_its_number(
    snapshots, alice_client, client, make_user, force_a, force_b
):
    location = alice_client.post(pdf_url(force_a))["Location"]
    made = BoardPack.objects.get()
    client.force_login(make_user("carol", Role.CHIEF_OFFICER, force_b))
    assert client.get(location).status_code == 404
    other = reverse("kpis:board-pack-file", args=[force_b.slug, made.pk])
    assert client.get(other).status_code == 404


def test_the_packs_spc_exceptions_are_the_tiles_own_readings(force_a):
    """The pack lists the special causes the deck's tiles show (Making Data Count), no other."""
    store_series(force_a, "charge-volume", RUN_OF_8)  # a run of 8 above the mean
    data = pack.board_pack(force=force_a, period=SPC_Q1, offence="all")
    kpi = Kpi.objects.get(slug="charge-volume")
    verdict = control.tile_verdicts(force=force_a, period=SPC_Q1, offence="all", kpis=[kpi])
    assert verdict[kpi.pk].kind == "improvement"
    listed = [s.text for s in data["signals"] if s.kpi.slug == "charge-volume"]
    assert listed == [verdict[kpi.pk].detail]
