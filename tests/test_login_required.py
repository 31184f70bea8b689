"""Every page demands login: walk the whole URL tree and ask for each page anonymously."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"login", "health"}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name


def _concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\/", "/")
    route = re.sub(
        r"<(?:(\w+):)?(\w+)>",
        lambda m: {"int": "1", "path": "x"}.get(
            m[1] or "", "avon-and-somerset" if m[2] == "force_slug" else "x1"
        ),
        route,
    )
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    return "/" + route.replace("^", "").replace("$", "")


ROUTES = sorted(r for r in set(_walk(get_resolver().url_patterns)) if not r[0].startswith("admin/"))
pytestmark = pytest.mark.django_db


def test_the_walk_finds_the_pages():
    names = {name for _, name in ROUTES}
    assert {"home", "force-home", "flight-deck"} <= names


@pytest.mark.parametrize(("route", "name"), ROUTES)
def test_page_demands_login(client, route, name):
    if name in PUBLIC:
        assert client.get(_concrete(route)).status_code == 200
        return
    url = _concrete(route)
    response = client.get(url)
    assert response.status_code in (302, 404, 405), url
    if response.status_code == 302:
        assert response["Location"].startswith("/login/"), url


def test_admin_demands_staff_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
