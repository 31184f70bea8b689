"""The Soteria lead's comment on approving a return is kept, audited and shown."""

import pytest
from django.core.exceptions import ValidationError

from kpis.evidence import services as service
from kpis.models import EvidenceReturn

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD


def url(force, action=""):
    return f"/forces/{force.slug}/evidence/{PERIOD.slug}/pillar-4/{action}"


def test_approving_with_a_comment_keeps_it_on_the_return(
    client, sam, pat, draft_return, force_a, django_capture_on_commit_callbacks
):
    service.submit_return(evidence_return=draft_return, by=pat)
    client.force_login(sam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(force_a, "review/"),
            {"decision": "approve", "comment": "Good: add the HR extract next quarter."},
        )
    assert response.status_code == 302
    draft_return.refresh_from_db()
    assert draft_return.status == EvidenceReturn.Status.APPROVED
    assert draft_return.reviewer_comment == "Good: add the HR extract next quarter."
    latest = draft_return.history.latest()
    assert latest.history_change_reason == "Approved: Good: add the HR extract next quarter."
    assert latest.history_user == sam


def test_the_comment_shows_on_the_return_page_and_in_its_history(client, sam, pat, draft_return):
    service.submit_return(evidence_return=draft_return, by=pat)
    service.approve_return(evidence_return=draft_return, by=sam, comment="Well evidenced.")
    client.force_login(pat)
    page = client.get(url(draft_return.force)).content.decode()
    banner = page.split('id="reviewer-comment"')[1].split("</div>")[0]
    assert "Approved by Sam Roe, who commented:" in banner
    assert "Well evidenced." in banner
    history = page.split('id="history-heading"')[1]
    assert "Approved: Well evidenced." in history


def test_approving_without_a_comment_clears_the_old_request_for_changes(sam, pat, draft_return):
    service.submit_return(evidence_return=draft_return, by=pat)
    service.return_for_changes(evidence_return=draft_return, by=sam, comment="Which report?")
    service.submit_return(evidence_return=draft_return, by=pat)
    service.approve_return(evidence_return=draft_return, by=sam)
    draft_return.refresh_from_db()
    assert draft_return.reviewer_comment == ""
    assert draft_return.history.latest().history_change_reason == "Approved"


def test_a_comment_does_not_let_anyone_approve_their_own_return(pat, draft_return):
    service.submit_return(evidence_return=draft_return, by=pat)
    with pytest.raises(ValidationError):
        service.approve_return(evidence_return=draft_return, by=pat, comment="Fine")
    draft_return.refresh_from_db()
    assert draft_return.status == EvidenceReturn.Status.SUBMITTED
    assert draft_return.reviewer_comment == ""
