"""Evidence and recommendation attachments (soteria.files.validate_evidence_file): the contents
must be what the file's name says, so a program renamed survey-results.pdf is refused."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from docx import Document
from openpyxl import Workbook

from soteria.files import validate_evidence_file

# The start of a Windows executable: the MZ (DOS) header pointing at a PE header.
WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8"
    + b"\x00" * 43
    + struct.pack("<I", 0x80)
    + b"\x00" * 64
    + b"PE\x00\x00\x4c\x01\x03\x00"
    + b"\x00" * 200
)
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


JPEG = (
    bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x08" * 64 + b"\xff\xd9"
)


def _docx() -> bytes:
    out = io.BytesIO()
    document = Document()
    document.add_paragraph("Pillar 4 survey results")
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["quarter", "responses"])
    workbook.save(out)
    return out.getvalue()


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name), data)
    return out.getvalue()


def _opendocument(kind: str) -> bytes:
    return _zip(
        [
            ("mimetype", f"application/vnd.oasis.opendocument.{kind}".encode()),
            ("content.xml", b"<x/>"),
        ]
    )


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _case_id(value) -> str:
    """Test ids from names only: the generated files hold the time they were made, and
    every test process must collect the same ids (pytest-xdist)."""
    return value if isinstance(value, str) else "content"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("survey-results.pdf", MINIMAL_PDF),
        ("survey-results.docx", _docx()),
        ("survey-results.xlsx", _xlsx()),
        ("survey-results.csv", b"quarter,responses\n2024-25 Q1,41\n"),
        ("survey-results.csv", "\ufeffforce,note\nAvon,caf\u00e9\n".encode()),  # Excel's UTF-8
        ("survey-results.csv", "force,note\nAvon,caf\u00e9\n".encode("cp1252")),  # Excel's ANSI
        ("notes.txt", "Unicode text from Excel\r\n".encode("utf-16")),
        ("notes.txt", b"Plain notes\twith a tab\n"),
        ("chart.png", _png()),
        ("photo.jpg", JPEG),
        ("photo.jpeg", JPEG),
        ("minutes.odt", _opendocument("text")),
        ("figures.ods", _opendocument("spreadsheet")),
    ],
    ids=_case_id,
)
def test_files_whose_contents_match_their_names_are_accepted(name, content):
    validate_evidence_file(_upload(name, content))


@pytest.mark.parametrize(
    ("name", "content", "seems"),
    [
        ("survey-results.pdf", WINDOWS_EXE, "those of a .exe file"),
        ("survey-results.csv", WINDOWS_EXE, "those of a .exe file"),
        ("survey-results.txt", WINDOWS_EXE, "those of a .exe file"),
        ("survey-results.docx", WINDOWS_EXE, "those of a .exe file"),
        ("survey-results.xlsx", _docx(), "those of a .docx file"),
        ("survey-results.docx", _zip([("payload.js", b"alert(1)")]), "those of a .zip file"),
        ("chart.jpg", _png(), "those of a .png file"),
        ("survey-results.pdf", b"just some text", "plain text"),
        ("survey-results.csv", b"a,b\n\x00\x01\x02binary", "of no type we recognise"),
    ],
    ids=_case_id,
)
def test_a_file_whose_contents_are_not_what_its_name_says_is_refused(name, content, seems):
    with pytest.raises(ValidationError) as refused:
        validate_evidence_file(_upload(name, content))

    message = refused.value.messages[0]
    assert message.startswith(f"“{name}” was refused: its name ends .{name.rsplit('.', 1)[1]}")
    assert seems in message


def test_an_office_file_whose_identifying_part_comes_late_is_still_recognised():
    """Some writers put a thumbnail and other parts first; the archive's index is read instead."""
    document = zipfile.ZipFile(io.BytesIO(_docx()))
    parts = [(n, document.read(n)) for n in document.namelist()]
    padding = [(f"docProps/thumbnail-{i}.bin", bytes(range(256)) * 40) for i in range(6)]
    reordered = _zip(padding + sorted(parts, key=lambda p: p[0].startswith("word/")))

    validate_evidence_file(_upload("late.docx", reordered))


def test_a_large_upload_on_disk_is_read_from_its_start(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    upload = TemporaryUploadedFile("big.pdf", "application/pdf", 0, None)
    upload.write(MINIMAL_PDF + b"%" * 100_000)
    upload.size = upload.tell()

    validate_evidence_file(upload)

    assert upload.tell() == 0
    upload.close()


def test_the_extension_is_still_checked_first():
    with pytest.raises(ValidationError, match="not an accepted type"):
        validate_evidence_file(_upload("macro.exe", WINDOWS_EXE))
