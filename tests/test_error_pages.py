"""Error pages are the service's own pages, say what happened and what to do next."""

import pytest
from django.test import Client, RequestFactory
from django.views import defaults


def test_404_is_styled_and_says_what_to_do(alice_client, force_b):
    page = alice_client.get(f"/forces/{force_b.slug}/")
    assert page.status_code == 404
    html = page.content.decode()
    assert [t.name for t in page.templates][:2] == ["404.html", "base.html"]
    assert "Page not found" in html
    assert "Check the address" in html
    assert 'href="/"' in html


def test_403_is_styled_and_says_who_can_help(alice_client, force_a):
    page = alice_client.get(f"/forces/{force_a.slug}/imports/")
    assert page.status_code == 403
    assert [t.name for t in page.templates][:2] == ["403.html", "base.html"]
    html = page.content.decode()
    assert "You do not have permission to open this page" in html
    assert "force administrator" in html
    assert "Chief officer" in html  # the role the user holds here


def test_a_csrf_failure_is_styled_and_says_to_reload(alice, force_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.post("/logout/")
    assert page.status_code == 403
    assert [t.name for t in page.templates][:2] == ["403_csrf.html", "base.html"]
    html = page.content.decode()
    assert "could not be sent" in html
    assert "reload" in html


def test_500_renders_without_a_request_context_or_the_database():
    """No `db` fixture: any database query here would fail the test."""
    request = RequestFactory().get("/forces/avon-and-somerset/")
    page = defaults.server_error(request)
    assert page.status_code == 500
    html = page.content.decode()
    assert "Something went wrong" in html
    assert "Soteria flight deck" in html
    assert "vendor/bootstrap/bootstrap.min.css" in html


@pytest.mark.parametrize("name", ["403.html", "404.html", "500.html", "403_csrf.html"])
def test_each_error_page_extends_the_base(name):
    from django.template.loader import get_template

    source = get_template(name).template.source
    assert source.startswith('{% extends "base.html" %}')
