from django.core.management.base import BaseCommand, CommandError

from kpis.engine.snapshots import compute_snapshots, periods_with_data
from soteria.models import Force, normalise_force_name
from soteria.periods import Period


class Command(BaseCommand):
    help = "Recompute KPI snapshots for one or every force, for one or every quarter with data."

    def add_arguments(self, parser):
        parser.add_argument("--force", help="Force name or slug (default: every force)")
        parser.add_argument(
            "--period", help="Financial quarter, e.g. 2024-25-q1 (default: every quarter with data)"
        )

    def handle(self, *args, force=None, period=None, **options):
        forces = Force.objects.all()
        if force:
            forces = forces.filter(slug=force) | forces.filter(
                aliases__alias=normalise_force_name(force)
            )
            forces = forces.distinct()
            if not forces:
                raise CommandError(f"No force called {force!r}")
        try:
            only = Period.parse(period) if period else None
        except ValueError as error:
            raise CommandError(str(error)) from error
        total = 0
        for f in forces:
            for p in [only] if only else periods_with_data(force=f):
                total += compute_snapshots(force=f, period=p)
        self.stdout.write(f"Stored {total} snapshots.")
