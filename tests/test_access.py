"""Force scoping: members see their force, outsiders get 404, roles decide actions."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from kpis.models import KpiSnapshot
from soteria import access
from soteria.models import Pillar, Role


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_member_sees_only_their_force(alice, force_a, force_b):
    assert list(access.forces_for(alice)) == [force_a]
    assert access.get_force_for_user(_request(alice), force_a.slug) == force_a
    with pytest.raises(Http404):
        access.get_force_for_user(_request(alice), force_b.slug)


def test_a_user_without_membership_sees_nothing(db, force_a):
    nobody = get_user_model().objects.create_user("nobody", password="x")
    assert not access.forces_for(nobody).exists()
    assert not access.can(nobody, "view", force_a)


def test_unknown_actions_are_denied(alice, force_a):
    assert not access.can(alice, "launch_missiles", force_a)


def test_a_member_without_the_role_gets_403(ruth, force_a):
    with pytest.raises(PermissionDenied):
        access.get_force_for_user(_request(ruth), force_a.slug, "import")


def test_pillar_leads_edit_only_their_pillars(make_user, force_a, force_b):
    lead = make_user("pat", Role.PILLAR_LEAD, force_a, pillars=[3])
    assert access.can(lead, "edit_evidence", force_a, pillar=Pillar.objects.get(number=3))
    assert not access.can(lead, "edit_evidence", force_a, pillar=Pillar.objects.get(number=4))
    assert not access.can(lead, "edit_evidence", force_b, pillar=Pillar.objects.get(number=3))
    assert access.pillars_led(lead, force_a) == {Pillar.objects.get(number=3).pk}


def test_national_viewer_reads_every_force_but_changes_nothing(make_user, force_b):
    viewer = make_user("nina", Role.NATIONAL_VIEWER, None)
    assert access.forces_for(viewer).count() == 43
    assert access.can(viewer, "view", force_b)
    assert not access.can(viewer, "edit_recommendations", force_b)
    assert not access.forces_for(viewer, "import").exists()


def test_superuser_is_a_national_administrator(db, force_b):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    assert access.forces_for(root, "import").count() == 43
    assert access.can(root, "approve_anything_listed_or_not", force_b)


def test_scoped_filters_force_owned_rows(alice, force_a, force_b):
    from kpis.models import Kpi

    kpi = Kpi.objects.first()
    KpiSnapshot.objects.create(force=force_a, kpi=kpi, period="2024-25-q1", value=1)
    KpiSnapshot.objects.create(force=force_b, kpi=kpi, period="2024-25-q1", value=2)
    visible = access.scoped(KpiSnapshot.objects.all(), alice)
    assert [s.force for s in visible] == [force_a]


def test_get_for_user_is_404_for_another_forces_object(alice, bob, force_b):
    from kpis.models import Kpi

    snapshot = KpiSnapshot.objects.create(
        force=force_b, kpi=Kpi.objects.first(), period="2024-25-q1"
    )
    with pytest.raises(Http404):
        access.get_for_user(_request(alice), KpiSnapshot, snapshot.pk)
    assert access.get_for_user(_request(bob), KpiSnapshot, snapshot.pk) == snapshot


def test_sign_in_is_throttled_after_five_failures(client, alice):
    for _ in range(4):
        response = client.post("/login/", {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
    assert client.post("/login/", {"username": "alice", "password": "wrong"}).status_code == 429
    # Locked out: even the right password is refused now.
    response = client.post("/login/", {"username": "alice", "password": "password"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Sign-in temporarily locked" in response.content.decode()


# The national pages of peer groups and reconciliation: every role, read and write.
PEER_PAGES = [
    ("national:peer-groups", {}),
    ("national:peer-group", {"force_slug": "kent"}),
]
PEER_ACTIONS = [
    ("national:peer-group", {"force_slug": "kent"}),
    ("national:peer-group-reset", {"force_slug": "kent"}),
    ("national:peer-groups-recompute", {}),
]
FORCE_ROLES = sorted(access.EVERY_FORCE_ROLE)


@pytest.mark.parametrize(
    ("role", "national", "reads", "writes"),
    [
        *[(role, False, 200, 403) for role in FORCE_ROLES],
        (Role.EXTERNAL_PANEL_MEMBER, False, 403, 403),
        (Role.NATIONAL_VIEWER, True, 200, 403),
        (Role.NATIONAL_ANALYST, True, 200, 403),
        (Role.ADMINISTRATOR, True, 200, 302),
    ],
)
def test_peer_group_pages_by_role(client, make_user, force_a, role, national, reads, writes):
    from django.urls import reverse

    user = make_user(f"u-{role}", role, None if national else force_a)
    client.force_login(user)
    for name, kwargs in PEER_PAGES:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == reads, (name, role)
    for name, kwargs in PEER_ACTIONS:
        data = {"members": [force_a.pk], "reason": "Sweep"}
        assert client.post(reverse(name, kwargs=kwargs), data).status_code == writes, (name, role)


def test_a_user_without_membership_cannot_read_the_peer_groups(client, db):
    from django.urls import reverse

    client.force_login(get_user_model().objects.create_user("nobody", password="x"))
    assert client.get(reverse("national:peer-groups")).status_code == 403
    assert client.get(reverse("national:peer-group", args=["kent"])).status_code == 403


@pytest.mark.parametrize(
    ("role", "national", "status"),
    [
        *[
            (role, False, 200 if role in access.ACTIONS["view_imports"] else 403)
            for role in FORCE_ROLES
        ],
        (Role.EXTERNAL_PANEL_MEMBER, False, 404),
        (Role.NATIONAL_VIEWER, True, 403),
        (Role.NATIONAL_ANALYST, True, 403),
        (Role.ADMINISTRATOR, True, 200),
    ],
)
def test_the_reconciliation_page_by_role(client, make_user, force_a, role, national, status):
    from django.urls import reverse

    client.force_login(make_user(f"r-{role}", role, None if national else force_a))
    url = reverse("kpis:reconciliation", args=[force_a.slug])
    assert client.get(url).status_code == status, role


def test_another_forces_analyst_gets_404_for_the_reconciliation(
    client, make_user, force_a, force_b
):
    from django.urls import reverse

    client.force_login(make_user("bea", Role.ANALYST, force_b))
    assert client.get(reverse("kpis:reconciliation", args=[force_a.slug])).status_code == 404


# The problem profile and its downloads: every role that reads the deck, in its own force only.
PROFILE_URLS = ["problem-profile/", "problem-profile/download.xlsx", "problem-profile/download.zip"]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.EXTERNAL_PANEL_MEMBER])
def test_the_problem_profile_opens_for_every_deck_reader_in_their_force(
    role, make_user, client, force_a, force_b
):
    from kpis.imports.synthetic import add_synthetic_records

    add_synthetic_records(forces=[force_a, force_b], records=40, seed=2)
    national = role in (Role.NATIONAL_VIEWER, Role.NATIONAL_ANALYST)
    client.force_login(make_user("reader", role, None if national else force_a, pillars=[1]))
    for url in PROFILE_URLS:
        assert client.get(f"/forces/{force_a.slug}/{url}").status_code == 200, (role, url)
        other = client.get(f"/forces/{force_b.slug}/{url}").status_code
        assert other == (200 if national else 404), (role, url)


def test_the_problem_profile_is_refused_to_seated_and_anonymous_users(make_user, client, force_a):
    client.force_login(make_user("isva", Role.EXTERNAL_PANEL_MEMBER, force_a))
    for url in PROFILE_URLS:
        assert client.get(f"/forces/{force_a.slug}/{url}").status_code == 404, url
    client.logout()
    for url in PROFILE_URLS:
        response = client.get(f"/forces/{force_a.slug}/{url}")
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
