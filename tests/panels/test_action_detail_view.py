"""One action: its owner or a panel member records progress and closes it."""

import pytest

from panels.models import Action


@pytest.fixture
def action(judged_meeting):
    return judged_meeting.actions.get()


def url(action):
    return f"/forces/{action.meeting.panel.force.slug}/panels/actions/{action.pk}/"


def test_the_owner_closes_the_action_with_what_was_done(client_for, ruth, action):
    response = client_for(ruth).post(
        url(action), {"status": "closed", "due_date": "2024-09-30", "progress_note": "Briefed"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "closed" and action.closed_on is not None


def test_closing_without_saying_what_was_done_is_refused(client_for, ruth, action):
    response = client_for(ruth).post(url(action), {"status": "closed", "due_date": "2024-09-30"})
    assert response.context["form"].errors == {
        "progress_note": ["Say what was done before closing the action."]
    }
    assert Action.objects.get(pk=action.pk).status == "open"


def test_a_chief_officer_who_does_not_own_it_only_reads(client_for, alice, action):
    client = client_for(alice)
    page = client.get(url(action))
    assert page.status_code == 200 and page.context["form"] is None
    assert client.post(url(action), {"status": "closed"}).status_code == 403


def test_a_chief_officer_who_owns_it_may_update_it(client_for, alice, action):
    action.owner = alice
    action.save()
    response = client_for(alice).post(
        url(action),
        {"status": "in_progress", "due_date": "2024-12-31", "progress_note": "Under way"},
    )
    assert response.status_code == 302


def test_the_page_shows_the_history(client_for, ruth, action):
    client = client_for(ruth)
    client.post(
        url(action), {"status": "in_progress", "due_date": "2024-09-30", "progress_note": "x"}
    )
    assert "<strong>Status</strong>: Open → In progress" in client.get(url(action)).text


def test_bob_cannot_see_alices_action(client_for, bob, action):
    assert client_for(bob).get(url(action)).status_code == 404


def test_the_due_date_comes_up_filled_in_for_a_date_field(client_for, ruth, action):
    """A date field reads only ISO dates: "30/09/2024" would show as empty and be refused."""
    page = client_for(ruth).get(url(action)).text
    assert 'type="date" name="due_date" value="2024-09-30"' in page


def test_a_refused_update_shows_what_is_saved_not_what_was_typed(client_for, ruth, action):
    response = client_for(ruth).post(
        url(action), {"status": "closed", "due_date": "2024-09-30", "progress_note": ""}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert response.context["action"].status == "open"
    assert '<dd class="col-sm-9">Open</dd>' in response.text


def test_the_due_date_cannot_move_before_the_meeting(client_for, ruth, action):
    response = client_for(ruth).post(
        url(action), {"status": "open", "due_date": "2024-07-01", "progress_note": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "due_date": ["An action cannot be due before the meeting that raised it (15 July 2024)."]
    }
    assert str(Action.objects.get(pk=action.pk).due_date) == "2024-09-30"
