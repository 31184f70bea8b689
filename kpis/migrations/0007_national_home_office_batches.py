"""The Home Office outcomes table is national data: its batches belong to no force.

Tables uploaded through a force's imports page were recorded against that force; they are
moved to the national imports page, where only national roles may confirm or cancel them.
"""

from django.db import migrations


def nationalise(apps, schema_editor):
    ImportBatch = apps.get_model("kpis", "ImportBatch")
    ImportBatch.objects.filter(kind="home-office").exclude(force=None).update(force=None)


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0006_merge_targets_and_home_office_source"),
    ]

    operations = [migrations.RunPython(nationalise, migrations.RunPython.noop)]
