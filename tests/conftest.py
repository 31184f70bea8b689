"""Personas and shared fixtures.

Alice is a chief officer in Avon and Somerset; Ruth reads Avon and Somerset as
a scrutiny panel member; Bob is a chief officer in Staffordshire and should
never see Alice's force. Reference data (forces, pillars, the NOM framework,
the KPI catalogue, code lists) is loaded once into the test database and put
back after any test that flushes it.
"""

import os
import shutil

import pytest
from django.contrib.auth import get_user_model

from soteria.models import Force, Membership, Pillar, Role

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "True"
CHROMIUM = "/usr/bin/chromium"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _reference_data_loaded() -> bool:
    from kpis.models import Kpi

    return Force.objects.count() == 43 and Kpi.objects.exists()


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        if not _reference_data_loaded():
            from soteria.services import load_reference_data

            load_reference_data()


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    from soteria.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture
def force_a(db):
    return Force.objects.get(slug="avon-and-somerset")


@pytest.fixture
def force_b(db):
    return Force.objects.get(slug="staffordshire")


@pytest.fixture
def make_user(db):
    def make(username: str, role: str, force: Force | None, pillars=(), **extra):
        user = get_user_model().objects.create_user(
            username=username, password="password", email=f"{username}@example.org", **extra
        )
        membership = Membership.objects.create(user=user, force=force, role=role)
        if pillars:
            membership.pillars.set(Pillar.objects.filter(number__in=pillars))
        return user

    return make


@pytest.fixture
def alice(make_user, force_a):
    return make_user("alice", Role.CHIEF_OFFICER, force_a, first_name="Alice")


@pytest.fixture
def ruth(make_user, force_a):
    return make_user("ruth", Role.PANEL_MEMBER, force_a, first_name="Ruth")


@pytest.fixture
def bob(make_user, force_b):
    return make_user("bob", Role.CHIEF_OFFICER, force_b, first_name="Bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


# Browser tests: Debian's Chromium driven by Playwright.
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which("chromium") and not os.path.exists(CHROMIUM):
        if REQUIRE_SERVICES:
            pytest.fail("Chromium is required in CI: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def login(live_server, page):
    """Sign in through the real login form."""

    def sign_in(username: str, password: str = "password"):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return sign_in


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Real-worker tests run first, before any live-server thread has touched the database
    and Celery's per-thread state (on SQLite a later worker waited on them for ever). Last,
    so that pytest-django's own ordering comes before it."""
    items.sort(key=lambda item: item.get_closest_marker("worker") is None)


def pytest_itemcollected(item):
    """`make test` spreads the tests over one process per core (pytest-xdist, --dist
    loadgroup). Tests that must share a process are grouped: the real-worker tests (one
    Redis queue) and the demo package (its data set is loaded once per process that runs it)."""
    if item.get_closest_marker("worker"):
        item.add_marker(pytest.mark.xdist_group("worker"))
    elif item.nodeid.startswith("tests/demo/"):
        item.add_marker(pytest.mark.xdist_group("demo"))
