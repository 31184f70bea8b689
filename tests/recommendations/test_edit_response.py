"""Editing a force's response: PCC staff and the Soteria lead may; chief officers read."""

import pytest

from recommendations.models import Response, Status
from soteria.models import Pillar

pytestmark = pytest.mark.django_db


def url(force, rec):
    return f"/forces/{force.slug}/recommendations/{rec.pk}/edit/"


def form_data(owner, **extra):
    return {
        "owner": owner.pk,
        "pillars": [Pillar.objects.get(number=5).pk],
        "status": Status.IN_PROGRESS,
        "rag": "amber",
        "planned_closedown": "2025-06-30",
        "chief_constable_response": "A strategic problem profile has been completed.",
        **extra,
    }


def test_pcc_staff_assign_an_owner_and_pillars(pat_client, force_a, rec11, owen):
    response = pat_client.post(url(force_a, rec11), form_data(owen))
    assert response.status_code == 302
    saved = Response.objects.get(force=force_a, recommendation=rec11)
    assert saved.owner == owen
    assert [p.number for p in saved.pillars.all()] == [5]
    assert saved.history.first().history_change_reason == "Edited by Pat Lee; pillars now: Pillar 5"


def test_the_soteria_lead_may_edit_too(client, sam, force_a, rec11, owen):
    client.force_login(sam)
    assert client.post(url(force_a, rec11), form_data(owen)).status_code == 302


def test_complete_is_not_a_choice_on_the_form(pat_client, force_a, rec11, owen):
    response = pat_client.post(url(force_a, rec11), form_data(owen, status=Status.COMPLETE))
    assert response.status_code == 200
    assert "Select a valid choice" in response.context["form"].errors["status"][0]
    assert not Response.objects.filter(status=Status.COMPLETE).exists()


def test_an_owner_must_belong_to_the_force(pat_client, force_a, rec11, bob):
    response = pat_client.post(url(force_a, rec11), form_data(bob))
    assert "owner" in response.context["form"].errors


def test_a_chief_officer_reads_but_may_not_edit(alice_client, force_a, rec11):
    assert alice_client.get(url(force_a, rec11)).status_code == 403


def test_bob_cannot_edit_alices_response(bob_client, force_a, rec11, owen):
    assert bob_client.post(url(force_a, rec11), form_data(owen)).status_code == 404


def test_the_soteria_lead_may_not_write_the_pcc_offices_response(client, sam, force_a, rec14, owen):
    client.force_login(sam)
    assert client.post(url(force_a, rec14), form_data(owen)).status_code == 403


def test_an_invalid_form_creates_no_response(pat_client, force_a, rec11, owen):
    pat_client.post(url(force_a, rec11), form_data(owen, planned_closedown="not a date"))
    assert not Response.objects.exists()
