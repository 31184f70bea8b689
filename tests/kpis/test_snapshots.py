"""compute_snapshots: one force-quarter's KPI snapshots, replaced in one transaction."""

import pytest

from kpis.engine import catalogue, recompute, snapshots
from kpis.engine.snapshots import KpiResult, compute_snapshots
from kpis.engine.tasks import compute_snapshots as compute_snapshots_task
from kpis.imports.synthetic import add_synthetic_records
from kpis.models import CrimeRecord, KpiSnapshot
from soteria.periods import Period

from .home_office_tables import NOT_PROVIDED, complete, rate, write_home_office_quarter

Q1 = Period.parse("2024-25-q1")
RECORDS_KPIS = len(catalogue.CATALOGUE) * 3  # rape, other sexual offences, all RASSO


@pytest.fixture
def records(force_a, force_b):
    add_synthetic_records(forces=[force_a, force_b], records=4000, seed=11)


def evidence_source(*, force, period):
    return [
        KpiResult(
            kpi="sickness-days",
            value=3.5,
            provenance={
                "summary": "Entered by Pat Lee, approved by Sam Roe on 3 Jul 2025",
                "narrative": "Two long-term absences.",
                "url": "/forces/x/evidence/1/",
            },
        )
    ]


def test_it_stores_every_catalogue_kpi_for_each_offence_group(records, force_a):
    stored = compute_snapshots(force=force_a, period=Q1)
    assert stored == RECORDS_KPIS
    rows = KpiSnapshot.objects.filter(force=force_a, period=Q1.slug)
    assert rows.count() == RECORDS_KPIS
    rate = rows.get(kpi__slug="charge-rate", offence_group="rape")
    assert 0 < rate.value < 1 and rate.ci_low < rate.value < rate.ci_high
    assert rate.definition_version == catalogue.CATALOGUE["charge-rate"].version
    assert rate.provenance["params"]["disclosure_threshold"] == 5
    assert {b["dimension"] for b in rate.breakdowns} == set(catalogue.DIMENSIONS)


def test_running_it_twice_changes_nothing(records, force_a):
    compute_snapshots(force=force_a, period=Q1)
    first = list(
        KpiSnapshot.objects.filter(force=force_a)
        .order_by("kpi_id", "offence_group")
        .values_list(
            "kpi__slug", "offence_group", "value", "numerator", "denominator", "breakdowns"
        )
    )
    compute_snapshots(force=force_a, period=Q1)
    second = list(
        KpiSnapshot.objects.filter(force=force_a)
        .order_by("kpi_id", "offence_group")
        .values_list(
            "kpi__slug", "offence_group", "value", "numerator", "denominator", "breakdowns"
        )
    )
    assert first == second


def test_it_replaces_the_force_quarters_old_snapshots_and_leaves_others_alone(
    records, force_a, force_b
):
    stale = KpiSnapshot.objects.create(
        force=force_a, kpi_id=catalogue_kpi("vrr-requests"), period=Q1.slug, value=9
    )
    other_quarter = KpiSnapshot.objects.create(
        force=force_a, kpi_id=catalogue_kpi("charge-rate"), period="2023-24-q4", value=0.5
    )
    other_force = KpiSnapshot.objects.create(
        force=force_b, kpi_id=catalogue_kpi("charge-rate"), period=Q1.slug, value=0.5
    )
    compute_snapshots(force=force_a, period=Q1)
    assert not KpiSnapshot.objects.filter(pk=stale.pk).exists()
    assert KpiSnapshot.objects.filter(pk__in=[other_quarter.pk, other_force.pk]).count() == 2


def catalogue_kpi(slug):
    from kpis.models import Kpi

    return Kpi.objects.get(slug=slug).pk


def test_other_sources_results_are_stored_beside_the_records_kpis(records, force_a, settings):
    settings.KPI_SOURCES = [*settings.KPI_SOURCES, "tests.kpis.test_snapshots.evidence_source"]
    assert compute_snapshots(force=force_a, period=Q1) == RECORDS_KPIS + 1
    sickness = KpiSnapshot.objects.get(force=force_a, kpi__slug="sickness-days")
    assert sickness.value == 3.5 and sickness.offence_group == "all"
    assert sickness.provenance["summary"].startswith("Entered by Pat Lee")


def unknown_source(*, force, period):
    return [KpiResult(kpi="no-such-kpi", value=1)]


def twice_source(*, force, period):
    return [KpiResult(kpi="sickness-days", value=1), KpiResult(kpi="sickness-days", value=2)]


