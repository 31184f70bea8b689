"""The Soteria lead reviews a return: approve, return with a comment, reopen."""

from kpis.evidence import services as service
from kpis.models import EvidenceReturn, KpiSnapshot

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD

Status = EvidenceReturn.Status


def url(force, action, pillar=4):
    return f"/forces/{force.slug}/evidence/{PERIOD.slug}/pillar-{pillar}/{action}/"


def submitted(ret, pat):
    service.submit_return(evidence_return=ret, by=pat)
    return ret


def test_the_soteria_lead_approves_and_the_snapshots_are_recomputed(
    client, sam, pat, draft_return, force_a, django_capture_on_commit_callbacks
):
    submitted(draft_return, pat)
    client.force_login(sam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(force_a, "review"), {"decision": "approve"})
    assert response.status_code == 302
    draft_return.refresh_from_db()
    assert draft_return.status == Status.APPROVED
    assert draft_return.reviewed_by == sam
    assert KpiSnapshot.objects.filter(
        force=force_a, period=PERIOD.slug, kpi__slug="sickness-days", value=4.5
    ).exists()


def test_returning_needs_a_comment_and_records_it(client, sam, pat, draft_return, force_a):
    submitted(draft_return, pat)
    client.force_login(sam)
    client.post(url(force_a, "review"), {"decision": "return", "comment": ""})
    draft_return.refresh_from_db()
    assert draft_return.status == Status.SUBMITTED
    client.post(url(force_a, "review"), {"decision": "return", "comment": "Which HR report?"})
    draft_return.refresh_from_db()
    assert draft_return.status == Status.RETURNED
    assert draft_return.reviewer_comment == "Which HR report?"


def test_a_pillar_lead_cannot_approve(client, pat, draft_return, force_a):
    submitted(draft_return, pat)
    client.force_login(pat)
    assert client.post(url(force_a, "review"), {"decision": "approve"}).status_code == 403
    draft_return.refresh_from_db()
    assert draft_return.status == Status.SUBMITTED


def test_bob_cannot_review_force_a(bob_client, pat, draft_return, force_a):
    submitted(draft_return, pat)
    assert bob_client.post(url(force_a, "review"), {"decision": "approve"}).status_code == 404


def test_review_rejects_get(client, sam, force_a, draft_return):
    client.force_login(sam)
    assert client.get(url(force_a, "review")).status_code == 405


def test_reopening_unlocks_and_is_recorded(client, sam, approved_return, force_a):
    client.force_login(sam)
    client.post(url(force_a, "reopen"), {"reason": ""})
    approved_return.refresh_from_db()
    assert approved_return.status == Status.APPROVED
    client.post(url(force_a, "reopen"), {"reason": "HR re-ran the sickness report"})
    approved_return.refresh_from_db()
    assert approved_return.status == Status.RETURNED
    page = client.get(url(force_a, "")[:-1])
    assert "Reopened: HR re-ran the sickness report" in page.content.decode()


def test_a_pillar_lead_cannot_reopen(client, pat, approved_return, force_a):
    client.force_login(pat)
    assert client.post(url(force_a, "reopen"), {"reason": "mine"}).status_code == 403
