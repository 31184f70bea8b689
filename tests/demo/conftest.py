"""The demo data set, loaded once for this package: the two demo forces' synthetic records
through the real importer, every app's demo data, and snapshots computed last, exactly as
`make run` loads it. Tests here read it and never change it; a live-server test (whose
database is flushed after it) gets it loaded again. The database is flushed when the
package is done, so no other test sees it."""

import pytest
from django.core.management import call_command

from kpis.models import CrimeRecord

DEMO_FORCES = ("avon-and-somerset", "staffordshire")
OFFENCES = ("all", "rape", "other")


def demo_username(force_slug: str, role: str) -> str:
    """The demo user of a role in a demo force, as `create_demo_users` names them."""
    return f"{force_slug.split('-')[0][:5]}-{role}"


def _load() -> None:
    from soteria.celery import app
    from soteria.services import create_demo_users, load_demo_data, load_reference_data

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    call_command("flush", interactive=False, verbosity=0)
    load_reference_data()
    create_demo_users()
    load_demo_data(seed=1)


@pytest.fixture
def chief(client):
    """Signs the client in as a demo force's chief officer; returns the quarters its deck
    offers, as its quarter control lists them."""
    from django.contrib.auth import get_user_model

    from . import pages

    def sign_in(force_slug: str) -> list[str]:
        user = get_user_model().objects.get(username=demo_username(force_slug, "chief-officer"))
        client.force_login(user)
        quarters, _ = pages.period_options(client.get(f"/forces/{force_slug}/flight-deck/").content)
        return quarters

    return sign_in


@pytest.fixture(scope="package")
def _demo_package(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(_demo_package, django_db_blocker):
    """The demo data set is in the database (loaded once, or again after a flush)."""
    from django.db import connection

    with django_db_blocker.unblock():
        # Loaded inside a test's transaction it would be rolled back: ask for ``demo`` first.
        assert not connection.in_atomic_block, "request the demo fixture before db"
        if not CrimeRecord.objects.exists():
            _load()
