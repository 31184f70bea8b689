from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from soteria.dataloads import ensure_demo_users
from soteria.services import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create one demo user per role for two forces (development only) and print them."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD)
        parser.add_argument(
            "--force", action="store_true", help="Check every account even if already created"
        )

    def handle(self, *args, password, force, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users are for development only (DEBUG is False).")
        rows = ensure_demo_users(password=password, force=force)
        self.stdout.write(f"\nDemo users (password for all: {password})")
        width = max(len(r[0]) for r in rows)
        for username, role, force_name in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role} – {force_name}")
