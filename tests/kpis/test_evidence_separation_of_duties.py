"""Separation of duties: no one approves an evidence return they submitted or entered.

Issue 12: a user who is both pillar lead and Soteria lead, or a force administrator,
could fill in a return, submit it and approve it themselves.
"""

import pytest
from django.core.exceptions import ValidationError

from kpis.evidence import services as service
from kpis.models import EvidenceReturn
from soteria.models import Role

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD, PILLAR4_FIGURES

Status = EvidenceReturn.Status


def url(force, action=""):
    return f"/forces/{force.slug}/evidence/{PERIOD.slug}/pillar-4/{action}"


@pytest.fixture
def ada(make_user, force_a):
    """Ada is Avon and Somerset's force administrator: she may edit and review returns."""
    return make_user("ada", Role.ADMINISTRATOR, force_a, first_name="Ada", last_name="Min")


@pytest.fixture
def adas_return(ada, force_a, pillar4):
    ret = service.start_return(force=force_a, pillar=pillar4, period=PERIOD, by=ada)
    service.save_return(evidence_return=ret, values=PILLAR4_FIGURES, narrative="Mine.", by=ada)
    service.submit_return(evidence_return=ret, by=ada)
    return ret


def test_the_submitter_cannot_approve_their_own_return(adas_return, ada):
    with pytest.raises(ValidationError, match="You submitted this return"):
        service.approve_return(evidence_return=adas_return, by=ada)

    adas_return.refresh_from_db()
    assert adas_return.status == Status.SUBMITTED


def test_whoever_entered_the_figures_cannot_approve_them_either(draft_return, ada, sam):
    service.save_return(
        evidence_return=draft_return, values=PILLAR4_FIGURES, narrative="Corrected.", by=ada
    )
    service.submit_return(evidence_return=draft_return, by=sam)  # a colleague presses submit

    with pytest.raises(ValidationError, match="You entered this return"):
        service.approve_return(evidence_return=draft_return, by=ada)
    with pytest.raises(ValidationError, match="You submitted this return"):
        service.approve_return(evidence_return=draft_return, by=sam)


def test_someone_else_may_approve_it(adas_return, sam):
    service.approve_return(evidence_return=adas_return, by=sam)

    adas_return.refresh_from_db()
    assert (adas_return.status, adas_return.reviewed_by) == (Status.APPROVED, sam)


def test_the_review_page_hides_approve_and_says_why(client, adas_return, ada, force_a):
    client.force_login(ada)

    body = client.get(url(force_a)).content.decode()

    assert 'value="approve"' not in body
    assert "someone else must approve it" in body
    assert 'value="return"' in body  # sending it back is still open to her


def test_the_approver_sees_the_button(client, adas_return, sam, force_a):
    client.force_login(sam)

    body = client.get(url(force_a)).content.decode()

    assert 'value="approve"' in body
    assert "someone else must approve it" not in body


def test_posting_approve_for_ones_own_return_is_refused(client, adas_return, ada, force_a):
    client.force_login(ada)

    page = client.post(url(force_a, "review/"), {"decision": "approve"}, follow=True)

    adas_return.refresh_from_db()
    assert adas_return.status == Status.SUBMITTED
    assert "no one approves their own return" in page.content.decode()
