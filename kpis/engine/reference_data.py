"""KPI services: the catalogue and code lists (reference data)."""

from soteria.models import AssuranceMechanism, FrameworkElement, Pillar
from soteria.services import read_fixture

from .models import Kpi, OffenceCode, OutcomeType


def load_catalogue() -> dict[str, int]:
    """Load the KPI catalogue from the NOM framework fixture, and the Home Office code lists."""
    framework = read_fixture("nom_framework.json")
    elements = {e.slug: e for e in FrameworkElement.objects.all()}
    pillars = {p.number: p for p in Pillar.objects.all()}
    assurance = {
        (a.element.slug, a.order): a for a in AssuranceMechanism.objects.select_related("element")
    }
    fields = [
        "name",
        "caption",
        "definition",
        "numerator",
        "denominator",
        "source",
        "polarity",
        "unit",
        "frequency",
        "basis",
        "whole_system",
        "value_kind",
        "numerator_label",
        "denominator_label",
        "min_denominator",
    ]
    for order, row in enumerate(framework["kpis"]):
        defaults = {
            f: row.get(f) or ("" if f not in ("min_denominator", "whole_system") else None)
            for f in fields
        }
        defaults["whole_system"] = bool(row.get("whole_system"))
        defaults.update(
            element=elements[row["element"]],
            pillar=pillars[row["pillar"]],
            default_target=row.get("target"),
            threshold=row.get("threshold"),
            version=row.get("version", 1),
            order=order,
        )
        kpi, _ = Kpi.objects.update_or_create(slug=row["slug"], defaults=defaults)
        kpi.assurance.set([assurance[(slug, index)] for slug, index in row["assurance"]])
    # A part names its whole by slug; the whole may come later in the file.
    kpis = {k.slug: k for k in Kpi.objects.all()}
    for row in framework["kpis"]:
        whole = kpis[row["part_of"]] if row.get("part_of") else None
        part = kpis[row["slug"]]
        if part.part_of_id != (whole.pk if whole else None):
            part.part_of = whole
            part.save(update_fields=["part_of"])

    codes = read_fixture("home_office_codes.json")
    for row in codes["outcome_types"]:
        OutcomeType.objects.update_or_create(
            code=row["code"], defaults={k: row[k] for k in ("label", "group", "role")}
        )
    for row in codes["offence_codes"]:
        OffenceCode.objects.update_or_create(
            code=row["code"], defaults={k: row[k] for k in ("description", "group")}
        )
    return {
        "KPIs": Kpi.objects.count(),
        "outcome types": OutcomeType.objects.count(),
        "offence codes": OffenceCode.objects.count(),
    }
