"""Home Office KPIs for every force: a national table, once imported, is every force's snapshots.

A national analyst imports a small crafted Home Office table (three forces, rape and other
sexual offences, both count bases, one cell on each basis marked "N/A - data not
provided"). The import queues a recompute for each force and quarter in it; Bob's force
(Staffordshire) has never imported its own records, yet its deck has a national section.
Every stored figure is checked against a pandas computation written here from the rows.
"""

import csv
import io
import random

import pandas as pd
import pytest
from django.urls import reverse

from kpis.imports.demo import HOME_OFFICE_HEADERS
from kpis.models import ImportBatch, Kpi, KpiSnapshot
from soteria.periods import Period

from .import_helpers import run_import

pytestmark = pytest.mark.django_db
Q1 = Period(2023, 1)
FORCES = ["Avon and Somerset", "Staffordshire", "Durham"]
OFFENCES = {"rape": ("19C", "Rape"), "other": ("17A", "Other sexual offences")}
TYPES = ["0", "1", "3", "5", "9", "14", "15", "16", "18", "20", "21"]
NOT_PROVIDED = "N/A - data not provided"
# (force, offence, outcome type, basis) cells the table does not provide.
GAPS = {("Durham", "rape", "15", "closed"), ("Staffordshire", "other", "1", "recorded")}
# slug -> numerator types (None: a count of outcomes) and whether it is a rate.
EXPECTED_KPIS = {
    "ho-charge-rate": (("1",), True),
    "ho-withdrawal-share": (("14", "16"), True),
    "ho-nfa-evidential-share": (("15",), True),
    "ho-nfa-prevented-share": (("5", "9", "10", "11", "12", "13", "17"), True),
    "ho-nfa-police-decision-share": (("21",), True),
    "ho-no-suspect-share": (("18",), True),
    "ho-charge-volume": (("1",), False),
    "ho-outcome-volume": (None, False),
}


def crafted_rows() -> list[dict]:
    rng = random.Random(13)
    rows = []
    for force in FORCES:
        for offence, (code, subgroup) in OFFENCES.items():
            for outcome in TYPES:
                counts = {}
                for basis in ("recorded", "closed"):
                    if outcome == "0" and basis == "closed":
                        counts[basis] = "N/A"
                    elif (force, offence, outcome, basis) in GAPS:
                        counts[basis] = NOT_PROVIDED
                    else:
                        counts[basis] = str(rng.randint(0, 60))
                rows.append(
                    {
                        "Financial Year": "2023/24",
                        "Financial Quarter": "1",
                        "Force Name": force,
                        "Offence Code": code,
                        "Offence Description": code,
                        "Offence Group": "Sexual offences",
                        "Offence Subgroup": subgroup,
                        "Offence code expired": "",
                        "Outcome Type": outcome,
                        "Outcome Description": f"Outcome {outcome}",
                        "Outcome Group": f"Group {outcome}",
                        HOME_OFFICE_HEADERS[11]: counts["recorded"],
                        HOME_OFFICE_HEADERS[12]: counts["closed"],
                    }
                )
    return rows


def write_table(path, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HOME_OFFICE_HEADERS)
    for row in rows:
        writer.writerow([row[h] for h in HOME_OFFICE_HEADERS])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def expected_figures(rows: list[dict]) -> dict:
    """{(force, offence group, slug): (value, numerator, denominator)} on the closed basis,
    and the recorded-basis value, worked out with pandas from the rows."""
    frame = pd.DataFrame(rows)
    frame["group"] = frame["Offence Code"].map({"19C": "rape", "17A": "other"})
    out = {}
    for basis, column in (
        ("closed", HOME_OFFICE_HEADERS[12]),
        ("recorded", HOME_OFFICE_HEADERS[11]),
    ):
        frame["count"] = pd.to_numeric(frame[column], errors="coerce")  # N/A -> NaN
        decided = frame[frame["Outcome Type"] != "0"]
        for force in FORCES:
            for group in ("rape", "other", "all"):
                part = decided[decided["Force Name"] == force]
                if group != "all":
                    part = part[part["group"] == group]
                denominator = None if part["count"].isna().any() else int(part["count"].sum())
                for slug, (types, is_rate) in EXPECTED_KPIS.items():
                    cells = part if types is None else part[part["Outcome Type"].isin(types)]
                    numerator = None if cells["count"].isna().any() else int(cells["count"].sum())
                    if is_rate:
                        value = (
                            numerator / denominator
                            if numerator is not None and denominator
                            else None
                        )
                    else:
                        value = numerator
                    out[(basis, force, group, slug)] = (
                        value,
                        numerator,
                        denominator if is_rate else None,
                    )
    return out


