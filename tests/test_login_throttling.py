"""Sign-in throttling (django-axes): five wrong passwords lock the account, wherever they come from."""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password, address):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_guesses_spread_over_five_addresses_lock_the_account(client, alice):
    statuses = [_sign_in(client, "alice", "wrong", f"198.51.100.{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the form again four times, then locked

    response = _sign_in(client, "alice", "password", "203.0.113.50")

    assert response.status_code == 429
    assert b"Sign-in temporarily locked" in response.content
    assert "_auth_user_id" not in client.session


def test_other_accounts_at_the_same_address_can_still_sign_in(client, alice, bob):
    for _ in range(5):
        _sign_in(client, "alice", "wrong", "198.51.100.1")

    response = _sign_in(client, "bob", "password", "198.51.100.1")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_four_failures_do_not_lock_and_a_success_clears_them(client, alice):
    for n in range(4):
        _sign_in(client, "alice", "wrong", f"198.51.100.{n + 1}")

    assert _sign_in(client, "alice", "password", "198.51.100.9").status_code == 302
    assert not AccessAttempt.objects.filter(username="alice", failures_since_start__gt=0).exists()


def test_behind_a_trusted_proxy_the_forwarded_address_is_recorded(client, alice, settings):
    settings.TRUSTED_PROXY = True
    client.post(
        "/login/",
        {"username": "alice", "password": "wrong"},
        REMOTE_ADDR="172.18.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert AccessAttempt.objects.get(username="alice").ip_address == "198.51.100.7"