@pytest.mark.parametrize("source", ["unknown_source", "twice_source"])
def test_a_faulty_source_is_refused_and_the_old_snapshots_stay(records, force_a, settings, source):
    compute_snapshots(force=force_a, period=Q1)
    settings.KPI_SOURCES = [*settings.KPI_SOURCES, f"tests.kpis.test_snapshots.{source}"]
    with pytest.raises(ValueError):
        compute_snapshots(force=force_a, period=Q1)
    assert KpiSnapshot.objects.filter(force=force_a, period=Q1.slug).count() == RECORDS_KPIS


def test_a_force_without_records_gets_no_records_snapshots(force_a):
    assert compute_snapshots(force=force_a, period=Q1) == 0


def test_the_definition_version_comes_from_the_catalogue(records, force_a, monkeypatch):
    definition = catalogue.CATALOGUE["repeat-suspect-share"]
    monkeypatch.setitem(
        catalogue.CATALOGUE,
        "repeat-suspect-share",
        catalogue.Definition(definition.slug, 2, definition.function, definition.needs),
    )
    compute_snapshots(force=force_a, period=Q1)
    snapshot = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="repeat-suspect-share", offence_group="all"
    )
    assert snapshot.definition_version == 2


def test_the_repeat_suspect_definition_is_settable_and_recorded(records, force_a, settings):
    compute_snapshots(force=force_a, period=Q1)
    loose = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="repeat-suspect-share", offence_group="all"
    )
    settings.REPEAT_SUSPECT_REPORTS = 3  # 4 leaves fewer than 5: withheld
    compute_snapshots(force=force_a, period=Q1)
    strict = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="repeat-suspect-share", offence_group="all"
    )
    assert strict.provenance["params"]["repeat_reports"] == 3
    assert strict.numerator >= 5 and strict.value < loose.value


def test_the_task_takes_ids_and_recomputes_one_force_quarter(records, force_a):
    result = compute_snapshots_task.apply(kwargs={"force_id": force_a.pk, "period": Q1.slug})
    assert result.get() == RECORDS_KPIS


def test_periods_with_data_run_from_the_first_record(records, force_a):
    periods = snapshots.periods_with_data(force=force_a)
    first = CrimeRecord.objects.filter(force=force_a).order_by("recorded_date").first()
    assert periods[0] == Period.containing(first.recorded_date)
    assert periods[-1] == Period.latest_complete()


def test_the_demo_loader_computes_every_quarter_and_repeats_harmlessly(
    records, force_a, force_b, monkeypatch
):
    monkeypatch.setattr(recompute, "periods_with_data", lambda *, force: [Q1])
    counts = recompute.load_demo_snapshots(forces=[force_a, force_b], seed=1)
    assert counts["KPI snapshots computed"] == 2 * RECORDS_KPIS
    stored = KpiSnapshot.objects.filter(period=Q1.slug).count()
    assert stored == 2 * RECORDS_KPIS
    recompute.load_demo_snapshots(forces=[force_a, force_b], seed=1)
    assert KpiSnapshot.objects.filter(period=Q1.slug).count() == stored


def test_a_new_import_batch_is_seen_by_the_next_recompute(records, force_a):
    compute_snapshots(force=force_a, period=Q1)
    before = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="open-investigations", period=Q1.slug, offence_group="all"
    ).value
    add_synthetic_records(forces=[force_a], records=2000, seed=12)
    compute_snapshots(force=force_a, period=Q1)
    after = KpiSnapshot.objects.get(
        force=force_a, kpi__slug="open-investigations", period=Q1.slug, offence_group="all"
    ).value
    assert after > before


# --- national comparison: one source, missing cells never zero --------------------------------

# Avon and Somerset, Gloucestershire and Devon and Cornwall are South West forces; Staffordshire
# is in the West Midlands. The table does not provide one of Devon and Cornwall's cells: read
# as zero, Devon and Cornwall would top the ranking at 40 of 50 and push Avon and Somerset down.
NATIONAL = {
    "Avon and Somerset": {"0": 40, "1": 10, "14": 20, "15": 70},
    "Staffordshire": {"1": 30, "14": 10, "15": 60},
    "Gloucestershire": {"1": 5, "14": 30, "15": 65},
    "Devon and Cornwall": {"1": 40, "14": 10, "15": NOT_PROVIDED},
}


def snapshot_of(force, slug, group="rape"):
    return KpiSnapshot.objects.get(force=force, kpi__slug=slug, period=Q1.slug, offence_group=group)


