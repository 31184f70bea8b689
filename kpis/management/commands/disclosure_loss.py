from django.core.management.base import BaseCommand, CommandError

from kpis.engine.loss import measure_loss
from soteria.models import Force


class Command(BaseCommand):
    help = (
        "How much disclosure control withholds: the share of breakdown cells withheld, by "
        "cell size and window, over every quarter of the forces with records (or those given)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="append", help="Force slug (repeatable)")

    def handle(self, *args, force=None, **options):
        forces = Force.objects.filter(crime_records__isnull=False).distinct().order_by("name")
        if force:
            forces = Force.objects.filter(slug__in=force).order_by("name")
            missing = set(force) - set(forces.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No force with slug {sorted(missing)}")
        loss = measure_loss(list(forces))
        self.stdout.write(
            f"{loss.tables} disclosure tables, forces: {', '.join(f.name for f in forces)}"
        )
        self.stdout.write(loss.report())
