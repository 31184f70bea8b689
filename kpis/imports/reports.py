"""An import's rejection report as a download: every problem found, one row each.

A tidy table (line, column, value, reason) that says which import it reports on and
what it is as at: when this file was uploaded and finished, and the latest import of its
kind that succeeded (so a reader sees whether a later file has since been loaded).
"""

from django.http import HttpResponse

from soteria.exports import AsAt, Stamp, Table, export_response

from ..engine.as_at import home_office_stamp, latest_imports, records_stamp
from ..engine.models import ImportBatch

COLUMNS = ["line", "column", "value", "reason"]


def rejection_table(batch: ImportBatch) -> Table:
    rows = [[e["line"], e["column"], e["value"], e["reason"]] for e in batch.errors]
    return Table("Rejected rows", COLUMNS, rows, kinds={"line": "integer"})


def rejection_about(batch: ImportBatch) -> list[tuple[str, object]]:
    return [
        ("Import", f"Number {batch.pk}: {batch.get_kind_display()}"),
        ("Force", batch.force.name if batch.force else "National (every force)"),
        ("File", batch.file_name),
        ("Status", batch.get_status_display()),
        ("Rows read", batch.rows_read),
        ("Problems", len(batch.errors)),
    ]


def rejection_as_at(batch: ImportBatch) -> AsAt:
    latest = latest_imports(force=batch.force)
    if batch.kind == ImportBatch.Kind.RECORDS:
        current = records_stamp(latest["records"])
    else:
        current = home_office_stamp(latest["home_office"])
    return AsAt(
        (
            Stamp(
                "import_uploaded", "This import uploaded", "this import uploaded", batch.created_at
            ),
            Stamp(
                "import_finished", "This import finished", "this import finished", batch.finished_at
            ),
            current,
        )
    )


def rejection_report(batch: ImportBatch) -> HttpResponse:
    """The report as a CSV: the table, then its as-at columns (soteria/exports.py)."""
    return export_response(
        rejection_table(batch),
        rejection_about(batch),
        rejection_as_at(batch),
        name=f"import-{batch.pk}-rejected-rows",
        fmt="csv",
        title=f"Import {batch.pk}: rejected rows",
    )
