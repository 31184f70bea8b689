import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = (
        "`make run`: migrate, load the reference data, the demo users and the demo data (each "
        "skipped when nothing has changed since the last start), then serve with runserver."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DEBUG is False).")
        # runserver's autoreloader runs this command again in a child process (RUN_MAIN set)
        # and again on every code change: the parent has already brought the database up to date.
        if os.environ.get("RUN_MAIN") != "true":
            self.prepare()
        call_command("runserver", addrport)

    def prepare(self) -> None:
        connection = connections["default"]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", interactive=False)
        else:
            self.stdout.write("Migrations: up to date.")
        call_command("load_reference_data")
        call_command("create_demo_users")
        call_command("load_demo_data")
