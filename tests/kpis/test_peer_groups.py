"""Most-similar peer groups: computed from the national data, set by a national administrator.

Nadia is a national administrator; Vic a national viewer; Alice a chief officer in Avon and
Somerset; Andy an analyst there. The default groups are checked against a computation of
the documented method written here with numpy; every comparison names its group.
"""

import math

import numpy as np
import pytest
from django.urls import reverse

from kpis.engine import peers as engine_peers
from kpis.engine.record_kpis import _national
from kpis.models import KpiSnapshot, PeerGroup
from soteria.models import Force, Role
from soteria.periods import Period

from .home_office_tables import NOT_PROVIDED, write_home_office_quarter

pytestmark = pytest.mark.django_db
QUARTERS = [Period(2023, 3), Period(2023, 4)]
TYPES = ["1", "5", "14", "15", "16", "18", "21"]
# Ten forces with different volumes and outcome mixes (the same in both quarters but scaled).
MIXES = {
    "Avon and Somerset": (300, [30, 10, 90, 80, 40, 30, 20]),
    "Kent": (320, [35, 12, 80, 90, 40, 33, 30]),
    "Essex": (280, [25, 9, 95, 70, 45, 26, 10]),
    "Metropolitan Police": (2000, [100, 60, 800, 500, 300, 140, 100]),
    "West Midlands": (900, [60, 30, 300, 250, 150, 60, 50]),
    "Durham": (120, [20, 2, 30, 40, 10, 10, 8]),
    "Cumbria": (100, [15, 3, 25, 30, 12, 9, 6]),
    "Dorset": (110, [12, 4, 35, 28, 15, 10, 6]),
    "Staffordshire": (260, [20, 8, 100, 60, 40, 22, 10]),
    "Surrey": (200, [22, 6, 60, 55, 30, 17, 10]),
}
GAPPY = "Gwent"  # a cell not provided in the second quarter: left out


def cells_for(quarter_index: int) -> dict:
    cells = {}
    for name, (_, counts) in MIXES.items():
        scale = 1 + quarter_index * 0.1
        cells[name] = {t: round(c * scale) for t, c in zip(TYPES, counts, strict=True)}
    cells[GAPPY] = {t: 10 for t in TYPES}
    if quarter_index == 1:
        cells[GAPPY]["15"] = NOT_PROVIDED
    return cells


@pytest.fixture
def table(settings):
    settings.PEER_GROUP_SIZE = 3
    _national.clear()
    for index, quarter in enumerate(QUARTERS):
        write_home_office_quarter(quarter, cells_for(index))


def expected_groups(size: int) -> dict[str, list[str]]:
    """The documented method, by hand: seven standardised numbers, Euclidean nearest."""
    totals = {name: np.zeros(len(TYPES)) for name in MIXES}
    for index in range(len(QUARTERS)):
        for name, row in cells_for(index).items():
            if name in totals:
                totals[name] += np.array([row[t] for t in TYPES], dtype=float)
    names = sorted(totals)
    features = []
    groups_of_types = [["1"], ["14", "16"], ["15"], ["5"], ["21"], ["18"]]
    for name in names:
        by_type = dict(zip(TYPES, totals[name], strict=True))
        outcomes = sum(totals[name])
        volume = math.log(outcomes * 4 / len(QUARTERS))
        shares = [sum(by_type[t] for t in group) / outcomes for group in groups_of_types]
        features.append([volume, *shares])
    x = np.array(features)
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    groups = {}
    for i, name in enumerate(names):
        distances = sorted(
            (float(np.sqrt(((z[i] - z[j]) ** 2).sum())), other)
            for j, other in enumerate(names)
            if other != name
        )
        groups[name] = [other for _, other in distances[:size]]
    return groups


@pytest.fixture
def nadia_client(client, make_user):
    client.force_login(make_user("nadia", Role.ADMINISTRATOR, None))
    return client


def test_the_default_groups_are_the_nearest_forces_by_volume_and_outcome_mix(table):
    engine_peers.compute_peer_groups()

    expected = expected_groups(3)
    for name, members in expected.items():
        group = PeerGroup.objects.get(force__name=name)
        assert set(group.names) == set(members), name
        assert group.names == members, name  # nearest first
        assert set(group.members.values_list("name", flat=True)) == set(members)
        assert group.source == PeerGroup.Source.COMPUTED
        assert group.computed["window"] == "2023/24 Q3 to 2023/24 Q4"


def test_a_force_with_a_missing_cell_in_the_window_is_left_out(table):
    engine_peers.compute_peer_groups()

    gappy = PeerGroup.objects.get(force__name=GAPPY)
    assert gappy.names == []
    assert gappy.computed["left_out"]
    assert not PeerGroup.objects.filter(members__name=GAPPY).exists()


