"""Recommendations tell people what moved on, and put work on their "my work" page.

Alice (chief officer) signs off; Pat's PCC office and Owen (who owned an action) hear of it.
Pat writes the response record; Alice hears it awaits her approval and finds it on her page;
once approved Pat finds it to publish; on publishing, the PCC office and Sam (Soteria lead)
hear of it. Bob (Staffordshire) hears of nothing."""

import datetime as dt

import pytest
from django.core import mail

from recommendations import services
from recommendations.models import ActionStatus, Status
from recommendations.services.work import my_work
from soteria.models import Notification
from soteria.work import Section

from . import factories
from .test_response_record import publish_version_1, write_draft

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def notified(verb):
    return sorted(n.recipient.username for n in Notification.objects.filter(verb=verb))


@pytest.fixture
def ready_to_sign(force_a, rec11, pat, owen):
    response = factories.response(force=force_a, rec=rec11, status=Status.AWAITING_SIGN_OFF)
    action = services.add_action(
        response=response, by=pat, title="Problem profile", owner=owen, due_date=TODAY
    )
    factories.update(response=response, by=owen, action=action, files=1)
    services.update_action(
        action=action,
        by=owen,
        title=action.title,
        owner=owen,
        due_date=action.due_date,
        status=ActionStatus.COMPLETE,
    )
    return response


def test_sign_off_tells_the_pcc_office_and_the_action_owners(
    alice, bob, sam, ready_to_sign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_off(response=ready_to_sign, by=alice, note="Seen the profile.")
    assert notified("recommendation signed off") == ["owen", "pat"]
    note = Notification.objects.get(recipient__username="pat")
    title = ready_to_sign.recommendation.inspection.title
    assert note.text == (
        f"Alice signed off recommendation 11 of “{title}” (Avon and Somerset) as complete: "
        "Seen the profile."
    )
    assert note.link == ready_to_sign.get_absolute_url()
    assert sorted(m.to[0] for m in mail.outbox) == ["owen@example.org", "pat@example.org"]


def test_a_chief_officer_finds_recommendations_awaiting_sign_off(alice, bob, ready_to_sign):
    items = [i for i in my_work(user=alice, today=TODAY) if i.section == Section.AWAITING]
    title = ready_to_sign.recommendation.inspection.title
    assert [i.title for i in items] == [f"Sign off recommendation 11 of “{title}”"]
    assert items[0].url == ready_to_sign.get_absolute_url()
    assert my_work(user=bob, today=TODAY) == []


def test_a_draft_written_in_full_awaits_the_chief_officers_approval(
    alice, bob, pat, force_a, soteria_2024
):
    record = write_draft(pat=pat, force=force_a, inspection=soteria_2024)
    assert notified("response record awaiting approval") == ["alice"]
    write_draft(pat=pat, force=force_a, inspection=soteria_2024, summary="Edited.")
    assert notified("response record awaiting approval") == ["alice"]  # told once
    titles = [i.title for i in my_work(user=alice, today=TODAY)]
    assert (
        f"Approve the chief constable's response in the response record to “{soteria_2024.title}”"
        in titles
    )
    assert not [i for i in my_work(user=pat, today=TODAY) if i.title.startswith("Publish")]
    services.approve_chief_constable_response(record=record, by=alice)
    assert not [i for i in my_work(user=alice, today=TODAY) if i.title.startswith("Approve")]
    publish = [i for i in my_work(user=pat, today=TODAY) if i.title.startswith("Publish")]
    assert [i.url for i in publish] == [
        f"/forces/{force_a.slug}/recommendations/inspections/{soteria_2024.slug}/response-record/"
    ]


def test_publishing_tells_the_pcc_office_and_the_soteria_lead(
    alice, bob, pat, sam, make_user, force_a, soteria_2024
):
    from soteria.models import Role

    make_user("penny", Role.PCC_STAFF, force_a)
    record = publish_version_1(pat=pat, alice=alice, force=force_a, inspection=soteria_2024)
    assert notified("response record published") == ["penny", "sam"]  # not Pat: he did it
    assert Notification.objects.get(recipient=sam, verb="response record published").link == (
        record.get_absolute_url()
    )


def test_the_pcc_office_sees_recommendations_past_their_deadline(pat, force_a, rec11):
    rec11.deadline = TODAY - dt.timedelta(days=3)
    rec11.save()
    factories.response(force=force_a, rec=rec11, status=Status.IN_PROGRESS)
    overdue = [i for i in my_work(user=pat, today=TODAY) if i.section == Section.OVERDUE]
    mine = [i for i in overdue if i.url == f"/forces/{force_a.slug}/recommendations/{rec11.pk}/"]
    assert len(mine) == 1 and mine[0].overdue
    assert "Past deadline" in mine[0].detail


def test_an_action_owner_sees_their_actions(owen, pat, force_a, rec11):
    response = factories.response(force=force_a, rec=rec11)
    services.add_action(
        response=response,
        by=pat,
        title="Write the problem profile",
        owner=owen,
        due_date=TODAY - dt.timedelta(days=1),
    )
    (item,) = my_work(user=owen, today=TODAY)
    assert item.title == "Improvement action: Write the problem profile"
    assert item.section == Section.OVERDUE and item.overdue
