"""The inspection response record: a draft with the 56-day deadline, published and frozen."""

import datetime as dt
import io

import pytest
import time_machine
from docx import Document

from recommendations import services
from recommendations.models import ResponseRecord

pytestmark = pytest.mark.django_db


def base(force, inspection):
    return f"/forces/{force.slug}/recommendations/inspections/{inspection.slug}/response-record"


def filled(inspection):
    data = {
        "pcc_name": "Clare Moody",
        "chief_constable_name": "Sarah Crew",
        "summary": inspection.summary,
        "areas_for_improvement": "",
        "pcc_initial_response": "We will monitor every recommendation.",
        "chief_constable_response": "All recommendations are in the improvement plan.",
        "pcc_overall_comments": "I look forward to monitoring progress.",
    }
    for rec in inspection.recommendations.filter(addressee="forces"):
        data[f"rec_{rec.pk}"] = f"Response to {rec.number}."
    return data


@time_machine.travel(dt.datetime(2024, 9, 1, 12, tzinfo=dt.UTC))
def test_a_draft_shows_the_56_day_deadline(pat_client, force_a, soteria_2024):
    page = pat_client.get(base(force_a, soteria_2024) + "/")
    assert page.context["due"] == dt.date(2024, 10, 17)
    assert page.context["days_left"] == 46
    assert "by <strong>17 October 2024</strong>" in page.content.decode()


def test_editing_saves_sections_and_the_per_recommendation_responses(
    pat_client, force_a, soteria_2024, rec11
):
    assert (
        pat_client.post(base(force_a, soteria_2024) + "/edit/", filled(soteria_2024)).status_code
        == 302
    )
    record = ResponseRecord.objects.get(force=force_a, inspection=soteria_2024)
    assert record.pcc_name == "Clare Moody"
    assert services.get_response(force=force_a, recommendation=rec11).chief_constable_response == (
        "Response to 11."
    )


def test_publishing_is_refused_while_sections_are_missing(pat_client, force_a, soteria_2024):
    pat_client.post(
        base(force_a, soteria_2024) + "/edit/", {**filled(soteria_2024), "pcc_name": ""}
    )
    page = pat_client.post(base(force_a, soteria_2024) + "/publish/", follow=True)
    assert (
        "Before publishing, complete the police and crime commissioner&#x27;s name."
        in page.content.decode()
    )
    assert ResponseRecord.objects.get().state == ResponseRecord.State.DRAFT


def test_the_published_record_is_frozen(pat_client, pat, force_a, soteria_2024, rec11):
    pat_client.post(base(force_a, soteria_2024) + "/edit/", filled(soteria_2024))
    pat_client.post(base(force_a, soteria_2024) + "/publish/")
    record = ResponseRecord.objects.get()
    assert (record.state, record.published_by) == (ResponseRecord.State.PUBLISHED, pat)
    # Later changes to the live data do not change what was published.
    response = services.get_response(force=force_a, recommendation=rec11)
    response.chief_constable_response = "Changed afterwards."
    response.save()
    soteria_2024.title = "Renamed"
    soteria_2024.save()
    content = pat_client.get(base(force_a, soteria_2024) + "/").context["content"]
    assert content["title"].startswith("Progress to introduce a national operating model")
    assert [r["response"] for r in content["recommendations"] if r["number"] == "11"] == [
        "Response to 11."
    ]
    edit = pat_client.post(base(force_a, soteria_2024) + "/edit/", filled(soteria_2024))
    assert edit.status_code == 302
    assert (
        ResponseRecord.objects.get().pcc_overall_comments
        == "I look forward to monitoring progress."
    )


def test_the_word_download_follows_the_staffordshire_layout(pat_client, force_a, soteria_2024):
    pat_client.post(base(force_a, soteria_2024) + "/edit/", filled(soteria_2024))
    download = pat_client.get(base(force_a, soteria_2024) + ".docx")
    assert download["Content-Disposition"].endswith('-response-draft.docx"')
    doc = Document(io.BytesIO(download.content))
    text = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:7] == [
        "PCC and CC Force Inspection response record",
        "Summary of inspection",
        "Recommendations",
        "Recommendation 3",
        "Recommendation 5",
        "Recommendation 7",
        "Recommendation 9",
    ]
    assert "Police and Crime Commissioner's initial response" in headings
    assert "Rec 11" in headings
    assert "Response to 11." in text
    cells = [row.cells[0].text + "=" + row.cells[1].text for row in doc.tables[0].rows]
    assert cells[:3] == [
        "Force=Avon and Somerset",
        "Police and Crime Commissioner=Clare Moody",
        "Chief Constable=Sarah Crew",
    ]
    assert "Published Date=22 August 2024" in cells


def test_a_chief_officer_reads_but_may_not_edit_or_publish(alice_client, force_a, soteria_2024):
    assert alice_client.get(base(force_a, soteria_2024) + "/").status_code == 200
    assert alice_client.get(base(force_a, soteria_2024) + "/edit/").status_code == 403
    assert alice_client.post(base(force_a, soteria_2024) + "/publish/").status_code == 403


def test_bob_cannot_read_alices_draft(bob_client, pat, force_a, soteria_2024):
    services.save_record(
        force=force_a, inspection=soteria_2024, by=pat, fields={"pcc_name": "X"}, rec_responses={}
    )
    for suffix in ("/", "/edit/", ".docx"):
        assert bob_client.get(base(force_a, soteria_2024) + suffix).status_code == 404


def test_the_record_page_reads_in_a_fixed_number_of_queries(
    pat_client, pat, force_a, soteria_2024, django_assert_max_num_queries
):
    pat_client.post(base(force_a, soteria_2024) + "/edit/", filled(soteria_2024))
    with django_assert_max_num_queries(14):
        assert pat_client.get(base(force_a, soteria_2024) + "/").status_code == 200
