"""The product's final check: the response record's Word file, opened with python-docx, has the
Staffordshire record's sections in its order, each recommendation's full text, the version and
the publication date."""

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from recommendations import services
from recommendations.models import Status
from soteria.models import Role

from . import factories
from .test_response_record import write_draft

pytestmark = pytest.mark.django_db

TABLE_ROWS = [
    "Force",
    "Police, Fire and Crime Commissioner",
    "Chief Constable",
    "Title of inspection",
    "Published Date",
    "Inspectorate",
    "Summary of inspection",
    "Grade",
    "Recommendations",
]
SECTIONS = [
    "Areas for improvement",
    "Police, Fire and Crime Commissioner's initial response",
    "Chief Constable's response",
    "Police, Fire and Crime Commissioner's overall comments",
]


def body(document) -> list:
    """The document's paragraphs and tables in reading order."""
    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            blocks.append(Paragraph(child, document))
        elif child.tag.endswith("}tbl"):
            blocks.append(Table(child, document))
    return blocks


def lines(text: str) -> list[str]:
    """A recommendation's text as Word shows it: one paragraph a line, bullets without '- '."""
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            out.append(line[2:] if line.startswith("- ") else line)
    return out


@pytest.fixture
def quinn(make_user, force_b):
    return make_user("quinn", Role.PCC_STAFF, force_b, first_name="Quinn", last_name="Hale")


@time_machine.travel(dt.datetime(2024, 9, 30, 11, tzinfo=dt.UTC))
def test_the_word_file_has_the_staffordshire_sections_in_order_and_every_recommendation_in_full(
    quinn, bob, force_b, soteria_2024
):
    """Given Staffordshire's PCC office (Quinn) and a chief officer (Bob),
    When Quinn writes version 1, Bob approves the chief constable's response, Quinn publishes
    it on 30 September 2024 and downloads the Word file,
    Then the file reads as the Staffordshire record: title, version, publication date, the
    table's rows in order, then the sections in order, each recommendation in full."""
    factories.response(
        force=force_b, rec=soteria_2024.recommendations.get(number="7"), status=Status.IN_PROGRESS
    )
    record = write_draft(
        pat=quinn,
        force=force_b,
        inspection=soteria_2024,
        pcc_name="Ben Adams",
        chief_constable_name="Chris Noble",
        grade="Not graded (thematic inspection)",
    )
    services.approve_chief_constable_response(record=record, by=bob)
    services.publish_record(record=record, by=quinn, version=1)
    client = Client()
    client.force_login(quinn)
    download = client.get(
        f"/forces/{force_b.slug}/recommendations/inspections/{soteria_2024.slug}/response-record.docx"
    )
    assert download.status_code == 200
    blocks = body(Document(io.BytesIO(download.content)))

    first = [b.text for b in blocks[:3]]
    assert first == [
        "PCC and CC Force Inspection response record",
        "Version: 1",
        "Publication date: 30 September 2024",
    ]
    (table,) = [b for b in blocks if isinstance(b, Table)]
    assert blocks.index(table) == 3
    rows = {row.cells[0].text: row.cells[1] for row in table.rows}
    assert [row.cells[0].text for row in table.rows] == TABLE_ROWS
    assert rows["Police, Fire and Crime Commissioner"].text == "Ben Adams"
    assert rows["Chief Constable"].text == "Chris Noble"
    assert rows["Published Date"].text == "22 August 2024"
    assert rows["Grade"].text == "Not graded (thematic inspection)"
    assert rows["Summary of inspection"].text.startswith("In May 2023 the then Home Secretary")

    recs = list(soteria_2024.recommendations.filter(addressee="forces").order_by("order"))
    assert [r.number for r in recs] == ["3", "5", "7", "9", "11"]
    cell = [p.text for p in rows["Recommendations"].paragraphs]
    for rec in recs:
        start = cell.index(f"Recommendation {rec.number}")
        assert cell[start + 1 : start + 1 + len(lines(rec.text))] == lines(rec.text)
    assert "Status: In progress" in cell

    after = [b.text for b in blocks[4:] if isinstance(b, Paragraph)]
    headings = [
        b.text for b in blocks[4:] if isinstance(b, Paragraph) and b.style.name == "Heading 2"
    ]
    assert headings == SECTIONS
    cc_from = after.index("Chief Constable's response")
    cc_to = after.index(SECTIONS[-1])
    cc = after[cc_from:cc_to]
    quoted = [i for i, text in enumerate(cc) if text.startswith("Rec ")]
    assert [cc[i].split(":")[0] for i in quoted] == ["Rec 3", "Rec 5", "Rec 7", "Rec 9", "Rec 11"]
    for i, rec in zip(quoted, recs, strict=True):
        full = lines(services.records.without_deadline(rec.text))
        assert cc[i] == f"Rec {rec.number}: {full[0]}"
        assert cc[i + 1 : i + len(full)] == full[1:]
        assert not full[0].startswith("By ")
        assert f"Response to {rec.number}." in cc[i : (quoted + [len(cc)])[quoted.index(i) + 1]]
