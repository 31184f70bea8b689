"""Private evidence files: limited in size and type, stored outside any public URL,
served only through views that have already checked access.

A file's type is judged by its contents as well as its name: a program renamed
``survey-results.pdf`` is refused. ``filetype`` reads the signature in the first
8 KB (pure Python, so no libmagic to install on every machine)."""

import codecs
import mimetypes
import zipfile
from pathlib import Path

import filetype
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
TEXT = "text"
# What the contents of each accepted extension must be: filetype's name for it, or plain text.
CONTENT_KINDS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".csv": TEXT,
    ".txt": TEXT,
    ".png": "png",
    ".jpg": "jpg",
    ".jpeg": "jpg",
    ".odt": "odt",
    ".ods": "ods",
}
SNIFF_BYTES = 8192
# Office files are ZIP archives; filetype names them from the first few entries, and some
# writers put other parts (a large thumbnail) first, so a plain "zip" is looked inside.
OFFICE_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
OPENDOCUMENT_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_STORAGE_ROOT with no base URL: never served directly."""

    def __init__(self):
        super().__init__(location=settings.PRIVATE_STORAGE_ROOT, base_url=None)


private_storage = PrivateStorage()


def validate_evidence_file(upload) -> None:
    """Refuse files that are too large or of a type we do not accept, saying which. The
    contents must be what the extension says, so a renamed program is refused."""
    name = Path(upload.name).name
    extension = Path(upload.name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        kinds = ", ".join(sorted({k.lstrip(".") for k in ALLOWED_EXTENSIONS}))
        raise ValidationError(f"“{name}” is not an accepted type of file. Accepted: {kinds}.")
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"“{name}” is {upload.size / 1_048_576:.1f} MB; "
            f"the limit is {limit / 1_048_576:.0f} MB."
        )
    found = content_kind(upload)
    if found != CONTENT_KINDS[extension]:
        if found is None:
            seems = "of no type we recognise"
        else:
            seems = "plain text" if found == TEXT else f"those of a .{found} file"
        raise ValidationError(
            f"“{name}” was refused: its name ends {extension} but its contents are {seems}. "
            "Save it again in that format and upload that."
        )


def content_kind(upload) -> str | None:
    """What the file's contents are: filetype's name for them, "text", or None if unknown."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess_extension(head)
    if kind == "zip":
        kind = _office_kind(upload) or kind
    if kind is None and _is_text(head):
        return TEXT
    return kind


def _office_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            for part, kind in OFFICE_PARTS.items():
                if part in names:
                    return kind
            if "mimetype" in names:
                with archive.open("mimetype") as mimetype:
                    return OPENDOCUMENT_MIMETYPES.get(mimetype.read(100).strip())
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    finally:
        upload.seek(0)
    return None


def _is_text(head: bytes) -> bool:
    """Plain text (CSV or TXT) in UTF-8, UTF-16 with a byte-order mark, or Windows-1252, with
    no control characters but tab, line and page breaks."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)
    return False


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
