"""The force's action log, filtered by state."""

import pytest

from panels import services


@pytest.fixture
def url(force_a):
    return f"/forces/{force_a.slug}/panels/actions/"


def test_open_and_overdue_actions_are_listed(
    client_for, ruth, judged_meeting, url, django_assert_max_num_queries
):
    client = client_for(ruth)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert "Remind investigators to refer to ISVAs" in response.text
    assert "Overdue" in client.get(url + "?state=overdue").text
    assert "Remind investigators" not in client.get(url + "?state=closed").text


def test_closed_actions_move_to_the_closed_list(client_for, ruth, judged_meeting, url):
    action = judged_meeting.actions.get()
    services.update_action(action=action, by=ruth, status="closed", progress_note="Done")
    client = client_for(ruth)
    assert "Remind investigators" not in client.get(url).text
    assert "Remind investigators" in client.get(url + "?state=closed").text


def test_bob_cannot_see_alices_actions(client_for, bob, judged_meeting, url):
    assert client_for(bob).get(url).status_code == 404
