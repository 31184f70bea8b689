"""`make run` on a database that already holds this version of the data skips the loads.

Each load records a fingerprint (soteria/dataloads.py); a second call with the same
fingerprint does one query and loads nothing, and a changed fingerprint loads again.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from panels.models import Meeting
from soteria import dataloads
from soteria.models import DataLoad, Force

pytestmark = pytest.mark.django_db

# The real demo loaders import and recompute for a minute; the panels loader is a real one
# that is quick, and it needs the demo users.
QUICK_DEMO = ["panels.demo.load_demo_panels"]


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True


def queries(call) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured)


def test_reference_data_loads_once_then_a_second_call_is_one_query():
    counts, first = queries(dataloads.ensure_reference_data)
    assert counts["forces"] == 43 and first > 100
    again, second = queries(dataloads.ensure_reference_data)
    assert again is None and second <= 3  # the version check, inside its savepoint


def test_reference_data_loads_again_when_a_fixture_changes(monkeypatch, tmp_path):
    dataloads.ensure_reference_data()
    Force.objects.filter(slug="staffordshire").update(full_name="Edited by hand")
    assert dataloads.ensure_reference_data() is None  # same fixtures: the edit stands
    monkeypatch.setattr(dataloads, "reference_data_version", lambda: "a new fixture")
    assert dataloads.ensure_reference_data()["forces"] == 43
    assert Force.objects.get(slug="staffordshire").full_name != "Edited by hand"
    assert DataLoad.objects.get(name="reference data").version == "a new fixture"


def test_demo_users_are_created_once_and_still_listed_on_the_second_call():
    rows, first = queries(dataloads.ensure_demo_users)
    assert first > 50 and get_user_model().objects.filter(username="avon-chief-officer").exists()
    again, second = queries(dataloads.ensure_demo_users)
    assert again == rows and second <= 4  # the version check and the two forces' names


def test_demo_data_loads_once_and_the_fingerprint_names_the_quarter(settings, monkeypatch):
    settings.DEMO_DATA_LOADERS = QUICK_DEMO
    dataloads.ensure_demo_users()
    counts, first = queries(dataloads.ensure_demo_data)
    # Each demo force's panel: two finalised meetings and the next one.
    assert counts == {"demo panels": 2, "demo panel meetings": 6} and first > 50
    again, second = queries(dataloads.ensure_demo_data)
    assert again is None and second == 1
    assert Meeting.objects.count() == 6

    from soteria.periods import Period

    next_quarter = Period.latest_complete().next()
    monkeypatch.setattr(Period, "latest_complete", classmethod(lambda cls: next_quarter))
    assert dataloads.ensure_demo_data() is not None  # a new quarter: the demo data is regenerated


def test_the_fingerprint_follows_the_demo_code_and_the_modules_it_names(settings):
    base = dataloads.demo_data_version(seed=1)
    assert dataloads.demo_data_version(seed=1) == base
    assert dataloads.demo_data_version(seed=2) != base
    settings.DEMO_DATA_LOADERS = QUICK_DEMO
    assert dataloads.demo_data_version(seed=1) != base
    import panels.demo
    import panels.models

    named = dataloads._named_modules(panels.demo)
    assert panels.models in named and panels.demo in named


def test_the_command_says_the_demo_data_is_loaded_and_force_reloads_it(settings, capsys):
    settings.DEMO_DATA_LOADERS = QUICK_DEMO
    call_command("create_demo_users")
    call_command("load_demo_data")
    assert "demo panel meetings: 6" in capsys.readouterr().out
    call_command("load_demo_data")
    assert "already loaded" in capsys.readouterr().out
    call_command("load_demo_data", "--force")
    assert "demo panel meetings: 6" in capsys.readouterr().out
    call_command("create_demo_users")
    assert "avon-chief-officer" in capsys.readouterr().out  # listed even when nothing was created
