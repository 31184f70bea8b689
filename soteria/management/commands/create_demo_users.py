from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from soteria.services import DEMO_PASSWORD, create_demo_users


class Command(BaseCommand):
    help = "Create one demo user per role for two forces (development only) and print them."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, password, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users are for development only (DEBUG is False).")
        rows = create_demo_users(password=password)
        self.stdout.write(f"\nDemo users (password for all: {password})")
        width = max(len(r[0]) for r in rows)
        for username, role, force in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role} – {force}")
