from django.core.management.base import BaseCommand

from soteria.dataloads import ensure_reference_data


class Command(BaseCommand):
    help = (
        "Load forces, pillars, the NOM framework, the KPI catalogue, code lists and inspections "
        "(idempotent; skipped when the fixtures and loaders have not changed since the last load)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even if this version is already loaded"
        )

    def handle(self, *args, force, **options):
        counts = ensure_reference_data(force=force)
        if counts is None:
            self.stdout.write("Reference data is up to date (fixtures and loaders unchanged).")
            return
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
