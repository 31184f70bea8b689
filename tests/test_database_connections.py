"""Persistent database connections survive the database dropping them (restart or failover)."""

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory

from .production import production_settings


def test_persistent_connections_are_health_checked_before_reuse():
    databases = production_settings(
        "DATABASES", DATABASE_URL="postgres://soteria:secret@db.example.org:5432/soteria"
    )["DATABASES"]
    assert databases["default"]["CONN_MAX_AGE"] > 0
    assert databases["default"]["CONN_HEALTH_CHECKS"] is True


def _request(path: str, cookies: str) -> int:
    """One request through the real WSGI handler, which (unlike the test client) runs the
    request_started signal that decides whether to keep a persistent connection."""
    environ = RequestFactory().get(path, HTTP_COOKIE=cookies).environ
    status = []
    body = WSGIHandler()(environ, lambda s, headers: status.append(s))
    b"".join(body)
    return int(status[0].split()[0])


@pytest.mark.django_db(transaction=True)
def test_a_page_still_loads_after_postgresql_drops_the_connection(alice, force_a):
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend needs PostgreSQL")
    if not connection.settings_dict["CONN_MAX_AGE"]:
        pytest.skip("persistent connections are off (DB_CONN_MAX_AGE=0)")
    client = Client()
    client.force_login(alice)
    cookies = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    page = f"/forces/{force_a.slug}/"
    assert _request(page, cookies) == 200
    assert connection.connection is not None  # kept open for the next request
    backend = connection.connection.info.backend_pid

    s = connection.settings_dict
    with psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])

    assert _request(page, cookies) == 200
    assert connection.connection.info.backend_pid != backend
