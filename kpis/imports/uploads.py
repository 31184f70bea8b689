"""Raw uploads: a file stored privately and its batch recorded, until the import is done.

An uploaded extract still holds crime, suspect and investigator references as
the force wrote them, so it is kept only while its import needs it: deleted
when the batch is imported, rejected, cancelled or failed (and by the reaper
24 hours after upload whatever happened). A write that fails part-way (a full
disk) leaves no partial file behind.
"""

import errno
import hashlib
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from soteria.models import Force

from ..engine.models import ImportBatch

log = logging.getLogger(__name__)


class UploadNotStored(Exception):
    """The uploaded file could not be written to private storage; nothing was kept."""


def upload_dir() -> Path:
    path = Path(settings.IMPORT_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def create_batch(
    *, kind: str, source, file_name: str, force: Force | None, uploaded_by
) -> ImportBatch:
    """Store the file privately and record a batch. The same file again is 'already imported'.

    ``source`` is a path or an open binary file (an upload). A Home Office table is national
    data and belongs to no force (``force`` must be None; see national_views).
    """
    if kind == ImportBatch.Kind.HOME_OFFICE and force is not None:
        raise ValueError("A Home Office outcomes table is national data: it has no force")
    suffix = Path(file_name).suffix.lower()[:8]
    stored = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    digest = _store(source, stored)
    batch = ImportBatch(
        kind=kind,
        force=force,
        file_name=Path(file_name).name[:255],
        file_sha256=digest,
        stored_path=str(stored),
        uploaded_by=uploaded_by,
    )
    earlier = previous_import(batch)
    if earlier is not None:
        batch.status = ImportBatch.Status.DUPLICATE
        batch.message = (
            f"Already imported: the same file was imported on "
            f"{timezone.localtime(earlier.finished_at or earlier.created_at):%-d %b %Y at %H:%M}"
            f" ({earlier.rows_written:,} rows). Nothing has changed."
        )
        batch.finished_at = timezone.now()
        stored.unlink(missing_ok=True)
        batch.stored_path = ""
    batch.save()
    return batch


def _store(source, stored: Path) -> str:
    """Copy the upload to ``stored``, returning its SHA-256. On a write failure (a full disk)
    the partial file is deleted, so a failed upload never keeps raw data or fills the disk."""
    digest = hashlib.sha256()
    try:
        with open(stored, "wb") as out:
            handle = open(source, "rb") if isinstance(source, str | Path) else source
            try:
                if hasattr(handle, "chunks"):
                    blocks = handle.chunks()
                else:
                    blocks = iter(lambda: handle.read(1 << 20), b"")
                for block in blocks:
                    digest.update(block)
                    out.write(block)
            finally:
                if isinstance(source, str | Path):
                    handle.close()
    except OSError as exc:
        stored.unlink(missing_ok=True)
        log.error("Could not store an upload (%s); the partial file was deleted", exc.strerror)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UploadNotStored(
                "The file could not be saved because the server's storage is full, so nothing "
                "was imported. Try again later; if it happens again, tell the system "
                "administrator."
            ) from exc
        raise UploadNotStored(
            "The file could not be saved on the server, so nothing was imported. Try again; "
            "if it happens again, tell the system administrator."
        ) from exc
    return digest.hexdigest()


def previous_import(batch: ImportBatch) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(
            kind=batch.kind,
            force=batch.force,
            file_sha256=batch.file_sha256,
            status=ImportBatch.Status.SUCCEEDED,
        )
        .exclude(pk=batch.pk)
        .order_by("-finished_at")
        .first()
    )


def remove_stored_file(batch: ImportBatch) -> None:
    """Delete the raw upload. A failure is logged (the reaper deletes it within 24 hours)."""
    if batch.stored_path:
        try:
            Path(batch.stored_path).unlink(missing_ok=True)
        except OSError as exc:
            log.error("Could not delete the upload of import batch %s: %s", batch.pk, exc)
