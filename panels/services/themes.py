"""Reference data: the learning-theme taxonomy."""

from soteria.models import Pillar
from soteria.services import read_fixture

from ..models import LearningTheme


def load_learning_themes() -> dict[str, int]:
    """The initial learning-theme taxonomy (fixtures/panel_learning_themes.json); idempotent.

    Themes an administrator added in admin are left alone.
    """
    pillars = {p.number: p for p in Pillar.objects.all()}
    for order, row in enumerate(read_fixture("panel_learning_themes.json")["themes"]):
        LearningTheme.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "description": row["description"],
                "pillar": pillars.get(row.get("pillar")),
                "order": order,
            },
        )
    return {"learning themes": LearningTheme.objects.count()}
