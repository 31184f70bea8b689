"""Linking a response to KPIs from the catalogue."""

import pytest

from kpis.models import Kpi
from recommendations.models import Response

pytestmark = pytest.mark.django_db


def url(force, rec):
    return f"/forces/{force.slug}/recommendations/{rec.pk}/kpis/"


def test_pcc_staff_link_kpis_and_the_change_is_audited(pat_client, force_a, rec11):
    kpis = list(Kpi.objects.filter(slug__in=["charge-rate", "problem-profile"]))
    assert pat_client.post(url(force_a, rec11), {"kpis": [k.pk for k in kpis]}).status_code == 302
    response = Response.objects.get(force=force_a, recommendation=rec11)
    assert set(response.kpis.all()) == set(kpis)
    assert response.history.first().history_change_reason.startswith("Linked KPIs set by Pat Lee")


def test_a_chief_officer_may_not_change_the_links(alice_client, force_a, rec11):
    assert alice_client.post(url(force_a, rec11), {"kpis": []}).status_code == 403


def test_bob_cannot_link_kpis_in_alices_force(bob_client, force_a, rec11):
    assert bob_client.post(url(force_a, rec11), {"kpis": []}).status_code == 404


def test_a_long_list_of_kpis_still_fits_the_audit_note(pat, force_a, rec11):
    from recommendations import services
    from tests.recommendations import factories

    response = factories.response(force=force_a, rec=rec11)
    services.set_kpis(response=response, by=pat, kpis=Kpi.objects.all())
    note = response.history.first().history_change_reason
    assert note.startswith("Linked KPIs set by Pat Lee: ")
    assert len(note) == 100 and note.endswith("…")
