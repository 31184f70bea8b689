"""PCC staff and administrators add inspections and their recommendations through forms."""

import pytest
from django.contrib.auth import get_user_model

from recommendations.models import Inspection, Recommendation

pytestmark = pytest.mark.django_db

NEW = {
    "title": "PEEL 2025: police effectiveness, efficiency and legitimacy",
    "inspectorate": "HMICFRS",
    "published": "2025-05-01",
    "summary": "How well the force performs.",
    "url": "https://example.org/peel",
    "areas_for_improvement": "Improve victim updates.\n\nImprove crime recording.",
}


def test_pcc_staff_add_an_inspection_for_their_force(pat_client, force_a):
    response = pat_client.post(f"/forces/{force_a.slug}/recommendations/inspections/new/", NEW)
    inspection = Inspection.objects.get(title=NEW["title"])
    assert response.url == f"/forces/{force_a.slug}/recommendations/inspections/{inspection.slug}/"
    assert inspection.force == force_a
    assert inspection.areas_list == ["Improve victim updates.", "Improve crime recording."]


def test_a_future_publication_date_is_refused_at_the_field(pat_client, force_a):
    response = pat_client.post(
        f"/forces/{force_a.slug}/recommendations/inspections/new/",
        {**NEW, "published": "2999-01-01"},
    )
    assert response.context["form"].errors["published"] == [
        "The publication date cannot be in the future."
    ]


def test_an_administrator_may_add_a_national_inspection(client, force_a):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "password")
    client.force_login(admin)
    page = client.get(f"/forces/{force_a.slug}/recommendations/inspections/new/")
    assert "national" in page.context["form"].fields
    client.post(
        f"/forces/{force_a.slug}/recommendations/inspections/new/", {**NEW, "national": "on"}
    )
    assert Inspection.objects.get(title=NEW["title"]).force is None


def test_pcc_staff_add_recommendations_and_numbers_are_unique(pat_client, force_a):
    pat_client.post(f"/forces/{force_a.slug}/recommendations/inspections/new/", NEW)
    inspection = Inspection.objects.get(title=NEW["title"])
    url = (
        f"/forces/{force_a.slug}/recommendations/inspections/{inspection.slug}/recommendations/new/"
    )
    data = {"number": "1", "text": "Improve.", "deadline": "2026-01-31", "addressee": "forces"}
    assert pat_client.post(url, data).status_code == 302
    again = pat_client.post(url, data)
    assert again.context["form"].errors["__all__"] == [
        "Recommendation with this Inspection and Number already exists."
    ]
    assert Recommendation.objects.filter(inspection=inspection).count() == 1


def test_pcc_staff_may_not_add_to_a_national_inspection(pat_client, force_a, soteria_2024):
    url = f"/forces/{force_a.slug}/recommendations/inspections/{soteria_2024.slug}/recommendations/new/"
    assert pat_client.get(url).status_code == 403


def test_a_chief_officer_may_not_add_inspections(alice_client, force_a):
    assert (
        alice_client.get(f"/forces/{force_a.slug}/recommendations/inspections/new/").status_code
        == 403
    )


def test_bob_cannot_see_an_inspection_of_alices_force(pat_client, bob, force_a, force_b):
    from django.test import Client

    pat_client.post(f"/forces/{force_a.slug}/recommendations/inspections/new/", NEW)
    inspection = Inspection.objects.get(title=NEW["title"])
    bob_client = Client()
    bob_client.force_login(bob)
    for force in (force_a, force_b):
        url = f"/forces/{force.slug}/recommendations/inspections/{inspection.slug}/"
        assert bob_client.get(url).status_code == 404


def test_the_inspection_page_separates_force_and_national_recommendations(
    alice_client, force_a, soteria_2024
):
    page = alice_client.get(
        f"/forces/{force_a.slug}/recommendations/inspections/{soteria_2024.slug}/"
    )
    assert [r.number for r in page.context["force_recs"]] == ["3", "5", "7", "9", "11"]
    assert len(page.context["national_recs"]) == 9
    assert page.context["record"] is None
    assert not page.context["can_add_recommendation"]


def test_another_force_cannot_learn_of_a_private_inspection_from_its_slug(
    pat_client, make_user, force_a, force_b
):
    """Quinn, in Staffordshire's PCC office, adds an inspection with the same title and year
    as one Avon and Somerset added privately: Quinn's gets the plain slug, as if Avon's did not
    exist, and each force sees only its own under it."""
    from django.test import Client

    from soteria.models import Role

    pat_client.post(f"/forces/{force_a.slug}/recommendations/inspections/new/", NEW)
    avons = Inspection.objects.get(force=force_a)
    quinn = Client()
    quinn.force_login(make_user("quinn", Role.PCC_STAFF, force_b))
    response = quinn.post(
        f"/forces/{force_b.slug}/recommendations/inspections/new/",
        {**NEW, "summary": "Staffordshire's own."},
    )
    staffs = Inspection.objects.get(force=force_b)
    assert staffs.slug == avons.slug
    assert response.url == f"/forces/{force_b.slug}/recommendations/inspections/{avons.slug}/"
    page = quinn.get(response.url)
    assert page.context["inspection"] == staffs
    assert (
        pat_client.get(f"/forces/{force_a.slug}/recommendations/inspections/{avons.slug}/").context[
            "inspection"
        ]
        == avons
    )


def test_a_private_inspection_never_takes_a_national_inspections_slug(
    pat_client, force_a, soteria_2024
):
    pat_client.post(
        f"/forces/{force_a.slug}/recommendations/inspections/new/",
        {**NEW, "title": "Soteria NOM", "published": "2024-08-01"},
    )
    mine = Inspection.objects.get(force=force_a)
    assert (soteria_2024.slug, mine.slug) == ("soteria-nom-2024", "soteria-nom-2024-2")
