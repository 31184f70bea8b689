import json
from pathlib import Path

import pytest
from django.core.management import call_command

from kpis.models import Kpi, OffenceCode, OutcomeType
from soteria.models import (
    AssuranceMechanism,
    Force,
    ForceAlias,
    FrameworkElement,
    Objective,
    Pillar,
)

pytestmark = pytest.mark.django_db

GUIDANCE = (
    Path(__file__).resolve().parent.parent.parent / "shared/domain/nom-measuring-success-kpis.txt"
)


def _snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            Force,
            ForceAlias,
            Pillar,
            FrameworkElement,
            Objective,
            AssuranceMechanism,
            Kpi,
            OutcomeType,
            OffenceCode,
        )
    ]


def test_it_loads_the_43_forces_with_slugs_and_regions():
    assert Force.objects.count() == 43
    assert Force.objects.get(slug="city-of-london").name == "London, City of"
    assert Force.objects.get(slug="metropolitan").region == "london"
    assert not Force.objects.filter(region="").exists()


def test_it_loads_six_pillars_and_the_nom_framework():
    assert Pillar.objects.count() == 6
    kinds = {
        k: FrameworkElement.objects.filter(kind=k).count()
        for k in ("aim", "principle", "organisational")
    }
    assert kinds == {"aim": 3, "principle": 3, "organisational": 4}
    assert (
        FrameworkElement.objects.get(kind="aim", number=1).title
        == "Aim one – outcome justice for all victims"
    )


def test_every_bullet_of_the_guidance_is_loaded_word_for_word():
    bullets = {o.text for o in Objective.objects.all()} | {
        a.text for a in AssuranceMechanism.objects.all()
    }
    assert "Increase charge volumes where victim wishes a prosecution." in bullets
    assert "Monitor the proportion of named RASSO suspects who are repeat suspects." in bullets
    assert "Dip-sample six-monthly review of digital strategies." in bullets
    if GUIDANCE.exists():  # the source document sits beside the repository
        text = GUIDANCE.read_text(encoding="utf-8")
        guidance_bullets = [line[2:].strip() for line in text.splitlines() if line.startswith("- ")]
        # Not framework bullets: the four audience bullets, the Knowledge Hub link, and the
        # bullets inside the context-led principle's description.
        described = sum(e.description.count("- ") for e in FrameworkElement.objects.all())
        framework_bullets = len(guidance_bullets) - 4 - 1 - described
        assert framework_bullets == Objective.objects.count() + AssuranceMechanism.objects.count()


def test_every_assurance_mechanism_is_mapped_to_a_kpi():
    unmapped = AssuranceMechanism.objects.filter(kpis__isnull=True)
    assert list(unmapped) == []


def test_every_kpi_states_its_definition_direction_source_and_pillar():
    assert Kpi.objects.count() >= 50
    for kpi in Kpi.objects.all():
        assert kpi.definition and kpi.polarity and kpi.source and kpi.pillar_id and kpi.unit, (
            kpi.slug
        )


def test_it_loads_outcome_types_and_rasso_offence_codes():
    assert OutcomeType.objects.count() == 23
    assert OutcomeType.objects.get(code="16").role == "withdrawal"
    assert OutcomeType.objects.get(code="1").role == "charge"
    assert set(OffenceCode.objects.filter(group="rape").values_list("code", flat=True)) == {
        "19C",
        "19D",
        "19E",
        "19F",
        "19G",
        "19H",
    }


def test_loading_twice_changes_nothing(capsys):
    before = _snapshot()
    call_command("load_reference_data")
    assert _snapshot() == before
    assert "forces: 43" in capsys.readouterr().out


def test_fixture_files_are_valid_json():
    for path in (Path(__file__).resolve().parent.parent / "fixtures").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
