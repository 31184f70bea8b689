"""Closure by evidence: a chief officer's audited sign-off, refused without evidence."""

import pytest

from recommendations.models import Response, Status

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
