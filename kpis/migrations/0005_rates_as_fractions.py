"""Evidence- and panel-sourced rates are stored as fractions, as the records source stores them.

Before this, those two sources stored percentages (0 to 100) in value, ci_low and ci_high,
and the one formatter multiplied by 100 again ("Cases chosen by ISVAs 3330.0%"). Every
stored row of those sources was written on the old scale, so each is divided by 100 once;
rows written afterwards are fractions already. (Bumping the definition version instead
would leave the old rows readable until a recompute, since readers take the newest
version a quarter has.) Panel breakdowns written before this were a flat list of
{dimension, group, value} rows with no table around them, which the drill-down could not
read ("KeyError: 'kind'"); they become count tables of the shape every breakdown has.
"""

from django.db import migrations

SOURCES = ("evidence", "panels")
FIELDS = ("value", "ci_low", "ci_high")
TABLE_LABELS = {
    "selection": "Cases by how they were chosen",
    "theme": "Cases by learning theme",
}


def _scale(apps, factor):
    KpiSnapshot = apps.get_model("kpis", "KpiSnapshot")
    rows = list(
        KpiSnapshot.objects.filter(kpi__source__in=SOURCES, kpi__unit="percent").only("pk", *FIELDS)
    )
    for row in rows:
        for name in FIELDS:
            value = getattr(row, name)
            if value is not None:
                setattr(row, name, value * factor)
    KpiSnapshot.objects.bulk_update(rows, FIELDS, batch_size=500)


def _tables(flat: list[dict], of: int | None) -> list[dict]:
    tables: dict[str, dict] = {}
    for row in flat:
        dimension = row.get("dimension", "groups")
        table = tables.setdefault(
            dimension,
            {
                "dimension": dimension,
                "label": TABLE_LABELS.get(dimension, dimension.capitalize()),
                "kind": "count",
                "public": False,
                "rows": [],
            },
        )
        count = row.get("value")
        table["rows"].append(
            {
                "group": row.get("group", ""),
                "label": row.get("group", ""),
                "numerator": count,
                "denominator": of,
                "value": count / of if of and count is not None else None,
                "ci_low": None,
                "ci_high": None,
            }
        )
    return list(tables.values())


def _reshape_panel_breakdowns(apps):
    KpiSnapshot = apps.get_model("kpis", "KpiSnapshot")
    cases = {
        (row.force_id, row.period): row.value
        for row in KpiSnapshot.objects.filter(kpi__slug="panel-cases-reviewed")
    }
    changed = []
    for row in KpiSnapshot.objects.filter(kpi__source="panels").exclude(breakdowns=[]):
        breakdowns = row.breakdowns or []
        if all(isinstance(b, dict) and "rows" in b for b in breakdowns):
            continue
        of = cases.get((row.force_id, row.period))
        row.breakdowns = _tables(
            [b for b in breakdowns if isinstance(b, dict) and "rows" not in b],
            int(of) if of else None,
        ) + [b for b in breakdowns if isinstance(b, dict) and "rows" in b]
        changed.append(row)
    KpiSnapshot.objects.bulk_update(changed, ["breakdowns"], batch_size=500)


def forwards(apps, schema_editor):
    _scale(apps, 1 / 100)
    _reshape_panel_breakdowns(apps)


def backwards(apps, schema_editor):
    _scale(apps, 100)


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0004_import_batch_audit"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
