from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from soteria.dataloads import ensure_demo_data


class Command(BaseCommand):
    help = (
        "Load the synthetic demo data set for the two demo forces (development only); skipped "
        "when this version of it (code, seed and latest quarter) is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="Load even if this version is already loaded"
        )

    def handle(self, *args, seed, force, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DEBUG is False).")
        counts = ensure_demo_data(seed=seed, force=force)
        if counts is None:
            self.stdout.write("Demo data is already loaded (this version; --force reloads it).")
            return
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
