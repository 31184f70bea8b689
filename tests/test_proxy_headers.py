"""X-Forwarded-Proto and X-Forwarded-For are believed only when TRUSTED_PROXY says a proxy is in front."""

import pytest
from django.test import RequestFactory

from soteria.proxy import client_ip

from .production import production_settings

pytestmark = pytest.mark.django_db


def _production(**env):
    value = production_settings("SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", **env)
    header = value["SECURE_PROXY_SSL_HEADER"]
    return (tuple(header) if header else None), value["SECURE_SSL_REDIRECT"]


def test_production_without_a_proxy_ignores_a_forged_forwarded_proto(client, settings):
    header, redirect = _production()
    assert header is None and redirect is True
    settings.SECURE_PROXY_SSL_HEADER, settings.SECURE_SSL_REDIRECT = header, redirect

    response = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"


def test_production_behind_a_trusted_proxy_believes_its_forwarded_proto(client, settings):
    header, redirect = _production(TRUSTED_PROXY="True")
    assert header == ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_PROXY_SSL_HEADER, settings.SECURE_SSL_REDIRECT = header, redirect

    assert client.get("/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/login/", HTTP_X_FORWARDED_PROTO="http").status_code == 301


def test_the_health_check_is_answered_over_plain_http_in_production(client, settings):
    settings.SECURE_PROXY_SSL_HEADER, settings.SECURE_SSL_REDIRECT = _production()

    response = client.get("/health/")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_client_address_ignores_a_forged_forwarded_for_without_a_proxy(settings):
    settings.TRUSTED_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_ip(request) == "203.0.113.9"


def test_client_address_is_what_the_trusted_proxy_saw(settings):
    settings.TRUSTED_PROXY = True
    request = RequestFactory().get(
        "/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7"
    )
    assert client_ip(request) == "198.51.100.7"
