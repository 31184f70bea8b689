from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kpis.imports.demo import generate_extract_file, generate_home_office_file
from soteria.models import Force
from soteria.periods import Period
from soteria.services import DEMO_FORCES


class Command(BaseCommand):
    help = (
        "Write a SYNTHETIC crime-outcome file: a record-level extract (default) or a Home Office "
        "outcomes table for all 43 forces. Distributions follow the public national figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=10_000, help="Rows in the extract")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", required=True, help="Where to write the CSV file")
        parser.add_argument("--format", choices=["records", "home-office"], default="records")
        parser.add_argument(
            "--forces",
            help="Comma-separated force slugs for the extract (default: the two demo forces)",
        )
        parser.add_argument(
            "--quarters", type=int, default=8, help="Home Office table: quarters up to the latest"
        )

    def handle(self, *args, records, seed, out, format, forces, quarters, **options):
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"No directory {path.parent} to write into.")
        if format == "home-office":
            if Force.objects.count() != 43:
                raise CommandError("Load the reference data first: manage.py load_reference_data")
            periods = Period.latest_complete().trailing(quarters)
            rows = generate_home_office_file(path=path, seed=seed, periods=periods)
            self.stdout.write(f"Wrote {rows:,} SYNTHETIC Home Office outcome rows to {path}")
            return
        if records < 1:
            raise CommandError("--records must be at least 1.")
        slugs = [s.strip() for s in (forces or ",".join(DEMO_FORCES)).split(",") if s.strip()]
        found = dict(Force.objects.filter(slug__in=slugs).values_list("slug", "name"))
        if missing := [s for s in slugs if s not in found]:
            raise CommandError(f"Unknown force slug: {', '.join(missing)}")
        generate_extract_file(
            path=path, records=records, seed=seed, forces=[found[s] for s in slugs]
        )
        self.stdout.write(f"Wrote {records:,} SYNTHETIC crime records to {path}")
