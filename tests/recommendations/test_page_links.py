"""Recommendation 11 linked to the force's generated RASSO problem profile: a page link (by
URL name, settings.RECOMMENDATION_LINKABLE_PAGES) for a chosen quarter, audited, shown to
the force's readers and opening the profile of that period; never to another force."""

import re

import pytest
from django.test import Client

from kpis.imports.synthetic import add_synthetic_records
from recommendations.models import PageLink
from soteria.periods import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(force_a):
    add_synthetic_records(forces=[force_a], records=300, seed=2)


def test_pcc_staff_link_rec11_to_the_profile_of_a_quarter_and_follow_it(
    records, pat_client, force_a, rec11
):
    quarter = Period.latest_complete().shift(-1)
    url = f"/forces/{force_a.slug}/recommendations/{rec11.pk}/"
    form = pat_client.get(url).content.decode()
    assert 'id="page-link-form"' in form and f'value="{quarter.slug}"' in form
    made = pat_client.post(url + "page-links/", {"page": "problem-profile", "period": quarter.slug})
    assert made.status_code == 302
    page = pat_client.get(url)
    body = page.content.decode()
    href = f"/forces/{force_a.slug}/problem-profile/?end={quarter.slug}"
    label = f"RASSO problem profile: 12 months to {quarter.label}"
    assert re.search(rf'<a href="{re.escape(href)}">{re.escape(label)}</a>', body)
    assert page.context["history"][0].reason == f"Linked to {label} by Pat Lee"
    profile = pat_client.get(href)
    assert profile.status_code == 200
    window = f"{quarter.shift(-3).start:%b %Y} to {quarter.end:%b %Y}"
    assert window in profile.content.decode()
    # Linking the same page and quarter again adds nothing; removing it is audited too.
    pat_client.post(url + "page-links/", {"page": "problem-profile", "period": quarter.slug})
    (link,) = PageLink.objects.all()
    pat_client.post(f"/forces/{force_a.slug}/recommendations/page-links/{link.pk}/delete/")
    assert not PageLink.objects.exists()
    assert pat_client.get(url).context["history"][0].reason.startswith("Link to RASSO problem")


def test_only_a_listed_page_and_a_complete_quarter_can_be_linked(pat_client, force_a, rec11):
    url = f"/forces/{force_a.slug}/recommendations/{rec11.pk}/page-links/"
    future = Period.latest_complete().shift(1).slug
    pat_client.post(url, {"page": "problem-profile", "period": future})
    pat_client.post(url, {"page": "flight-deck", "period": Period.latest_complete().slug})
    assert not PageLink.objects.exists()


def test_another_force_can_neither_see_nor_follow_nor_remove_the_link(
    records, pat_client, bob, force_a, force_b, rec11
):
    quarter = Period.latest_complete()
    url = f"/forces/{force_a.slug}/recommendations/{rec11.pk}/"
    pat_client.post(url + "page-links/", {"page": "problem-profile", "period": quarter.slug})
    link = PageLink.objects.get()
    bob_client = Client()
    bob_client.force_login(bob)
    assert bob_client.get(url).status_code == 404
    assert (
        bob_client.get(f"/forces/{force_a.slug}/problem-profile/?end={quarter.slug}").status_code
        == 404
    )
    delete = f"/recommendations/page-links/{link.pk}/delete/"
    assert bob_client.post(f"/forces/{force_a.slug}{delete}").status_code == 404
    assert bob_client.post(f"/forces/{force_b.slug}{delete}").status_code == 404
    assert PageLink.objects.exists()
    # Bob's own force's recommendation 11 shows no link of Avon's.
    own = bob_client.get(f"/forces/{force_b.slug}/recommendations/{rec11.pk}/")
    assert own.status_code == 200 and "problem-profile/?end=" not in own.content.decode()
