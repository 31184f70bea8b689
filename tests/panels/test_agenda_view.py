"""A meeting's agenda: members, the actions carried forward and the cases to review;
a page, and the same in Word."""

import datetime as dt
import io

import pytest
from docx import Document

from panels import services
from soteria.models import Role


@pytest.fixture
def next_meeting(judged_meeting, ruth):
    """The meeting after the judged one, with one case added: its agenda carries the action."""
    meeting = services.create_meeting(
        panel=judged_meeting.panel, by=ruth, date=dt.date(2024, 10, 10), agenda="Terms of reference"
    )
    services.add_case(
        meeting=meeting, by=ruth, crime_reference="AS/24/6000", selection="dip_sample"
    )
    return meeting


def url(meeting, suffix="agenda/"):
    return f"/forces/{meeting.panel.force.slug}/panels/meetings/{meeting.pk}/{suffix}"


def _docx_text(response) -> str:
    doc = Document(io.BytesIO(response.content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_agenda_lists_members_open_actions_and_cases(
    client_for, ruth, next_meeting, django_assert_max_num_queries
):
    client = client_for(ruth)
    with django_assert_max_num_queries(16):
        response = client.get(url(next_meeting))
    assert response.status_code == 200
    page = response.text
    members = page.split('id="agenda-members"')[1].split("</li>\n")[0]
    assert "Isla ISVA (Independent sexual violence adviser (ISVA))" in members
    actions = page.split('id="agenda-actions"')[1].split('id="agenda-cases"')[0]
    assert "Remind investigators to refer to ISVAs" in actions and "Overdue" in actions
    case = next_meeting.cases.get()
    assert case.label in page.split('id="agenda-cases"')[1]
    assert "Terms of reference" in page
    assert "AS/24/6000" not in page


def test_the_meeting_page_links_to_its_agenda(client_for, ruth, next_meeting):
    page = client_for(ruth).get(next_meeting.get_absolute_url()).text
    assert f'href="{url(next_meeting)}"' in page


def test_the_agenda_downloads_as_a_word_document(client_for, ruth, next_meeting):
    response = client_for(ruth).get(url(next_meeting, "agenda.docx"))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["Content-Disposition"] == (
        'attachment; filename="avon-and-somerset-panel-2024-10-10-agenda.docx"'
    )
    text = _docx_text(response)
    assert "RASSO NFA scrutiny panel: agenda" in text
    assert "Remind investigators to refer to ISVAs" in text
    assert next_meeting.cases.get().label in text
    assert "AS/24/6000" not in text


def test_a_chief_officer_reads_the_agenda(client_for, alice, next_meeting):
    assert client_for(alice).get(url(next_meeting)).status_code == 200


def test_a_pillar_lead_may_not_read_the_agenda(client_for, make_user, force_a, next_meeting):
    lead = make_user("lena", Role.PILLAR_LEAD, force_a, pillars=[3])
    client = client_for(lead)
    assert client.get(url(next_meeting)).status_code == 403
    assert client.get(url(next_meeting, "agenda.docx")).status_code == 403


def test_bob_cannot_see_alices_agenda(client_for, bob, next_meeting):
    client = client_for(bob)
    assert client.get(url(next_meeting)).status_code == 404
    assert client.get(url(next_meeting, "agenda.docx")).status_code == 404
