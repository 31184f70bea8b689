"""The disk fills while an upload is being stored: a clear form error, and no partial file.

Issue 12: the upload answered 500 and left the partly written file, with no batch
pointing at it, so the disk stayed full (and raw references stayed on it).
"""

import errno
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kpis.imports import services as imports
from kpis.imports import uploads
from kpis.models import ImportBatch
from soteria.models import Role

from .import_helpers import extract_text, records, write_extract

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR


@pytest.fixture
def disk_fills(monkeypatch):
    """Writing an upload stores part of it, then fails: no space left on the device."""

    class FillingFile(io.FileIO):
        def write(self, block):
            super().write(block[: len(block) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    def fake_open(path, mode="r", *args, **kwargs):
        if "w" in mode:
            return FillingFile(path, "w")
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(uploads, "open", fake_open, raising=False)


def many_rows():
    return extract_text(records(2000)).encode()


def test_a_full_disk_leaves_no_partial_file_and_no_batch(upload_dir, disk_fills, tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(many_rows())

    with pytest.raises(imports.UploadNotStored, match="storage is full"):
        imports.create_batch(
            kind="records", source=path, file_name="extract.csv", force=None, uploaded_by=None
        )

    assert list(upload_dir.iterdir()) == []
    assert not ImportBatch.objects.exists()


def test_the_upload_page_shows_a_clear_error_instead_of_a_500(
    client, make_user, force_a, upload_dir, disk_fills
):
    client.force_login(make_user("ann", Role.ANALYST, force_a))
    data = many_rows()

    response = client.post(
        reverse("kpis:imports", kwargs={"force_slug": force_a.slug}),
        {"kind": "records", "file": SimpleUploadedFile("extract.csv", data, "text/csv")},
    )

    assert response.status_code == 200
    assert "the server&#x27;s storage is full, so nothing was imported" in (
        response.content.decode()
    )
    assert list(upload_dir.iterdir()) == []
    assert not ImportBatch.objects.exists()


def test_the_command_says_the_same_and_exits_non_zero(upload_dir, disk_fills, tmp_path):
    path = write_extract(tmp_path / "extract.csv", records(2000))

    with pytest.raises(CommandError, match="storage is full"):
        call_command("import_outcomes", str(path), "--format", "records")

    assert list(upload_dir.iterdir()) == []