def test_the_national_ranking_leaves_out_a_force_whose_data_is_not_provided(records, force_a):
    write_home_office_quarter(Q1, NATIONAL)
    compute_snapshots(force=force_a, period=Q1)
    position = snapshot_of(force_a, "national-position")
    ranked = complete(NATIONAL)
    by_rate = sorted(ranked, key=lambda name: -rate({name: ranked[name]}, ("1",))[0])
    assert position.value == by_rate.index("Avon and Somerset") + 1 == 2
    assert position.denominator == len(ranked) == 3
    left_out = {row["force"]: row["reason"] for row in position.comparison["left_out"]}
    assert left_out["Devon and Cornwall"] == "Home Office data not provided for outcome type 15"
    assert len(left_out) == 43 - 3  # the rest are not in this crafted table, and say so
    assert left_out["Kent"] == "not in the Home Office table for the quarter"
    assert "Devon and Cornwall" not in {r["label"] for r in position.breakdowns[0]["rows"]}
    assert position.provenance["source"] == "home-office"
    assert position.provenance["summary"] == (
        "From the Home Office outcomes open data, closed basis for 2024/25 Q1: "
        "3 of 43 forces ranked by charge rate"
    )


def test_the_charge_rate_is_compared_on_home_office_figures_only(records, force_a):
    write_home_office_quarter(Q1, NATIONAL)
    compute_snapshots(force=force_a, period=Q1)
    comparison = snapshot_of(force_a, "charge-rate").comparison
    ranked = complete(NATIONAL)
    south_west = {k: v for k, v in ranked.items() if k != "Staffordshire"}
    assert (comparison["force_numerator"], comparison["force_denominator"]) == rate(
        {"Avon and Somerset": NATIONAL["Avon and Somerset"]}, ("1",)
    )
    assert comparison["force_value"] == pytest.approx(10 / 100)
    assert (comparison["numerator"], comparison["denominator"]) == rate(ranked, ("1",))
    assert comparison["value"] == pytest.approx(45 / 300) and comparison["forces"] == 3
    assert comparison["peer_label"] == "South West" and comparison["peer_forces"] == 2
    assert (comparison["peer_numerator"], comparison["peer_denominator"]) == rate(
        south_west, ("1",)
    )
    assert (comparison["rank"], comparison["ranked"]) == (2, 3)
    assert comparison["source"] == "Home Office outcomes open data, closed basis"
    assert comparison["value_source"] == "the force's own crime records"
    withdrawal = snapshot_of(force_a, "withdrawal-share").comparison
    assert (withdrawal["numerator"], withdrawal["denominator"]) == rate(ranked, ("14", "16"))
    assert "rank" not in withdrawal  # the rank is about the charge rate only


def test_a_force_whose_own_cell_is_missing_has_no_national_figure(records, force_a):
    cells = {**NATIONAL, "Avon and Somerset": {"1": 10, "14": 20, "15": NOT_PROVIDED}}
    write_home_office_quarter(Q1, cells)
    compute_snapshots(force=force_a, period=Q1)
    position = snapshot_of(force_a, "national-position")
    assert position.value is None and position.status == KpiSnapshot.Status.INSUFFICIENT
    comparison = snapshot_of(force_a, "charge-rate").comparison
    assert comparison["force_value"] is None and comparison["rank"] is None
    assert comparison["force_missing"] == "Home Office data not provided for outcome type 15"
    assert (comparison["numerator"], comparison["denominator"]) == rate(complete(cells), ("1",))


def test_a_missing_cell_leaves_a_force_out_of_its_offence_group_and_all_rasso_only(
    records, force_a
):
    rape = {name: {t: c or 0 for t, c in outcomes.items()} for name, outcomes in NATIONAL.items()}
    rape["Devon and Cornwall"]["15"] = 50  # provided for rape: 40 of 100, the highest rate
    other = {"Avon and Somerset": {"1": 20, "15": 80}, "Devon and Cornwall": {"1": 1, "15": None}}
    write_home_office_quarter(Q1, rape)
    write_home_office_quarter(Q1, other, offence_group="other")
    compute_snapshots(force=force_a, period=Q1)
    assert snapshot_of(force_a, "national-position", "rape").value == 3  # 40%, 30%, then 10%
    for group in ("other", "all"):
        position = snapshot_of(force_a, "national-position", group)
        left_out = {row["force"]: row["reason"] for row in position.comparison["left_out"]}
        assert "not provided" in left_out["Devon and Cornwall"], group
    assert snapshot_of(force_a, "national-position", "all").denominator == 3