@pytest.fixture
def imported(tmp_path, django_capture_on_commit_callbacks):
    rows = crafted_rows()
    with django_capture_on_commit_callbacks(execute=True):
        batch = run_import(
            write_table(tmp_path / "ho.csv", rows), force=None, kind=ImportBatch.Kind.HOME_OFFICE
        )
    assert batch.status == ImportBatch.Status.SUCCEEDED, (batch.message, batch.errors)
    return rows


def test_confirming_a_national_table_stores_every_forces_home_office_kpis(imported):
    expected = expected_figures(imported)

    snapshots = KpiSnapshot.objects.filter(kpi__slug__in=EXPECTED_KPIS, period=Q1.slug)

    assert snapshots.count() == len(FORCES) * 3 * len(EXPECTED_KPIS)
    for snapshot in snapshots.select_related("force", "kpi"):
        key = (snapshot.force.name, snapshot.offence_group, snapshot.kpi.slug)
        value, numerator, denominator = expected[("closed", *key)]
        if value is None:
            assert snapshot.value is None, key
            assert snapshot.status == KpiSnapshot.Status.INSUFFICIENT, key
        else:
            assert snapshot.value == pytest.approx(value), key
            assert snapshot.status == KpiSnapshot.Status.OK, key
        assert (snapshot.numerator, snapshot.denominator) == (numerator, denominator), key
        by_basis = {
            row["group"]: row["value"] if EXPECTED_KPIS[key[2]][1] else row["numerator"]
            for row in snapshot.breakdowns[0]["rows"]
        }
        recorded = expected[("recorded", *key)][0]
        assert by_basis["recorded"] == (
            pytest.approx(recorded) if recorded is not None else None
        ), key


def test_a_missing_cell_leaves_only_the_kpis_that_add_it_up_without_a_value(imported):
    durham_rape = {
        s.kpi.slug: s
        for s in KpiSnapshot.objects.filter(
            force__name="Durham", offence_group="rape", period=Q1.slug
        ).select_related("kpi")
    }

    # Outcome 15 is not provided: every share (its denominator adds it up) and the outcome
    # volume have no value; the charge volume does not add it up, and has one.
    assert durham_rape["ho-charge-rate"].value is None
    assert durham_rape["ho-nfa-evidential-share"].value is None
    assert durham_rape["ho-outcome-volume"].value is None
    assert durham_rape["ho-charge-volume"].value is not None
    assert "outcome type 15" in durham_rape["ho-charge-rate"].provenance["summary"]


def test_the_charge_rate_carries_the_national_comparison_on_the_home_office_basis(imported):
    snapshot = KpiSnapshot.objects.get(
        force__name="Avon and Somerset",
        offence_group="rape",
        period=Q1.slug,
        kpi__slug="ho-charge-rate",
    )
    expected = expected_figures(imported)
    complete = [
        f for f in FORCES if expected[("closed", f, "rape", "ho-charge-rate")][0] is not None
    ]
    numerator = sum(expected[("closed", f, "rape", "ho-charge-rate")][1] for f in complete)
    denominator = sum(expected[("closed", f, "rape", "ho-charge-rate")][2] for f in complete)

    comparison = snapshot.comparison

    assert comparison["value"] == pytest.approx(numerator / denominator)
    assert comparison["force_value"] == pytest.approx(snapshot.value)
    assert comparison["value_source"].startswith("Home Office")
    assert [row["force"] for row in comparison["left_out"] if row["force"] in FORCES] == ["Durham"]


def test_a_force_without_its_own_records_has_a_national_section_on_its_deck(
    imported, bob_client, force_b
):
    expected = expected_figures(imported)
    value = expected[("closed", "Staffordshire", "rape", "ho-charge-rate")][0]

    response = bob_client.get(
        reverse("kpis:flight-deck", args=[force_b.slug]), {"period": Q1.slug, "offence": "rape"}
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "National data: Home Office published figures" in text
    tile = text[text.index('id="kpi-ho-charge-rate"') :]
    tile = tile[: tile.index("</article>")]
    assert f"{value * 100:.1f}%" in tile
    assert not force_b.crime_records.exists()


def test_the_catalogue_holds_every_home_office_kpi():
    assert set(
        Kpi.objects.filter(source=Kpi.Source.HOME_OFFICE).values_list("slug", flat=True)
    ) >= set(EXPECTED_KPIS)
