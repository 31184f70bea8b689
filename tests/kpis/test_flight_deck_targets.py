"""Setting a force's KPI targets: for which offences, who set each one and from which quarter."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from kpis.models import Kpi, KpiSnapshot, KpiTarget
from soteria.models import Role


@pytest.fixture(autouse=True)
def december_6th():
    with time_machine.travel(dt.datetime(2026, 12, 6, 10, 0), tick=False):
        yield


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
            "offence_group": "rape",
            "effective_from": "2024-25-q1",
            "note": "Plan",
        },
    )
    assert response.status_code == 302
    target = KpiTarget.objects.get(force=force_a, kpi=charge_rate)
    assert (target.value, target.offence_group, target.effective_from, target.set_by) == (
        8,
        "rape",
        "2024-25-q1",
        alice,
    )
    body = alice_client.get(url(force_a)).content.decode()
    row = re.search(rf'<tr id="target-{target.pk}">.*?</tr>', body).group(0)
    assert "Charge rate" in row and ">Rape<" in row and "Alice" in row and "2024/25 Q1" in row


def test_setting_the_same_quarter_and_offences_again_replaces_only_that_target(
    alice_client, force_a, charge_rate
):
    for value, group in (("8", "rape"), ("9", "rape"), ("12", "all")):
        alice_client.post(
            url(force_a),
            {
                "kpi": charge_rate.pk,
                "value": value,
                "amber_margin": "0",
                "offence_group": group,
                "effective_from": "2024-25-q1",
            },
        )
    assert sorted(KpiTarget.objects.values_list("offence_group", "value")) == [
        ("all", 12),
        ("rape", 9),
    ]


def test_an_evidence_kpi_takes_a_target_for_all_rasso_only(alice_client, force_a):
    devices = Kpi.objects.get(slug="victim-device-return")
    response = alice_client.post(
        url(force_a),
        {
            "kpi": devices.pk,
            "value": "70",
            "amber_margin": "0",
            "offence_group": "rape",
            "effective_from": "2024-25-q1",
        },
    )
    assert "set its target for All RASSO" in response.context["form"].errors["offence_group"][0]
    assert not KpiTarget.objects.exists()


def test_the_from_quarter_is_chosen_from_a_list_not_typed(alice_client, force_a):
    body = alice_client.get(url(force_a)).content.decode()
    select = re.search(r'<select name="effective_from".*?</select>', body, re.S).group(0)
    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]*)</option>', select)
    slugs = [slug for slug, _, _ in options]
    # Newest first: a year ahead, the quarter in progress, back five years.
    assert slugs[0] == "2027-28-q3" and slugs[-1] == "2021-22-q3" and len(slugs) == 25
    assert ("2026-27-q2", " selected", "2026/27 Q2: July to September 2026") in options
    assert ("2026-27-q3", "", "2026/27 Q3 (in progress): October to December 2026") in options


def test_a_quarter_outside_the_list_and_an_impossible_percentage_are_explained_at_the_field(
    alice_client, force_a, charge_rate
):
    response = alice_client.post(
        url(force_a),
        {
            "kpi": charge_rate.pk,
            "value": "140",
            "amber_margin": "0",
            "offence_group": "all",
            "effective_from": "Q1 2024",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Select a valid choice" in form.errors["effective_from"][0]
    assert "between 0 and 100" in form.errors["value"][0]
    assert not KpiTarget.objects.exists()


def test_the_quarters_reach_back_to_the_forces_first_figures(alice_client, force_a, charge_rate):
    KpiSnapshot.objects.create(force=force_a, kpi=charge_rate, period="2019-20-q2", value=0.1)
    body = alice_client.get(url(force_a)).content.decode()
    assert '<option value="2019-20-q2">' in body


def test_a_percentage_over_100_is_refused(alice_client, force_a, charge_rate):
    response = alice_client.post(
        url(force_a),
        {
            "kpi": charge_rate.pk,
            "value": "140",
            "amber_margin": "0",
            "offence_group": "all",
            "effective_from": "2024-25-q1",
        },
    )
    assert "between 0 and 100" in response.context["form"].errors["value"][0]


def test_a_panel_member_may_read_targets_but_not_set_them(client, ruth, force_a, charge_rate):
    client.force_login(ruth)
    assert client.get(url(force_a)).status_code == 200
    response = client.post(
        url(force_a),
        {
            "kpi": charge_rate.pk,
            "value": "8",
            "amber_margin": "0",
            "offence_group": "all",
            "effective_from": "2024-25-q1",
        },
    )
    assert response.status_code == 403
    assert not KpiTarget.objects.exists()


def test_bob_cannot_see_or_set_alices_targets(bob_client, force_a, charge_rate):
    assert bob_client.get(url(force_a)).status_code == 404
    response = bob_client.post(
        url(force_a),
        {
            "kpi": charge_rate.pk,
            "value": "8",
            "amber_margin": "0",
            "offence_group": "all",
            "effective_from": "2024-25-q1",
        },
    )
    assert response.status_code == 404


def test_a_soteria_lead_may_set_targets(client, make_user, force_a, charge_rate):
    client.force_login(make_user("sol", Role.SOTERIA_LEAD, force_a))
    response = client.post(
        url(force_a),
        {
            "kpi": charge_rate.pk,
            "value": "8",
            "amber_margin": "0",
            "offence_group": "all",
            "effective_from": "2024-25-q1",
        },
    )
    assert response.status_code == 302
