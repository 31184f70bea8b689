"""The PCC's overview page: every recommendation for the force, counts, flags and filters."""

import pytest

from recommendations.models import Status

from . import factories

pytestmark = pytest.mark.django_db


def url(force):
    return f"/forces/{force.slug}/recommendations/"


def test_it_lists_the_force_recommendations_with_status_counts(pat_client, force_a, rec11):
    factories.response(force=force_a, rec=rec11, status=Status.IN_PROGRESS)
    response = pat_client.get(url(force_a))
    assert response.status_code == 200
    counts = {code: count for code, _, count in response.context["counts"]}
    assert counts[Status.IN_PROGRESS] == 1
    assert counts[Status.NOT_STARTED] == 12  # 4 more of 2024, 8 of 2021
    assert len(response.context["rows"]) == 13
    assert len(response.context["pcc_rows"]) == 9
    assert f'id="rec-{rec11.pk}"' in response.content.decode()


def test_it_filters_by_status_and_by_flag(pat_client, force_a, rec11, alice):
    factories.response(
        force=force_a, rec=rec11, status=Status.COMPLETE, rag="green", signed_off_by=alice
    )
    rows = pat_client.get(url(force_a), {"status": Status.COMPLETE}).context["rows"]
    assert [r.recommendation for r in rows] == [rec11]
    flagged = pat_client.get(url(force_a), {"flag": "no-evidence"}).context["rows"]
    assert [r.recommendation for r in flagged] == [rec11]


def test_every_member_of_the_force_can_read_it(client, ruth, force_a):
    client.force_login(ruth)
    assert client.get(url(force_a)).status_code == 200


def test_bob_cannot_see_alices_register(bob_client, force_a):
    assert bob_client.get(url(force_a)).status_code == 404


def test_another_force_sees_its_own_responses_only(bob_client, force_a, force_b, rec11, alice):
    factories.response(
        force=force_a, rec=rec11, status=Status.COMPLETE, rag="green", signed_off_by=alice
    )
    rows = bob_client.get(url(force_b)).context["rows"]
    assert all(r.response is None for r in rows)


def test_the_register_reads_in_a_fixed_number_of_queries(
    pat_client, force_a, soteria_2024, pat, django_assert_max_num_queries
):
    for rec in soteria_2024.recommendations.filter(addressee="forces"):
        response = factories.response(force=force_a, rec=rec)
        factories.update(response=response, by=pat, files=1)
    with django_assert_max_num_queries(15):  # 14, and the navigation's unread notifications
        pat_client.get(url(force_a))
