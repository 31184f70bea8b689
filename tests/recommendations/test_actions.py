"""Improvement-plan actions: editors add them, owners update their own, completion needs evidence."""

import datetime as dt

import pytest

from recommendations.models import Action, ActionStatus

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(force_a, rec11, owen, pat):
    from recommendations import services

    response = factories.response(force=force_a, rec=rec11)
    return services.add_action(
        response=response,
        by=pat,
        title="Publish the problem profile",
        owner=owen,
        due_date=dt.date(2025, 3, 1),
    )


def edit_url(force, action):
    return f"/forces/{force.slug}/recommendations/actions/{action.pk}/edit/"


def test_pcc_staff_add_an_action(pat_client, force_a, rec11, owen):
    response = pat_client.post(
        f"/forces/{force_a.slug}/recommendations/{rec11.pk}/actions/new/",
        {"title": "Adopt the flight deck KPIs", "owner": owen.pk, "due_date": "2025-03-31"},
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.title, action.owner, action.response.status) == (
        "Adopt the flight deck KPIs",
        owen,
        "in_progress",
    )


def test_an_action_needs_a_due_date(pat_client, force_a, rec11):
    response = pat_client.post(
        f"/forces/{force_a.slug}/recommendations/{rec11.pk}/actions/new/", {"title": "Something"}
    )
    assert response.context["form"].errors["due_date"] == ["This field is required."]


def test_the_owner_cannot_mark_it_complete_without_evidence(client, owen, force_a, action):
    client.force_login(owen)
    response = client.post(
        edit_url(force_a, action),
        {"title": action.title, "due_date": "2025-03-01", "status": ActionStatus.COMPLETE},
    )
    assert response.status_code == 200
    assert "without evidence" in response.context["form"].errors["status"][0]
    action.refresh_from_db()
    assert action.status != ActionStatus.COMPLETE


def test_the_owner_marks_it_complete_once_evidence_is_attached(client, owen, pat, force_a, action):
    factories.update(response=action.response, by=owen, action=action, files=1)
    client.force_login(owen)
    response = client.post(
        edit_url(force_a, action),
        {
            "title": "Renamed by the owner",
            "due_date": "2030-01-01",
            "status": ActionStatus.COMPLETE,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completed_by) == (ActionStatus.COMPLETE, owen)
    assert action.title == "Publish the problem profile"  # owners update status, not the plan
    assert action.history.first().history_change_reason == "Marked complete by Owen"


def test_someone_else_in_the_force_may_not_update_the_action(client, ruth, force_a, action):
    client.force_login(ruth)
    assert client.get(edit_url(force_a, action)).status_code == 403


def test_bob_cannot_see_the_action(bob_client, force_a, force_b, action):
    assert bob_client.get(edit_url(force_a, action)).status_code == 404
    assert bob_client.get(edit_url(force_b, action)).status_code == 404
