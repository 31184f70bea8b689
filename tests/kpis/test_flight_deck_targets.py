"""Setting a force's KPI targets: who set each one and from which quarter."""

import pytest
from django.urls import reverse

from kpis.models import Kpi, KpiTarget
from soteria.models import Role


@pytest.fixture
def charge_rate(db):
    return Kpi.objects.get(slug="charge-rate")


def url(force):
    return reverse("kpis:targets", args=[force.slug])


def test_alice_sets_a_target_and_it_records_her_and_the_quarter(
    alice_client, alice, force_a, charge_rate
):
    response = alice_client.post(
        url(force_a),
        {
            "kpi": charge_rate.pk,
            "value": "8",
            "amber_margin": "1",
            "effective_from": "2024-25-Q1",
            "note": "Plan",
        },
    )
    assert response.status_code == 302
    target = KpiTarget.objects.get(force=force_a, kpi=charge_rate)
    assert (target.value, target.effective_from, target.set_by) == (8, "2024-25-q1", alice)
    body = alice_client.get(url(force_a)).content.decode()
    assert "Alice" in body and "2024/25 Q1" in body


def test_setting_the_same_quarter_again_replaces_the_target(alice_client, force_a, charge_rate):
    for value in ("8", "9"):
        alice_client.post(
            url(force_a),
            {
                "kpi": charge_rate.pk,
                "value": value,
                "amber_margin": "0",
                "effective_from": "2024-25-q1",
            },
        )
    assert list(KpiTarget.objects.values_list("value", flat=True)) == [9]


def test_a_bad_quarter_and_an_impossible_percentage_are_explained_at_the_field(
    alice_client, force_a, charge_rate
):
    response = alice_client.post(
        url(force_a),
        {"kpi": charge_rate.pk, "value": "140", "amber_margin": "0", "effective_from": "Q1 2024"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Enter a quarter like 2024-25-q1" in form.errors["effective_from"][0]
    assert not KpiTarget.objects.exists()


def test_a_percentage_over_100_is_refused(alice_client, force_a, charge_rate):
    response = alice_client.post(
        url(force_a),
        {
            "kpi": charge_rate.pk,
            "value": "140",
            "amber_margin": "0",
            "effective_from": "2024-25-q1",
        },
    )
    assert "between 0 and 100" in response.context["form"].errors["value"][0]


def test_a_panel_member_may_read_targets_but_not_set_them(client, ruth, force_a, charge_rate):
    client.force_login(ruth)
    assert client.get(url(force_a)).status_code == 200
    response = client.post(
        url(force_a),
        {"kpi": charge_rate.pk, "value": "8", "amber_margin": "0", "effective_from": "2024-25-q1"},
    )
    assert response.status_code == 403
    assert not KpiTarget.objects.exists()


def test_bob_cannot_see_or_set_alices_targets(bob_client, force_a, charge_rate):
    assert bob_client.get(url(force_a)).status_code == 404
    response = bob_client.post(
        url(force_a),
        {"kpi": charge_rate.pk, "value": "8", "amber_margin": "0", "effective_from": "2024-25-q1"},
    )
    assert response.status_code == 404


def test_a_soteria_lead_may_set_targets(client, make_user, force_a, charge_rate):
    client.force_login(make_user("sol", Role.SOTERIA_LEAD, force_a))
    response = client.post(
        url(force_a),
        {"kpi": charge_rate.pk, "value": "8", "amber_margin": "0", "effective_from": "2024-25-q1"},
    )
    assert response.status_code == 302
