from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("soteria", "0003_force_commissioner_title"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="membership",
            name="membership_force_role_needs_force",
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("chief_officer", "Chief officer"),
                    ("soteria_lead", "Force Soteria lead"),
                    ("pillar_lead", "Pillar lead"),
                    ("analyst", "Analyst"),
                    ("panel_member", "Scrutiny panel member"),
                    ("external_panel", "External panel member"),
                    ("pcc_staff", "PCC office staff"),
                    ("national_viewer", "National viewer"),
                    ("national_analyst", "National analyst"),
                    ("administrator", "Administrator"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(force__isnull=False)
                | models.Q(role__in=["national_viewer", "national_analyst", "administrator"]),
                name="membership_force_role_needs_force",
            ),
        ),
    ]