def test_confirming_a_national_table_computes_the_groups_and_every_comparison_names_its_group(
    table, django_capture_on_commit_callbacks
):
    from soteria import jobs

    with django_capture_on_commit_callbacks(execute=True):
        jobs.queue("kpis.compute_peer_groups")

    snapshot = KpiSnapshot.objects.get(
        force__name="Kent",
        kpi__slug="ho-charge-rate",
        period=QUARTERS[-1].slug,
        offence_group="rape",
    )
    members = expected_groups(3)["Kent"]
    cells = cells_for(1)
    numerator = sum(cells[m]["1"] for m in members)
    denominator = sum(sum(cells[m].values()) for m in members)
    comparison = snapshot.comparison
    assert comparison["similar_members"] == members
    assert comparison["similar_label"] == "Most similar forces (computed, 3)"
    assert (comparison["similar_numerator"], comparison["similar_denominator"]) == (
        numerator,
        denominator,
    )
    assert comparison["similar_value"] == pytest.approx(numerator / denominator)


def test_a_national_administrator_sets_a_group_with_a_reason_kept_in_its_history(
    table, nadia_client, django_capture_on_commit_callbacks
):
    engine_peers.compute_peer_groups()
    kent = Force.objects.get(name="Kent")
    chosen = list(Force.objects.filter(name__in=["Durham", "Surrey"]))

    with django_capture_on_commit_callbacks(execute=True):
        response = nadia_client.post(
            reverse("national:peer-group", args=[kent.slug]),
            {"members": [f.pk for f in chosen], "reason": "Similar demography (HMICFRS MSG)"},
        )

    assert response.status_code == 302
    group = PeerGroup.objects.get(force=kent)
    assert group.source == PeerGroup.Source.EDITED
    assert group.names == ["Durham", "Surrey"]
    page = nadia_client.get(reverse("national:peer-group", args=[kent.slug])).content.decode()
    assert "Similar demography (HMICFRS MSG)" in page
    assert "nadia" in page  # who, in the history
    snapshot = KpiSnapshot.objects.get(
        force=kent, kpi__slug="ho-charge-rate", period=QUARTERS[-1].slug, offence_group="rape"
    )
    assert snapshot.comparison["similar_members"] == ["Durham", "Surrey"]
    assert snapshot.comparison["similar_label"] == "Most similar forces (set nationally, 2)"
    # A recompute keeps the group a person set.
    engine_peers.compute_peer_groups()
    assert PeerGroup.objects.get(force=kent).names == ["Durham", "Surrey"]


def test_a_group_without_a_reason_is_refused_with_a_clear_error_and_nothing_changes(
    table, nadia_client
):
    engine_peers.compute_peer_groups()
    kent = Force.objects.get(name="Kent")
    before = PeerGroup.objects.get(force=kent).names
    durham = Force.objects.get(name="Durham")

    response = nadia_client.post(
        reverse("national:peer-group", args=[kent.slug]), {"members": [durham.pk], "reason": ""}
    )

    assert response.status_code == 400
    assert "Say why the group is changed" in response.content.decode()
    assert f'value="{durham.pk}"' in response.content.decode()
    assert PeerGroup.objects.get(force=kent).names == before
    own = nadia_client.post(
        reverse("national:peer-group", args=[kent.slug]), {"members": [kent.pk], "reason": "x"}
    )
    assert own.status_code == 400
    assert PeerGroup.objects.get(force=kent).names == before


def test_putting_the_computed_default_back(table, nadia_client):
    engine_peers.compute_peer_groups()
    kent = Force.objects.get(name="Kent")
    default = PeerGroup.objects.get(force=kent).names
    nadia_client.post(
        reverse("national:peer-group", args=[kent.slug]),
        {"members": [Force.objects.get(name="Durham").pk], "reason": "Trial"},
    )

    nadia_client.post(reverse("national:peer-group-reset", args=[kent.slug]))

    group = PeerGroup.objects.get(force=kent)
    assert (group.source, group.names) == (PeerGroup.Source.COMPUTED, default)


def test_the_list_shows_every_forces_group(table, client, alice):
    engine_peers.compute_peer_groups()
    client.force_login(alice)

    page = client.get(reverse("national:peer-groups")).content.decode()

    for name, members in expected_groups(3).items():
        assert ", ".join(members) in page, name
    assert "Recompute the default groups" not in page  # Alice reads, does not edit


def test_recomputing_from_the_same_table_adds_no_history(table):
    engine_peers.compute_peer_groups()
    rows = PeerGroup.history.count()

    result = engine_peers.compute_peer_groups()

    assert PeerGroup.history.count() == rows
    assert result["changed"] == 0
