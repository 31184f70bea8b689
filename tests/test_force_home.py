"""The force home page lays out the NOM framework and the pillars."""

from django.urls import reverse

from soteria.models import Role


def test_it_shows_the_framework_to_a_member(alice_client, force_a):
    response = alice_client.get(reverse("force-home", args=[force_a.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aim one – outcome justice for all victims" in body
    assert "In-force organisational improvement principles" in body
    assert "Pillar 6:" in body
    assert "Chief officer" in body  # the user's role is stated


def test_another_forces_page_is_404(alice_client, force_b):
    assert alice_client.get(reverse("force-home", args=[force_b.slug])).status_code == 404


def test_a_pillar_lead_of_force_a_gets_404_on_every_force_b_area(
    client, make_user, force_a, force_b
):
    lead = make_user("pat", Role.PILLAR_LEAD, force_a, pillars=[1])
    client.force_login(lead)
    for name in (
        "force-home",
        "kpis:flight-deck",
        "kpis:evidence",
        "panels:list",
        "recommendations:register",
    ):
        assert client.get(reverse(name, args=[force_b.slug])).status_code == 404, name
        # 302: the panels page takes a pillar lead to their pillars' panel actions
        assert client.get(reverse(name, args=[force_a.slug])).status_code in (200, 302, 403), name


def test_home_is_my_work_with_the_framework_in_the_navigation(alice_client, force_a):
    response = alice_client.get("/")
    assert response.status_code == 200
    assert '<h1 class="h2">My work</h1>' in response.content.decode()
    framework = reverse("force-home", args=[force_a.slug])
    assert [i.url for i in response.context["nav_items"] if i.label == "NOM framework"] == [
        framework
    ]


def test_the_force_list_shows_a_national_viewer_every_force(client, make_user):
    client.force_login(make_user("nina", Role.NATIONAL_VIEWER, None))
    assert 'href="/forces/"' in client.get("/").content.decode()
    response = client.get("/forces/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/forces/') == 43


def test_the_page_has_a_skip_link_and_one_h1(alice_client, force_a):
    body = alice_client.get(reverse("force-home", args=[force_a.slug])).content.decode()
    assert 'href="#main"' in body and 'id="main"' in body
    assert body.count("<h1") == 1


def test_its_query_count_does_not_grow_with_the_catalogue(
    alice_client, force_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        alice_client.get(reverse("force-home", args=[force_a.slug]))
