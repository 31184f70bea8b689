"""Dated progress updates with evidence files, and the access-checked evidence download."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations import services
from recommendations.models import Evidence, ProgressUpdate

from . import factories

pytestmark = pytest.mark.django_db


def url(force, rec):
    return f"/forces/{force.slug}/recommendations/{rec.pk}/updates/new/"


def test_pcc_staff_add_an_update_with_two_evidence_files(pat_client, force_a, rec11, evidence_file):
    response = pat_client.post(
        url(force_a, rec11),
        {
            "date": "2025-02-01",
            "text": "Problem profile drafted.",
            "evidence": [evidence_file("a.pdf"), evidence_file("b.pdf")],
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.date == dt.date(2025, 2, 1)
    assert sorted(e.original_name for e in update.evidence.all()) == ["a.pdf", "b.pdf"]


def test_a_file_of_the_wrong_type_is_refused_at_the_field(pat_client, force_a, rec11):
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = pat_client.post(
        url(force_a, rec11), {"date": "2025-02-01", "text": "x", "evidence": [upload]}
    )
    assert (
        "“run.exe” is not an accepted type of file"
        in response.context["form"].errors["evidence"][0]
    )
    assert not ProgressUpdate.objects.exists()


def test_an_update_cannot_be_dated_in_the_future(pat_client, force_a, rec11):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = pat_client.post(url(force_a, rec11), {"date": tomorrow.isoformat(), "text": "x"})
    assert response.context["form"].errors["date"] == ["An update cannot be dated in the future."]


def test_an_action_owner_updates_only_their_own_actions(client, owen, pat, force_a, rec11):
    response = factories.response(force=force_a, rec=rec11)
    mine = services.add_action(
        response=response, by=pat, title="Mine", owner=owen, due_date=dt.date(2025, 3, 1)
    )
    theirs = services.add_action(
        response=response, by=pat, title="Theirs", owner=pat, due_date=dt.date(2025, 3, 1)
    )
    client.force_login(owen)
    page = client.get(url(force_a, rec11))
    assert list(page.context["form"].fields["action"].queryset) == [mine]
    refused = client.post(
        url(force_a, rec11), {"date": "2025-02-01", "text": "x", "action": theirs.pk}
    )
    assert "action" in refused.context["form"].errors
    assert (
        client.post(
            url(force_a, rec11), {"date": "2025-02-01", "text": "x", "action": mine.pk}
        ).status_code
        == 302
    )


def test_a_member_with_no_action_may_not_add_updates(client, ruth, force_a, rec11):
    client.force_login(ruth)
    assert client.get(url(force_a, rec11)).status_code == 403


def test_bob_cannot_add_updates_to_alices_force(bob_client, force_a, rec11):
    assert bob_client.get(url(force_a, rec11)).status_code == 404


def test_evidence_downloads_for_the_force_and_is_404_for_bob(
    pat_client, bob, pat, force_a, force_b, rec11
):
    from django.test import Client

    bob_client = Client()
    bob_client.force_login(bob)
    factories.update(response=factories.response(force=force_a, rec=rec11), by=pat, files=1)
    evidence = Evidence.objects.get()
    download = pat_client.get(f"/forces/{force_a.slug}/recommendations/evidence/{evidence.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test\n"
    assert download["Cache-Control"] == "private, no-store"
    for force in (force_a, force_b):
        url_ = f"/forces/{force.slug}/recommendations/evidence/{evidence.pk}/"
        assert bob_client.get(url_).status_code == 404
