"""The inspection response record: a draft with the 56-day deadline; a chief officer approves
the chief constable's response; the PCC office confirms and publishes version N, which is then
frozen; a new version starts from it, and every published version is kept."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from docx import Document

from recommendations import services
from recommendations.models import ResponseRecord, Status
from soteria.models import Role

from . import factories

pytestmark = pytest.mark.django_db


def base(force, inspection):
    return f"/forces/{force.slug}/recommendations/inspections/{inspection.slug}/response-record"


def filled(inspection):
    data = {
        "pcc_name": "Clare Moody",
        "chief_constable_name": "Sarah Crew",
        "summary": inspection.summary,
        "grade": "",
        "areas_for_improvement": "",
        "pcc_initial_response": "We will monitor every recommendation.",
        "chief_constable_response": "All recommendations are in the improvement plan.",
        "pcc_overall_comments": "I look forward to monitoring progress.",
    }
    for rec in inspection.recommendations.filter(addressee="forces"):
        data[f"rec_{rec.pk}"] = f"Response to {rec.number}."
    return data


def write_draft(*, pat, force, inspection, **changes):
    data = {**filled(inspection), **changes}
    recs = inspection.recommendations.filter(addressee="forces")
    return services.save_record(
        force=force,
        inspection=inspection,
        by=pat,
        fields={k: v for k, v in data.items() if not k.startswith("rec_")},
        rec_responses={rec.pk: data[f"rec_{rec.pk}"] for rec in recs},
    )


def publish_version_1(*, pat, alice, force, inspection) -> ResponseRecord:
    """Pat writes the draft, Alice approves the chief constable's response, Pat publishes."""
    record = write_draft(pat=pat, force=force, inspection=inspection)
    services.approve_chief_constable_response(record=record, by=alice)
    return services.publish_record(record=record, by=pat, version=1)


@pytest.fixture
def quinn(make_user, force_b):
    """Quinn works in Staffordshire's office of the Police, Fire and Crime Commissioner."""
    return make_user("quinn", Role.PCC_STAFF, force_b, first_name="Quinn")


# Drafting -----------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2024, 9, 1, 12, tzinfo=dt.UTC))
def test_a_draft_shows_the_56_day_deadline(pat_client, force_a, soteria_2024):
    page = pat_client.get(base(force_a, soteria_2024) + "/")
    assert page.context["due"] == dt.date(2024, 10, 17)
    assert page.context["days_left"] == 46
    assert "by <strong>17 October 2024</strong>" in page.content.decode()


def test_editing_saves_sections_and_the_per_recommendation_responses(
    pat_client, force_a, soteria_2024, rec11
):
    data = {**filled(soteria_2024), "grade": "Not graded: a thematic inspection"}
    assert pat_client.post(base(force_a, soteria_2024) + "/edit/", data).status_code == 302
    record = ResponseRecord.objects.get(force=force_a, inspection=soteria_2024)
    assert (record.pcc_name, record.version, record.grade) == (
        "Clare Moody",
        1,
        "Not graded: a thematic inspection",
    )
    assert services.get_response(force=force_a, recommendation=rec11).chief_constable_response == (
        "Response to 11."
    )


def test_the_edit_form_shows_each_recommendation_in_full(pat_client, force_a, soteria_2024):
    form = pat_client.get(base(force_a, soteria_2024) + "/edit/").context["form"]
    rec7 = soteria_2024.recommendations.get(number="7")
    assert form.fields[f"rec_{rec7.pk}"].help_text == rec7.text


# Approval ------------------------------------------------------------------------------------


def test_publishing_is_refused_while_sections_are_missing(
    pat_client, pat, alice, force_a, soteria_2024
):
    write_draft(pat=pat, force=force_a, inspection=soteria_2024, pcc_name="")
    page = pat_client.get(base(force_a, soteria_2024) + "/publish/", follow=True)
    assert (
        "Before publishing, complete the police and crime commissioner&#x27;s name"
        in page.content.decode()
    )
    page = pat_client.post(
        base(force_a, soteria_2024) + "/publish/", {"version": 1, "confirm": "on"}, follow=True
    )
    assert ResponseRecord.objects.get().state == ResponseRecord.State.DRAFT


