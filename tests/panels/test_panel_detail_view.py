"""One panel: its members (with organisation types and chair) and meetings; adding members."""

from panels.models import PanelMember


def url(panel):
    return f"/forces/{panel.force.slug}/panels/{panel.pk}/"


def test_it_lists_members_with_their_organisations_and_the_chair(
    client_for, ruth, panel, django_assert_max_num_queries
):
    client = client_for(ruth)
    with django_assert_max_num_queries(14):
        response = client.get(url(panel))
    assert response.status_code == 200
    assert "Independent sexual violence adviser (ISVA)" in response.text
    assert "<strong>Chair</strong>" in response.text
    assert "Record a meeting" in response.text


def test_bob_cannot_see_alices_panel(client_for, bob, panel):
    assert client_for(bob).get(url(panel)).status_code == 404


def test_a_panel_of_another_force_is_not_found_under_this_force(client_for, ruth, panel, force_b):
    assert client_for(ruth).get(f"/forces/{force_b.slug}/panels/{panel.pk}/").status_code == 404


def test_a_member_from_a_partner_body_is_added_without_an_account(client_for, ruth, panel):
    response = client_for(ruth).post(
        url(panel) + "members/add/",
        {"name": "Dr Ada Academic", "organisation_type": "academic", "organisation": "Uni"},
    )
    assert response.status_code == 302
    assert PanelMember.objects.get(name="Dr Ada Academic").user is None


def test_a_chair_without_an_account_is_refused_at_the_field(client_for, ruth, panel):
    response = client_for(ruth).post(
        url(panel) + "members/add/",
        {"name": "No login", "organisation_type": "isva", "is_chair": "on"},
    )
    assert response.status_code == 200
    assert "A chair needs an account" in response.text
    assert not PanelMember.objects.filter(name="No login").exists()


def test_a_chief_officer_cannot_add_members(client_for, alice, panel):
    response = client_for(alice).post(
        url(panel) + "members/add/", {"name": "X", "organisation_type": "police"}
    )
    assert response.status_code == 403


def test_a_new_chair_added_here_takes_over(client_for, ruth, panel, priya):
    response = client_for(ruth).post(
        url(panel) + "members/add/",
        {"name": "Priya", "organisation_type": "cps", "user": priya.pk, "is_chair": "on"},
    )
    assert response.status_code == 302
    assert panel.members.get(is_chair=True).user == priya
