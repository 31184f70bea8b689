"""Migration 0005: stored evidence and panel percentages become fractions, once, and panel
breakdowns written as flat lists become tables; records rows are left as they were."""

import importlib

import pytest
from django.apps import apps

from kpis.models import Kpi, KpiSnapshot

migration = importlib.import_module("kpis.migrations.0005_rates_as_fractions")


@pytest.fixture
def old_rows(force_a):
    def make(slug, **fields):
        return KpiSnapshot.objects.create(
            force=force_a, kpi=Kpi.objects.get(slug=slug), period="2024-25-q2", **fields
        )

    return {
        "devices": make("victim-device-return", value=58.9, ci_low=47.4, ci_high=69.5),
        "isva": make("panel-isva-share", value=33.3, numerator=1, denominator=3),
        "cases": make("panel-cases-reviewed", value=3, numerator=3),
        "themes": make(
            "panel-learning-themes",
            value=2,
            breakdowns=[
                {"dimension": "theme", "group": "Third-party material", "value": 3},
                {"dimension": "theme", "group": "Timeliness and delay", "value": 1},
            ],
        ),
        "charge-rate": make("charge-rate", value=0.131, ci_low=0.11, ci_high=0.15),
        "sickness": make("sickness-days", value=4.5),
    }


def test_it_divides_evidence_and_panel_percentages_by_100_and_nothing_else(old_rows):
    migration.forwards(apps, None)
    stored = {key: KpiSnapshot.objects.get(pk=row.pk) for key, row in old_rows.items()}
    devices = stored["devices"]
    assert (devices.value, devices.ci_low, devices.ci_high) == pytest.approx((0.589, 0.474, 0.695))
    assert stored["isva"].value == pytest.approx(0.333)
    assert stored["charge-rate"].value == pytest.approx(0.131)  # already a fraction
    assert stored["sickness"].value == 4.5  # days, not a rate
    assert stored["cases"].value == 3


def test_flat_panel_breakdowns_become_count_tables(old_rows):
    migration.forwards(apps, None)
    (table,) = KpiSnapshot.objects.get(pk=old_rows["themes"].pk).breakdowns
    assert (table["dimension"], table["kind"], table["label"]) == (
        "theme",
        "count",
        "Cases by learning theme",
    )
    assert [(r["label"], r["numerator"], r["denominator"]) for r in table["rows"]] == [
        ("Third-party material", 3, 3),  # of the 3 cases reviewed that quarter
        ("Timeliness and delay", 1, 3),
    ]


def test_going_back_restores_the_old_scale(old_rows):
    migration.forwards(apps, None)
    migration.backwards(apps, None)
    assert KpiSnapshot.objects.get(pk=old_rows["devices"].pk).value == pytest.approx(58.9)
    assert KpiSnapshot.objects.get(pk=old_rows["charge-rate"].pk).value == pytest.approx(0.131)