def test_publishing_needs_a_chief_officers_approval(pat_client, pat, force_a, soteria_2024):
    write_draft(pat=pat, force=force_a, inspection=soteria_2024)
    page = pat_client.get(base(force_a, soteria_2024) + "/")
    assert "awaiting a chief officer's approval" in page.content.decode()
    assert page.context["problems"] == [
        "ask a chief officer to approve the chief constable's response"
    ]
    page = pat_client.post(
        base(force_a, soteria_2024) + "/publish/", {"version": 1, "confirm": "on"}, follow=True
    )
    assert "ask a chief officer to approve" in page.content.decode()
    assert ResponseRecord.objects.get().state == ResponseRecord.State.DRAFT


def test_a_chief_officer_approves_and_a_later_change_undoes_the_approval(
    alice_client, alice, pat, force_a, soteria_2024, rec11
):
    record = write_draft(pat=pat, force=force_a, inspection=soteria_2024)
    assert alice_client.post(base(force_a, soteria_2024) + "/approve/").status_code == 302
    record.refresh_from_db()
    assert (record.approved_by, record.approved_content["recommendations"]["11"]) == (
        alice,
        "Response to 11.",
    )
    assert record.history.first().history_change_reason == (
        "Chief constable's response approved by Alice"
    )
    # Pat changes the response to recommendation 11 on its own page, after the approval.
    response = services.get_response(force=force_a, recommendation=rec11)
    response.chief_constable_response = "A different response."
    response.save()
    page = alice_client.get(base(force_a, soteria_2024) + "/")
    assert "has changed since Alice approved it" in page.content.decode()
    with pytest.raises(ValidationError, match="has changed since Alice approved it"):
        services.publish_record(record=record, by=pat, version=1)
    record.refresh_from_db()
    assert record.state == ResponseRecord.State.DRAFT


def test_approval_needs_the_chief_constables_response_written(
    alice_client, pat, force_a, soteria_2024
):
    write_draft(pat=pat, force=force_a, inspection=soteria_2024, chief_constable_response="")
    page = alice_client.post(base(force_a, soteria_2024) + "/approve/", follow=True)
    assert "Before approving, complete the chief constable&#x27;s response." in (
        page.content.decode()
    )
    assert ResponseRecord.objects.get().approved_by is None


# Publishing with a confirmation -------------------------------------------------------------


@time_machine.travel(dt.datetime(2024, 9, 12, 10, tzinfo=dt.UTC))
def test_publishing_asks_for_a_confirmation_first(pat_client, pat, alice, force_a, soteria_2024):
    record = write_draft(pat=pat, force=force_a, inspection=soteria_2024)
    services.approve_chief_constable_response(record=record, by=alice)
    confirm = pat_client.get(base(force_a, soteria_2024) + "/publish/")
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Publish version 1 of the response record?" in html
    assert "Once published, version 1 cannot be changed." in html
    unconfirmed = pat_client.post(base(force_a, soteria_2024) + "/publish/", {"version": 1})
    assert unconfirmed.status_code == 200
    assert unconfirmed.context["form"].errors["confirm"] == [
        "Tick the box to confirm that this version may be published."
    ]
    assert ResponseRecord.objects.get().state == ResponseRecord.State.DRAFT
    published = pat_client.post(
        base(force_a, soteria_2024) + "/publish/", {"version": 1, "confirm": "on"}, follow=True
    )
    assert "Version 1 published. It is now frozen." in published.content.decode()
    record.refresh_from_db()
    assert (record.state, record.published_by, record.snapshot["publication_date"]) == (
        ResponseRecord.State.PUBLISHED,
        pat,
        "2024-09-12",
    )
    assert record.snapshot["approved_by"] == "Alice"
    assert record.history.first().history_change_reason == "Version 1 published by Pat Lee"


def test_a_confirmation_of_another_version_publishes_nothing(
    pat_client, pat, alice, force_a, soteria_2024
):
    record = write_draft(pat=pat, force=force_a, inspection=soteria_2024)
    services.approve_chief_constable_response(record=record, by=alice)
    page = pat_client.post(
        base(force_a, soteria_2024) + "/publish/", {"version": 2, "confirm": "on"}, follow=True
    )
    assert "You confirmed version 2, but the draft is now version 1" in page.content.decode()
    assert ResponseRecord.objects.get().state == ResponseRecord.State.DRAFT


def test_the_published_version_is_frozen(pat_client, pat, alice, force_a, soteria_2024, rec11):
    publish_version_1(pat=pat, alice=alice, force=force_a, inspection=soteria_2024)
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
    edit = pat_client.post(
        base(force_a, soteria_2024) + "/edit/",
        {**filled(soteria_2024), "pcc_overall_comments": "Rewritten."},
        follow=True,
    )
    assert "Published version 1 is frozen: start a new version" in edit.content.decode()
    assert ResponseRecord.objects.get().pcc_overall_comments == (
        "I look forward to monitoring progress."
    )


