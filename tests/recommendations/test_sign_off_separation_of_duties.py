"""Separation of duties: a chief officer cannot sign off evidence they added themselves."""

import pytest

from recommendations.models import Response, Status
from soteria.models import Role

from . import factories

pytestmark = pytest.mark.django_db


def url(force, rec):
    return f"/forces/{force.slug}/recommendations/{rec.pk}/sign-off/"


@pytest.fixture
def carol(make_user, force_a):
    return make_user("carol", Role.CHIEF_OFFICER, force_a, first_name="Carol")


def test_a_chief_officer_cannot_sign_off_their_own_evidence(alice_client, alice, force_a, rec11):
    response = factories.response(force=force_a, rec=rec11, status=Status.AWAITING_SIGN_OFF)
    factories.update(response=response, by=alice, files=1)

    page = alice_client.post(url(force_a, rec11), {"note": "Done."}, follow=True)

    assert "no one signs off their own evidence" in page.content.decode()
    assert Response.objects.get().status == Status.AWAITING_SIGN_OFF


def test_another_chief_officer_may_sign_it_off(client, alice, carol, force_a, rec11):
    response = factories.response(force=force_a, rec=rec11, status=Status.AWAITING_SIGN_OFF)
    factories.update(response=response, by=alice, files=1)
    client.force_login(carol)

    client.post(url(force_a, rec11), {"note": "Seen it."})

    response.refresh_from_db()
    assert (response.status, response.signed_off_by) == (Status.COMPLETE, carol)
