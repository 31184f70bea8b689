"""The PCC office records its own response, with actions, to recommendations addressed to PCCs
or to national bodies; the force's editors and chief officers read it."""

import datetime as dt

import pytest

from recommendations import services
from recommendations.models import Action, ActionStatus, Addressee, Response, Status
from soteria.models import Role

from . import factories

pytestmark = pytest.mark.django_db


def url(force, rec, what=""):
    return f"/forces/{force.slug}/recommendations/{rec.pk}/{what}"


def form_data(owner):
    return {
        "owner": owner.pk,
        "status": Status.IN_PROGRESS,
        "rag": "amber",
        "planned_closedown": "2025-06-30",
        "pcc_response": "The PCC will press the Home Office for long-term funding.",
    }


def test_pcc_staff_record_the_offices_response_to_a_national_recommendation(
    pat_client, pat, force_a, rec14
):
    page = pat_client.get(url(force_a, rec14)).content.decode()
    assert "Followed for information" in page
    assert "The PCC office's response" in page
    assert "Edit the response" in page
    assert pat_client.post(url(force_a, rec14, "edit/"), form_data(pat)).status_code == 302
    saved = Response.objects.get(force=force_a, recommendation=rec14)
    assert (saved.owner, saved.status, saved.pcc_response) == (
        pat,
        Status.IN_PROGRESS,
        "The PCC will press the Home Office for long-term funding.",
    )
    assert "press the Home Office" in pat_client.get(url(force_a, rec14)).content.decode()


def test_pcc_staff_add_actions_and_close_the_offices_response(
    pat_client, pat, force_a, rec14, make_user
):
    """Pat signs off what a colleague evidenced: no one signs off their own evidence."""
    colleague = make_user("priya", Role.PCC_STAFF, force_a)
    assert (
        pat_client.post(
            url(force_a, rec14, "actions/new/"),
            {"title": "Write to the Policing Minister", "owner": pat.pk, "due_date": "2030-01-31"},
        ).status_code
        == 302
    )
    action = Action.objects.get(response__recommendation=rec14)
    factories.update(response=action.response, by=colleague, action=action, files=1)
    services.update_action(
        action=action,
        by=pat,
        title=action.title,
        owner=pat,
        due_date=action.due_date,
        status=ActionStatus.COMPLETE,
    )
    pat_client.post(url(force_a, rec14, "sign-off/"), {"note": "Letter sent."})
    response = Response.objects.get(recommendation=rec14)
    assert (response.status, response.signed_off_by) == (Status.COMPLETE, pat)


def test_a_recommendation_can_be_addressed_to_pccs(pat_client, pat, force_a):
    inspection = services.create_inspection(
        by=pat,
        force=force_a,
        title="Victim services commissioning",
        inspectorate="HMICFRS",
        published=dt.date(2025, 5, 1),
        summary="",
        url="",
        areas_for_improvement="",
    )
    pat_client.post(
        f"/forces/{force_a.slug}/recommendations/inspections/{inspection.slug}/recommendations/new/",
        {
            "number": "1",
            "text": "PCCs should commission ISVA services for three years at a time.",
            "addressee": Addressee.PCCS,
            "addressee_detail": "Police and crime commissioners",
        },
    )
    rec = inspection.recommendations.get()
    assert not rec.for_forces
    register = pat_client.get(f"/forces/{force_a.slug}/recommendations/")
    assert rec in [row.recommendation for row in register.context["pcc_rows"]]
    assert pat_client.post(url(force_a, rec, "edit/"), form_data(pat)).status_code == 302


def test_the_force_reads_but_does_not_write_the_pcc_offices_response(
    client, sam, alice, pat, force_a, rec14
):
    response = factories.response(force=force_a, rec=rec14, pcc_response="Our view.")
    factories.update(response=response, by=pat, files=1)
    for user in (sam, alice):
        client.force_login(user)
        page = client.get(url(force_a, rec14))
        assert "Our view." in page.content.decode()
        assert client.post(url(force_a, rec14, "edit/"), form_data(pat)).status_code == 403
        assert client.get(url(force_a, rec14, "actions/new/")).status_code == 403
    assert client.post(url(force_a, rec14, "sign-off/")).status_code == 403
    assert Response.objects.get().status != Status.COMPLETE


def test_bob_cannot_see_or_write_the_pcc_offices_response(bob_client, pat, force_a, rec14):
    factories.response(force=force_a, rec=rec14, pcc_response="Avon's view.")
    for what in ("", "edit/", "actions/new/", "updates/new/"):
        assert bob_client.get(url(force_a, rec14, what)).status_code == 404