# Versions -------------------------------------------------------------------------------------


def test_a_new_version_starts_from_the_published_one_which_is_kept(
    pat_client, pat, alice, force_a, soteria_2024, rec11
):
    publish_version_1(pat=pat, alice=alice, force=force_a, inspection=soteria_2024)
    started = pat_client.post(base(force_a, soteria_2024) + "/new-version/", follow=True)
    assert "Version 2 started, a copy of version 1, which stays as published." in (
        started.content.decode()
    )
    v1, v2 = ResponseRecord.objects.order_by("version")
    assert (v2.version, v2.state, v2.pcc_name, v2.approved_by) == (
        2,
        ResponseRecord.State.DRAFT,
        "Clare Moody",
        None,
    )
    write_draft(
        pat=pat,
        force=force_a,
        inspection=soteria_2024,
        pcc_overall_comments="Progress is on track.",
        **{f"rec_{rec11.pk}": "Version 2's response to 11."},
    )
    services.approve_chief_constable_response(record=v2, by=alice)
    services.publish_record(record=v2, by=pat, version=2)

    current = pat_client.get(base(force_a, soteria_2024) + "/")
    assert current.context["record"] == v2
    assert [v.version for v in current.context["versions"]] == [2, 1]
    first = pat_client.get(base(force_a, soteria_2024) + "/versions/1/")
    assert first.context["content"]["pcc_overall_comments"] == (
        "I look forward to monitoring progress."
    )
    assert "Response to 11." in first.content.decode()
    assert "A later version exists" in first.content.decode()
    for version, text in ((1, "Response to 11."), (2, "Version 2's response to 11.")):
        download = pat_client.get(base(force_a, soteria_2024) + f"/versions/{version}.docx")
        assert download["Content-Disposition"].endswith(f'-response-v{version}-published.docx"')
        document = Document(io.BytesIO(download.content))
        assert text in [p.text for p in document.paragraphs]
        assert f"Version: {version}" in [p.text for p in document.paragraphs]
    assert pat_client.get(base(force_a, soteria_2024) + "/versions/3/").status_code == 404


def test_no_new_version_while_a_draft_exists(pat_client, pat, force_a, soteria_2024):
    write_draft(pat=pat, force=force_a, inspection=soteria_2024)
    page = pat_client.post(base(force_a, soteria_2024) + "/new-version/", follow=True)
    assert "There is already a draft" in page.content.decode()
    assert ResponseRecord.objects.count() == 1


def test_a_version_published_before_versions_existed_still_reads(
    pat_client, pat, force_a, soteria_2024
):
    record = write_draft(pat=pat, force=force_a, inspection=soteria_2024)
    old = services.record_content(record=record)
    for key in ("version", "state", "publication_date", "commissioner_title", "grade"):
        del old[key]
    for rec in old["recommendations"]:
        del rec["quoted"], rec["status"]
    ResponseRecord.objects.filter(pk=record.pk).update(
        state="published",
        published_by=pat,
        published_at=dt.datetime(2024, 9, 1, tzinfo=dt.UTC),
        snapshot={**old, "published_by": "Pat Lee"},
    )
    page = pat_client.get(base(force_a, soteria_2024) + "/")
    assert page.status_code == 200
    assert "published before a chief officer's approval was required" in page.content.decode()
    assert pat_client.get(base(force_a, soteria_2024) + ".docx").status_code == 200


# Who may do what --------------------------------------------------------------------------


def test_roles_for_approving_and_publishing(client, alice, sam, pat, force_a, soteria_2024):
    record = write_draft(pat=pat, force=force_a, inspection=soteria_2024)
    client.force_login(pat)
    assert client.post(base(force_a, soteria_2024) + "/approve/").status_code == 403
    services.approve_chief_constable_response(record=record, by=alice)
    for user in (alice, sam):
        client.force_login(user)
        assert client.get(base(force_a, soteria_2024) + "/publish/").status_code == 403
        assert (
            client.post(
                base(force_a, soteria_2024) + "/publish/", {"version": 1, "confirm": "on"}
            ).status_code
            == 403
        )
    client.force_login(alice)
    assert client.get(base(force_a, soteria_2024) + "/").status_code == 200
    assert client.get(base(force_a, soteria_2024) + "/edit/").status_code == 403
    services.publish_record(record=record, by=pat, version=1)
    assert client.post(base(force_a, soteria_2024) + "/new-version/").status_code == 403
    assert ResponseRecord.objects.count() == 1


