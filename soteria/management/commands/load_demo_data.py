from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from soteria.services import load_demo_data


class Command(BaseCommand):
    help = "Load the synthetic demo data set for the two demo forces (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, seed, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DEBUG is False).")
        for name, count in load_demo_data(seed=seed).items():
            self.stdout.write(f"{name}: {count}")
