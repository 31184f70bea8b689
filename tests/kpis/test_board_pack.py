"""The quarterly board pack: the print-ready page, its PDF job, who may have it."""

import io
import re
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kpis.deck import control, pack
from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import BoardPack, Kpi, KpiSnapshot
from soteria.models import FrameworkElement, Role
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


CONTENTS_ENTRY = re.compile(r"(\d+\. [^()]+?)(?: \(\d+ KPIs?\))? (\d+)(?= \d+\. |$)")


def _downloaded_pdf(alice_client, force, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        location = alice_client.post(pdf_url(force, **params))["Location"]
    return PdfReader(io.BytesIO(b"".join(alice_client.get(location).streaming_content)))


def _words(text: str) -> str:
    """Text as printed, on one line: ligatures (ﬁ) as letters, line breaks as spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_the_contents_give_the_page_each_section_starts_on(
    snapshots, alice_client, force_a, django_capture_on_commit_callbacks
):
    """Given a printed pack, when the contents page is read, then every section is listed
    with a page number and that page of the PDF is where the section's heading is."""
    reader = _downloaded_pdf(alice_client, force_a, django_capture_on_commit_callbacks)
    pages = [_words(page.extract_text()) for page in reader.pages]
    contents = pages[0].split(" Contents ", 1)[1]
    listed = [(heading, int(page)) for heading, page in CONTENTS_ENTRY.findall(contents)]
    elements = FrameworkElement.objects.filter(kpis__isnull=False).distinct().count()
    assert len(listed) == elements + 3  # summary, whole system, each aim or principle, notes
    assert listed[0] == ("1. Summary and exceptions", 2)
    assert listed[-1][0] == f"{elements + 3}. Data, definitions and disclosure control"
    numbers = [page for _, page in listed]
    assert numbers == sorted(numbers) and numbers[-1] <= len(reader.pages)
    squeezed = [text.replace(" ", "") for text in pages]  # lines break in other places
    for heading, page in listed:
        heading = heading.replace(" ", "")
        assert heading in squeezed[page - 1], f"{heading!r} is not on page {page}"
        assert not any(heading in text for text in squeezed[1 : page - 1]), f"{heading!r} earlier"


def test_every_printed_page_says_page_x_of_y(
    snapshots, alice_client, force_a, django_capture_on_commit_callbacks
):
    reader = _downloaded_pdf(alice_client, force_a, django_capture_on_commit_callbacks)
    total = len(reader.pages)
    assert total > 3
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()