def test_bob_cannot_read_or_act_on_alices_record(bob_client, pat, alice, force_a, soteria_2024):
    publish_version_1(pat=pat, alice=alice, force=force_a, inspection=soteria_2024)
    url = base(force_a, soteria_2024)
    for suffix in ("/", "/edit/", ".docx", "/versions/1/", "/versions/1.docx", "/publish/"):
        assert bob_client.get(url + suffix).status_code == 404, suffix
    for suffix in ("/approve/", "/publish/", "/new-version/"):
        assert bob_client.post(url + suffix, {"version": 1, "confirm": "on"}).status_code == 404
    assert ResponseRecord.objects.count() == 1


def test_another_forces_pcc_office_cannot_reach_alices_versions(
    quinn, pat, alice, force_a, force_b, soteria_2024
):
    publish_version_1(pat=pat, alice=alice, force=force_a, inspection=soteria_2024)
    client = Client()
    client.force_login(quinn)
    assert client.get(base(force_b, soteria_2024) + "/versions/1/").status_code == 404
    assert client.get(base(force_a, soteria_2024) + "/versions/1/").status_code == 404
    assert client.post(base(force_a, soteria_2024) + "/new-version/").status_code == 404


# The Staffordshire layout -----------------------------------------------------------------


def test_the_page_follows_the_staffordshire_layout(pat_client, pat, alice, force_a, soteria_2024):
    factories.response(
        force=force_a, rec=soteria_2024.recommendations.get(number="9"), status=Status.IN_PROGRESS
    )
    publish_version_1(pat=pat, alice=alice, force=force_a, inspection=soteria_2024)
    page = pat_client.get(base(force_a, soteria_2024) + "/")
    html = page.content.decode()
    assert '<p class="mb-0" id="record-version">Version: 1</p>' in html
    assert "Publication date: " in html
    labels = [
        "Force",
        "Police and Crime Commissioner",
        "Chief Constable",
        "Title of inspection",
        "Published Date",
        "Inspectorate",
        "Summary of inspection",
        "Grade",
        "Recommendations",
    ]
    positions = [html.index(f'<th scope="row">{label}</th>') for label in labels]
    assert positions == sorted(positions)
    content = page.context["content"]
    rec7 = next(r for r in content["recommendations"] if r["number"] == "7")
    assert rec7["quoted"].startswith("all chief constables should make sure")
    assert rec7["quoted"].endswith(
        "- all relevant personnel complete National Operating Model training on using "
        "criminal and civil orders to tackle RASSO."
    )
    section = html[html.index('id="cc-response-7"') :]
    assert rec7["quoted"].replace("'", "&#x27;") in section
    assert "By 31 January 2025" not in section[: section.index("</div>")]
    assert "Status: In progress" in html[html.index('id="cc-response-9"') :]


def test_the_commissioners_title_is_the_forces(client, quinn, force_b, soteria_2024):
    client.force_login(quinn)
    form = client.get(base(force_b, soteria_2024) + "/edit/").context["form"]
    assert form.fields["pcc_name"].label == "Police, fire and crime commissioner"
    record = write_draft(pat=quinn, force=force_b, inspection=soteria_2024, pcc_name="")
    html = client.get(base(force_b, soteria_2024) + "/").content.decode()
    assert '<th scope="row">Police, Fire and Crime Commissioner</th>' in html
    assert "Police, Fire and Crime Commissioner's initial response" in html
    assert "the police, fire and crime commissioner&#x27;s name" in html
    force_b.commissioner_title = "Mayor of Greater Manchester"
    force_b.save()
    content = services.record_content(record=record)
    assert "the Mayor of Greater Manchester's name" in services.missing_sections(content=content)


def test_the_record_page_reads_in_a_fixed_number_of_queries(
    pat_client, pat, alice, force_a, soteria_2024, django_assert_max_num_queries
):
    record = write_draft(pat=pat, force=force_a, inspection=soteria_2024)
    services.approve_chief_constable_response(record=record, by=alice)
    with django_assert_max_num_queries(16):
        assert pat_client.get(base(force_a, soteria_2024) + "/").status_code == 200
