import re

import pytest
from django.core.management import call_command

from soteria.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True


def test_it_creates_one_user_per_role_in_two_forces_and_prints_them(capsys):
    call_command("create_demo_users")
    out = capsys.readouterr().out
    assert "avon-chief-officer" in out and "staff-pcc-staff" in out and "password for all" in out
    force_roles = [r for r in Role if r != Role.NATIONAL_VIEWER]
    for slug in ("avon-and-somerset", "staffordshire"):
        roles = set(Membership.objects.filter(force__slug=slug).values_list("role", flat=True))
        assert roles == {r.value for r in force_roles}
    assert Membership.objects.filter(role=Role.NATIONAL_VIEWER, force=None).count() == 1


def test_it_creates_the_force_administrators_the_readme_lists(capsys):
    call_command("create_demo_users")
    out = capsys.readouterr().out
    for username, slug in (
        ("avon-administrator", "avon-and-somerset"),
        ("staff-administrator", "staffordshire"),
    ):
        (membership,) = Membership.objects.filter(user__username=username)
        assert (membership.force.slug, membership.role) == (slug, Role.ADMINISTRATOR)
        assert not membership.is_national
        assert re.search(rf"{username} +Force administrator – ", out)
    assert not Membership.objects.filter(role=Role.ADMINISTRATOR, force=None).exists()


def test_running_it_twice_creates_no_duplicates():
    call_command("create_demo_users")
    count = Membership.objects.count()
    call_command("create_demo_users")
    assert Membership.objects.count() == count


def test_it_refuses_to_run_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("create_demo_users")


def test_every_demo_user_has_the_password_it_was_given():
    from django.contrib.auth import get_user_model

    call_command("create_demo_users", "--password", "a-demo-password")
    users = get_user_model().objects.all()
    assert users.count() >= 17
    for user in users:
        assert user.check_password("a-demo-password") and not user.check_password("soteria-demo")
