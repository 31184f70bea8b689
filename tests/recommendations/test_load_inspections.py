"""The inspections reference data: checked against the domain documents, loaded idempotently."""

import datetime as dt
import re
from pathlib import Path

import pytest

from recommendations.models import Addressee, Inspection, Recommendation
from recommendations.services import load_inspections

pytestmark = pytest.mark.django_db

DOMAIN = Path(__file__).resolve().parents[3] / "shared/domain"


def _normalise(text: str) -> str:
    text = re.sub(r"</?u>", "", text).replace("’", "'")
    return re.sub(r"\s+", " ", text).strip()


def test_it_loads_all_14_recommendations_of_the_2024_inspection_with_their_deadlines():
    inspection = Inspection.objects.get(slug="soteria-nom-2024")
    assert inspection.published == dt.date(2024, 8, 22)
    assert inspection.inspectorate == "HMICFRS"
    deadlines = dict(inspection.recommendations.values_list("number", "deadline"))
    assert len(deadlines) == 14
    assert deadlines["1"] == dt.date(2024, 11, 30)
    assert deadlines["5"] == dt.date(2025, 7, 31)
    assert deadlines["8"] == dt.date(2025, 11, 30)
    assert deadlines["11"] == dt.date(2025, 3, 31)
    assert deadlines["14"] == dt.date(2024, 9, 30)


def test_five_of_the_2024_recommendations_are_for_forces():
    forces = Recommendation.objects.filter(
        inspection__slug="soteria-nom-2024", addressee=Addressee.FORCES
    )
    assert sorted(forces.values_list("number", flat=True), key=int) == ["3", "5", "7", "9", "11"]


def test_the_2021_joint_inspection_has_the_eight_recommendations_for_local_forces():
    inspection = Inspection.objects.get(slug="joint-rape-inspection-2021")
    assert inspection.published == dt.date(2021, 7, 16)
    numbers = list(inspection.recommendations.values_list("number", flat=True))
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "12"]
    assert not inspection.recommendations.exclude(addressee=Addressee.FORCES).exists()


@pytest.mark.skipif(
    not DOMAIN.exists(), reason="the shared domain documents are not beside the repo"
)
@pytest.mark.parametrize(
    "slug, document",
    [
        ("soteria-nom-2024", "hmicfrs-soteria-nom-inspection-2024.txt"),
        ("joint-rape-inspection-2021", "avon-somerset-pcc-response-2021.txt"),
    ],
)
def test_every_recommendation_is_worded_as_in_the_report(slug, document):
    source = _normalise((DOMAIN / document).read_text(encoding="utf-8"))
    for rec in Recommendation.objects.filter(inspection__slug=slug):
        for paragraph in rec.text.split("\n"):
            paragraph = _normalise(paragraph.removeprefix("- "))
            assert not paragraph or paragraph in source, (rec.number, paragraph)


def test_loading_twice_changes_nothing():
    before = list(Recommendation.objects.order_by("pk").values())
    counts = load_inspections()
    assert counts == {"inspections": 2, "recommendations": 22}
    assert list(Recommendation.objects.order_by("pk").values()) == before
