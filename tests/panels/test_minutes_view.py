"""A meeting's minutes: who attended, each case's judgement, findings and themes, and the
actions raised; a page, and the same in Word, marked as a draft until finalised."""

import io

import pytest
from docx import Document

from panels import services
from panels.models import LearningTheme


@pytest.fixture
def minuted(judged_meeting, ruth, isva):
    """The judged meeting: Isla sent apologies, a guest came, the case has two themes."""
    services.update_meeting(
        meeting=judged_meeting,
        by=ruth,
        attendees=judged_meeting.panel.members.exclude(pk=isva.pk),
        other_attendees="Dr Obi Observer",
        notes="Agreed to write to the head of PPU.",
    )
    case = judged_meeting.cases.get()
    services.update_case(
        case=case,
        by=ruth,
        themes=LearningTheme.objects.filter(slug__in=["isva-referral", "victim-engagement"]),
    )
    return judged_meeting


def url(meeting, suffix="minutes/"):
    return f"/forces/{meeting.panel.force.slug}/panels/meetings/{meeting.pk}/{suffix}"


def _docx_text(response) -> str:
    doc = Document(io.BytesIO(response.content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_minutes_record_attendance_judgements_findings_themes_and_actions(
    client_for, ruth, minuted, django_assert_max_num_queries
):
    client = client_for(ruth)
    with django_assert_max_num_queries(16):
        response = client.get(url(minuted))
    assert response.status_code == 200
    page = response.text
    present = page.split('id="minutes-present"')[1].split("</section>")[0]
    assert "Ruth (Police), chair" in present and "Dr Obi Observer (also present)" in present
    assert "<strong>Apologies:</strong> Isla ISVA." in present
    cases = page.split('id="minutes-cases"')[1].split("</section>")[0]
    assert minuted.cases.get().label in cases
    assert "3 – Concerns about the decision or investigation" in cases
    assert "Contact with the victim lapsed for six weeks" in cases
    assert "No ISVA referral was made at report." in cases
    themes = page.split('id="minutes-themes"')[1].split("</section>")[0]
    assert "ISVA and specialist support referral: 1 case" in themes
    assert "Remind investigators to refer to ISVAs" in page.split('id="minutes-actions"')[1]
    assert "Agreed to write to the head of PPU." in page
    assert 'id="minutes-status">Draft' in page
    assert "AS/24/5555" not in page


def test_the_meeting_page_links_to_its_minutes(client_for, ruth, minuted):
    page = client_for(ruth).get(minuted.get_absolute_url()).text
    assert f'href="{url(minuted)}"' in page


def test_the_minutes_download_as_a_word_document_marked_draft(client_for, ruth, minuted):
    response = client_for(ruth).get(url(minuted, "minutes.docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="avon-and-somerset-panel-2024-07-15-minutes-draft.docx"'
    )
    text = _docx_text(response)
    assert "DRAFT: not yet finalised by the chair." in text
    assert "Ruth (Police), chair" in text
    assert "No ISVA referral was made at report." in text
    assert "Remind investigators to refer to ISVAs" in text
    assert "AS/24/5555" not in text


def test_finalised_minutes_are_not_marked_draft(client_for, ruth, minuted):
    services.finalise_meeting(meeting=minuted, by=ruth)
    client = client_for(ruth)
    assert 'id="minutes-status">Finalised' in client.get(url(minuted)).text
    response = client.get(url(minuted, "minutes.docx"))
    assert response["Content-Disposition"].endswith('-minutes.docx"')
    assert "DRAFT" not in _docx_text(response)


def test_bob_cannot_see_alices_minutes(client_for, bob, minuted):
    client = client_for(bob)
    assert client.get(url(minuted)).status_code == 404
    assert client.get(url(minuted, "minutes.docx")).status_code == 404
