"""Closure by evidence: a chief officer's audited sign-off, refused without evidence."""

import datetime as dt

import pytest

from recommendations import services
from recommendations.models import ActionStatus, Rag, Response, Status

from . import factories

pytestmark = pytest.mark.django_db


def url(force, rec, what="sign-off"):
    return f"/forces/{force.slug}/recommendations/{rec.pk}/{what}/"


def test_sign_off_is_refused_without_evidence(alice_client, force_a, rec11):
    factories.response(force=force_a, rec=rec11, status=Status.AWAITING_SIGN_OFF)
    page = alice_client.post(url(force_a, rec11), follow=True)
    assert "cannot be marked complete without evidence" in page.content.decode()
    assert Response.objects.get().status == Status.AWAITING_SIGN_OFF


def test_sign_off_with_evidence_is_recorded_under_the_chief_officers_name(
    alice_client, alice, pat, force_a, rec11
):
    response = factories.response(force=force_a, rec=rec11, status=Status.AWAITING_SIGN_OFF)
    factories.update(response=response, by=pat, files=1)
    alice_client.post(url(force_a, rec11), {"note": "Seen the profile."})
    response.refresh_from_db()
    assert (response.status, response.signed_off_by, response.sign_off_note) == (
        Status.COMPLETE,
        alice,
        "Seen the profile.",
    )
    assert response.history.first().history_change_reason == (
        "Signed off as complete by Alice: Seen the profile."
    )


def test_pcc_staff_may_not_sign_off(pat_client, force_a, rec11):
    factories.response(force=force_a, rec=rec11)
    assert pat_client.post(url(force_a, rec11)).status_code == 403


def test_sign_off_rejects_get(alice_client, force_a, rec11):
    factories.response(force=force_a, rec=rec11)
    assert alice_client.get(url(force_a, rec11)).status_code == 405


def test_bob_cannot_sign_off_alices_recommendation(bob_client, force_a, rec11, pat):
    response = factories.response(force=force_a, rec=rec11)
    factories.update(response=response, by=pat, files=1)
    assert bob_client.post(url(force_a, rec11)).status_code == 404
    response.refresh_from_db()
    assert response.status != Status.COMPLETE


def test_a_chief_officer_reopens_with_a_reason(alice_client, alice, pat, force_a, rec11):
    response = factories.response(force=force_a, rec=rec11)
    factories.update(response=response, by=pat, files=1)
    alice_client.post(url(force_a, rec11))
    alice_client.post(url(force_a, rec11, "reopen"), {"reason": "Evidence was a draft."})
    response.refresh_from_db()
    assert (response.status, response.signed_off_by) == (Status.IN_PROGRESS, None)
    assert (
        response.history.first().history_change_reason == "Reopened by Alice: Evidence was a draft."
    )


def test_sign_off_is_refused_while_an_action_is_open(alice_client, pat, force_a, rec11):
    response = factories.response(force=force_a, rec=rec11, rag=Rag.RED)
    factories.update(response=response, by=pat, files=1)
    services.add_action(
        response=response,
        by=pat,
        title="Publish the problem profile",
        owner=None,
        due_date=dt.date(2030, 3, 31),
    )
    page = alice_client.post(url(force_a, rec11), follow=True)
    assert (
        "It cannot be signed off while 1 action is open: “Publish the problem profile” "
        "(Not started). Complete or cancel it first."
    ) in page.content.decode().replace("&#x27;", "'")
    response.refresh_from_db()
    assert (response.status, response.rag) == (Status.IN_PROGRESS, Rag.RED)


def test_signing_off_turns_the_rag_green_and_reopening_clears_it(alice_client, pat, force_a, rec11):
    response = factories.response(force=force_a, rec=rec11, rag=Rag.RED)
    action = services.add_action(
        response=response, by=pat, title="Train", owner=None, due_date=dt.date(2030, 3, 31)
    )
    factories.update(response=response, by=pat, action=action, files=1)
    services.update_action(
        action=action,
        by=pat,
        title="Train",
        owner=None,
        due_date=dt.date(2030, 3, 31),
        status=ActionStatus.COMPLETE,
    )
    alice_client.post(url(force_a, rec11))
    response.refresh_from_db()
    assert (response.status, response.rag) == (Status.COMPLETE, Rag.GREEN)
    alice_client.post(url(force_a, rec11, "reopen"), {"reason": "Evidence was a draft."})
    response.refresh_from_db()
    assert (response.status, response.rag) == (Status.IN_PROGRESS, "")


def test_a_completed_recommendation_cannot_be_rated_anything_but_green(pat, alice, force_a, rec11):
    from django.core.exceptions import ValidationError

    response = factories.response(force=force_a, rec=rec11)
    factories.update(response=response, by=pat, files=1)
    services.sign_off(response=response, by=alice)
    with pytest.raises(ValidationError):
        services.update_response(
            response=response,
            by=pat,
            owner=None,
            pillars=[],
            status=Status.COMPLETE,
            rag=Rag.RED,
            planned_closedown=None,
            chief_constable_response="",
        )
