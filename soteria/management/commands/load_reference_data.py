from django.core.management.base import BaseCommand

from soteria.services import load_reference_data


class Command(BaseCommand):
    help = "Load forces, pillars, the NOM framework, the KPI catalogue, code lists and inspections (idempotent)."

    def handle(self, *args, **options):
        for name, count in load_reference_data().items():
            self.stdout.write(f"{name}: {count}")
