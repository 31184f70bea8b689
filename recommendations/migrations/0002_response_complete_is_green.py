from django.db import migrations, models


def complete_is_green(apps, schema_editor):
    Response = apps.get_model("recommendations", "Response")
    Response.objects.filter(status="complete").exclude(rag="green").update(rag="green")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0001_inspections_and_responses"),
    ]

    operations = [
        migrations.RunPython(complete_is_green, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("status", "complete"), _negated=True), ("rag", "green"), _connector="OR"),
                name="response_complete_is_green",
                violation_error_message="A recommendation signed off as complete is rated green.",
            ),
        ),
    ]
