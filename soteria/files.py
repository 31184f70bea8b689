"""Private evidence files: limited in size and type, stored outside any public URL,
served only through views that have already checked access."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible

ALLOWED_EXTENSIONS = {
    ".pdf": "PDF",
    ".docx": "Word document",
    ".xlsx": "Excel workbook",
    ".csv": "CSV",
    ".txt": "text",
    ".png": "PNG image",
    ".jpg": "JPEG image",
    ".jpeg": "JPEG image",
    ".odt": "OpenDocument text",
    ".ods": "OpenDocument spreadsheet",
}


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_STORAGE_ROOT with no base URL: never served directly."""

    def __init__(self):
        super().__init__(location=settings.PRIVATE_STORAGE_ROOT, base_url=None)


private_storage = PrivateStorage()


def validate_evidence_file(upload) -> None:
    """Refuse files that are too large or of a type we do not accept, saying which."""
    extension = Path(upload.name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        kinds = ", ".join(sorted({k.lstrip(".") for k in ALLOWED_EXTENSIONS}))
        raise ValidationError(
            f"“{Path(upload.name).name}” is not an accepted type of file. Accepted: {kinds}."
        )
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"“{Path(upload.name).name}” is {upload.size / 1_048_576:.1f} MB; "
            f"the limit is {limit / 1_048_576:.0f} MB."
        )


def serve_private_file(field_file, *, download_name: str | None = None) -> FileResponse:
    """Stream a private file as a download. Call only after checking access."""
    name = download_name or Path(field_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
