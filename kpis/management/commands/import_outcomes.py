from django.core.management.base import BaseCommand, CommandError

from kpis.imports import services as imports
from kpis.models import ImportBatch
from soteria.models import Force, ForceAlias, normalise_force_name


class Command(BaseCommand):
    help = (
        "Import a crime-outcome file synchronously: a record-level extract (CSV or XLSX, "
        "docs/import-format.md) or a Home Office outcomes open data table. All or nothing; "
        "exits non-zero if the file is rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--format", choices=["records", "home-office"], default="records")
        parser.add_argument(
            "--force",
            help="The force the extract is for (name, slug or alias); every row must be for it",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Confirm, in advance, replacing data already held for the file's force and period",
        )

    def handle(self, *args, path, format, force, replace, **options):
        if format == "home-office" and force:
            raise CommandError(
                "A Home Office outcomes table is national data, for every force: omit --force."
            )
        target = find_force(force) if force else None
        try:
            source = open(path, "rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        with source:
            try:
                batch = imports.create_batch(
                    kind=format, source=source, file_name=path, force=target, uploaded_by=None
                )
            except imports.UploadNotStored as problem:
                raise CommandError(str(problem)) from None
        if batch.status == ImportBatch.Status.PENDING:
            imports.import_outcomes(batch=batch, progress=self.progress)
        if batch.status == ImportBatch.Status.AWAITING_CONFIRMATION and replace:
            self.stderr.write("")
            self.stdout.write(batch.message)
            imports.confirm_replacement(batch=batch, by=None, queue=False)
            imports.import_outcomes(batch=batch, progress=self.progress)
        self.report(batch)

    def progress(self, *, read, validated, written, total):
        self.stderr.write(f"\r{read:,} of ~{total:,} rows read, {written:,} written", ending="")
        self.stderr.flush()

    def report(self, batch: ImportBatch) -> None:
        self.stderr.write("")
        self.stdout.write(f"Batch {batch.pk}: {batch.get_status_display()}. {batch.message}")
        for error in batch.errors:
            self.stdout.write(
                f"  line {error['line']}, {error['column']}: {error['value']!r} {error['reason']}"
            )
        if batch.status not in (ImportBatch.Status.SUCCEEDED, ImportBatch.Status.DUPLICATE):
            if batch.status == ImportBatch.Status.AWAITING_CONFIRMATION:
                self.stdout.write("Run again with --replace to replace the earlier data.")
            raise CommandError(f"Not imported: {batch.get_status_display().lower()}.")


def find_force(text: str) -> Force:
    force = Force.objects.filter(slug=text).first()
    if force is None:
        alias = ForceAlias.objects.filter(alias=normalise_force_name(text)).first()
        force = alias.force if alias else None
    if force is None:
        raise CommandError(f"No force called {text!r}.")
    return force
