"""Evidence files: limited in type and size, private, downloadable only by those who may see."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kpis.models import EvidenceAttachment

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD


def base(force):
    return f"/forces/{force.slug}/evidence/{PERIOD.slug}/pillar-4/"


def upload(client, force, name="hr-report.txt", content=b"sickness report"):
    return client.post(
        base(force) + "files/",
        {"file": SimpleUploadedFile(name, content), "description": "HR report"},
    )


def test_a_pillar_lead_attaches_a_file_and_the_soteria_lead_downloads_it(
    client, pat, sam, draft_return, force_a, private_dir
):
    client.force_login(pat)
    assert upload(client, force_a).status_code == 302
    attachment = EvidenceAttachment.objects.get()
    assert attachment.original_name == "hr-report.txt"
    assert (private_dir / attachment.file.name).read_bytes() == b"sickness report"
    client.force_login(sam)
    response = client.get(base(force_a) + f"files/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"sickness report"
    assert response["Content-Disposition"].startswith("attachment")


def test_an_unaccepted_type_is_refused_with_a_message(client, pat, draft_return, force_a):
    client.force_login(pat)
    response = client.post(
        base(force_a) + "files/", {"file": SimpleUploadedFile("macro.exe", b"MZ")}, follow=True
    )
    assert "is not an accepted type of file" in response.content.decode()
    assert not EvidenceAttachment.objects.exists()


def test_a_file_over_the_limit_is_refused(client, pat, draft_return, force_a, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 10
    client.force_login(pat)
    response = client.post(
        base(force_a) + "files/",
        {"file": SimpleUploadedFile("big.txt", b"x" * 11)},
        follow=True,
    )
    assert "the limit is" in response.content.decode()
    assert not EvidenceAttachment.objects.exists()


def test_bob_and_ruth_cannot_download_a_draft_returns_file(
    client, pat, bob, ruth, draft_return, force_a
):
    client.force_login(pat)
    upload(client, force_a)
    attachment = EvidenceAttachment.objects.get()
    for outsider in (bob, ruth):
        client.force_login(outsider)
        assert client.get(base(force_a) + f"files/{attachment.pk}/").status_code == 404


def test_no_files_can_be_added_to_an_approved_return(client, pat, approved_return, force_a):
    client.force_login(pat)
    upload(client, force_a)
    assert not EvidenceAttachment.objects.exists()


def test_another_pillars_lead_cannot_attach(client, quinn, draft_return, force_a):
    client.force_login(quinn)
    assert upload(client, force_a).status_code == 403


def test_removing_a_file_deletes_it_and_the_history_keeps_both_events(
    client, pat, draft_return, force_a, private_dir, django_capture_on_commit_callbacks
):
    client.force_login(pat)
    upload(client, force_a)
    attachment = EvidenceAttachment.objects.get()
    stored = private_dir / attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base(force_a) + f"files/{attachment.pk}/delete/")
    assert response.status_code == 302
    assert not EvidenceAttachment.objects.exists()
    assert not stored.exists()
    history = client.get(base(force_a)).context["history"]
    events = [(row.action, row.subject) for row in history]
    assert events[:2] == [("Removed", "file “hr-report.txt”"), ("Attached", "file “hr-report.txt”")]
