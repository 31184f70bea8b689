"""Notifications: in the app under the bell, and by e-mail after the change commits.

Pat (pillar 4 lead) submits; Sam (Soteria lead) hears of it and approves with a comment;
Pat hears of that with the comment. Bob in Staffordshire hears of nothing in Avon and
Somerset. A mail server that is down never undoes the change it would have told of."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from kpis.evidence import services as evidence
from kpis.models import EvidenceReturn
from soteria.models import Notification
from soteria.notifications import notify

from .kpis.evidence_personas import *  # noqa: F403
from .kpis.evidence_personas import PERIOD

RETURN = f"/forces/avon-and-somerset/evidence/{PERIOD.slug}/pillar-4/"


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def test_submitting_tells_the_soteria_lead_by_notification_and_email(
    draft_return, pat, sam, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence.submit_return(evidence_return=draft_return, by=pat)
    note = Notification.objects.get(recipient=sam)
    assert note.verb == "return submitted"
    assert note.link == RETURN
    assert note.text == (
        "Pat Lee submitted the 2024/25 Q1 evidence return for Pillar 4: Investigators' "
        "learning, development and well-being (Avon and Somerset): it awaits your approval."
    )
    assert not Notification.objects.exclude(recipient=sam).exists()  # not Pat, not Bob
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    assert RETURN in mail.outbox[0].body
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_approving_with_a_comment_tells_the_pillar_lead_with_the_comment(
    client, draft_return, pat, sam, django_capture_on_commit_callbacks
):
    evidence.submit_return(evidence_return=draft_return, by=pat)
    client.force_login(sam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RETURN + "review/", {"decision": "approve", "comment": "Well evidenced."})
    note = Notification.objects.get(recipient=pat)
    assert note.verb == "return approved"
    assert note.text.endswith(", commenting: Well evidenced.")
    pat_mail = [m for m in mail.outbox if m.to == ["pat@example.org"]]
    assert len(pat_mail) == 1 and "Well evidenced." in pat_mail[0].body


def test_returning_tells_the_pillar_lead_what_to_change(draft_return, pat, sam):
    evidence.submit_return(evidence_return=draft_return, by=pat)
    evidence.return_for_changes(evidence_return=draft_return, by=sam, comment="Which report?")
    note = Notification.objects.get(recipient=pat)
    assert note.verb == "return returned"
    assert note.text.endswith("back for changes: Which report?")


def test_a_mail_server_that_is_down_loses_nothing(
    client, settings, draft_return, pat, sam, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_notifications.BrokenBackend"
    evidence.submit_return(evidence_return=draft_return, by=pat)
    client.force_login(sam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RETURN + "review/", {"decision": "approve", "comment": "Fine."})
    assert response.status_code == 302
    draft_return.refresh_from_db()
    assert draft_return.status == EvidenceReturn.Status.APPROVED
    note = Notification.objects.get(recipient=pat, verb="return approved")
    assert note.emailed_at is None  # left for another run; the in-app notice stands


def test_only_people_who_may_see_it_in_the_force_hear(pat, sam, bob, bea, force_a):
    sam.is_active = False
    sam.save()
    sent = notify(
        recipients=[pat, pat, sam, bob, bea, None],
        force=force_a,
        action="view_unapproved_evidence",
        verb="test",
        text="Something happened",
        link="/",
    )
    assert [n.recipient for n in sent] == [pat]


def test_the_person_who_did_it_is_not_told(pat, sam, force_a):
    sent = notify(
        by=sam,
        recipients=[pat, sam],
        force=force_a,
        action="view",
        verb="test",
        text="x",
        link="/",
    )
    assert [n.recipient for n in sent] == [pat]


@pytest.fixture
def pats_notes(pat, sam, force_a):
    def make(text):
        return notify(
            by=sam, recipients=[pat], force=force_a, action="view", verb="t", text=text, link=RETURN
        )[0]

    return make("First"), make("Second")


def test_the_bell_counts_unread_and_the_list_shows_them(client, pat, pats_notes):
    client.force_login(pat)
    page = client.get("/notifications/")
    html = page.content.decode()
    assert page.context["nav_unread"] == 2
    assert 'id="nav-unread">2<' in html
    assert html.index("Second") < html.index("First")  # newest first


def test_opening_one_marks_it_read_and_goes_to_the_work(client, pat, pats_notes):
    first, second = pats_notes
    client.force_login(pat)
    response = client.post(f"/notifications/{first.pk}/open/")
    assert response.status_code == 302 and response["Location"] == RETURN
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_read and not second.is_read
    assert client.get("/notifications/").context["nav_unread"] == 1


def test_mark_all_read(client, pat, pats_notes):
    client.force_login(pat)
    client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=pat, read_at__isnull=True).exists()
    assert "nav-unread" not in client.get("/notifications/").content.decode()


def test_no_one_opens_another_persons_notification(client, sam, pats_notes):
    client.force_login(sam)
    assert client.post(f"/notifications/{pats_notes[0].pk}/open/").status_code == 404
    pats_notes[0].refresh_from_db()
    assert not pats_notes[0].is_read
    assert "First" not in client.get("/notifications/").content.decode()


def test_opening_rejects_get(client, pat, pats_notes):
    client.force_login(pat)
    assert client.get(f"/notifications/{pats_notes[0].pk}/open/").status_code == 405
