"""Every CSV, XLSX and ZIP the product writes goes through here.

One place makes each cell safe to open in a spreadsheet and each file readable by an
analyst's tools: a CSV is one tidy table (one header row, numbers as plain numbers, an
empty cell where a figure is suppressed), and its metadata travels beside it (a second
file of a ZIP, or a workbook's second sheet). Text that a spreadsheet would run as a
formula (``=``, ``+``, ``-``, ``@``, or a leading tab or carriage return) is quoted, and
openpyxl is never handed a string it would store as a formula.

Every export says what its data is as at (``AsAt``: the latest moment of each source it
reads, and when the file was made). A ZIP or a workbook says it in its metadata; a plain
CSV, which has nowhere else, ends each row with ``as_at_…`` columns (UK time,
``YYYY-MM-DD HH:MM``, empty for "none yet"), so it stays one table pandas reads as it is.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Number formats by column kind: rates are stored as fractions and shown as percentages.
FORMATS = {
    "percent": "0.0%",
    "integer": "#,##0",
    "decimal": "#,##0.00",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}


def neutralise(value):
    """A cell a spreadsheet shows as written and never runs: text only is changed."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass
class Table:
    """One tidy table: a header row and one row per observation.

    ``kinds`` maps a column to a number format kind (see FORMATS); other columns are text
    or plain numbers as given.
    """

    title: str
    columns: list[str]
    rows: list[list]
    kinds: dict[str, str] = field(default_factory=dict)
    row_kinds: list[dict[str, str]] = field(default_factory=list)  # per-row overrides
    widths: dict[str, int] = field(default_factory=dict)  # XLSX column widths, in characters


def clean_row(row: list) -> list:
    out = []
    for value in row:
        if isinstance(value, bool):
            out.append(value)
        elif isinstance(value, float) and value != value:  # NaN
            out.append(None)
        else:
            out.append(neutralise(value))
    return out


def csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # "\r\n": a field holding a lone "\r" is quoted too
    writer.writerow([neutralise(c) for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in clean_row(row)])
    return buffer.getvalue()


def metadata_table(items: list[tuple[str, object]]) -> Table:
    return Table("About", ["item", "detail"], [[k, v] for k, v in items])


@dataclass(frozen=True)
class Stamp:
    """The latest moment of one source an export reads: an import, a table, an approval."""

    column: str  # as_at_<column> in a plain CSV
    label: str  # the metadata's item
    phrase: str  # in the sentence: "<phrase> <when>"
    moment: dt.datetime | None


@dataclass(frozen=True)
class AsAt:
    stamps: tuple[Stamp, ...]
    generated: dt.datetime = field(default_factory=timezone.now)

    @property
    def text(self) -> str:
        """The sources in a sentence, for a page (which is live, so without "generated")."""
        return f"Data as at: {self.detail}"

    @property
    def detail(self) -> str:
        return "; ".join(f"{s.phrase} {when(s.moment)}" for s in self.stamps) + "."

    def items(self) -> list[tuple[str, str]]:
        return [(s.label, when(s.moment)) for s in self.stamps] + [
            ("File generated", when(self.generated))
        ]

    def columns(self) -> list[str]:
        return [f"as_at_{s.column}" for s in self.stamps] + ["as_at_generated"]

    def values(self) -> list[str | None]:
        return [_stamp(s.moment) for s in self.stamps] + [_stamp(self.generated)]


def when(moment: dt.datetime | None) -> str:
    """A moment as people read it, in UK time: "14 Jul 2024 09:30", or "none yet"."""
    if moment is None:
        return "none yet"
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y %H:%M}"


def _stamp(moment: dt.datetime | None) -> str | None:
    return None if moment is None else f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def with_as_at(table: Table, as_at: AsAt) -> Table:
    """The table with the as-at columns at the end of every row, for a plain CSV."""
    values = as_at.values()
    return Table(
        table.title,
        [*table.columns, *as_at.columns()],
        [[*row, *values] for row in table.rows],
        table.kinds,
        table.row_kinds,
        table.widths,
    )


def export_response(
    data: Table,
    about: list[tuple[str, object]],
    as_at: AsAt,
    *,
    name: str,
    fmt: str,
    title: str,
) -> HttpResponse:
    """A tidy table as the download asked for: ``csv`` (the table with its as-at columns),
    ``zip`` (the table and its about file) or ``xlsx`` (a sheet each). The about file or
    sheet is ``about`` followed by what the data is as at."""
    metadata = metadata_table([*about, *as_at.items()])
    if fmt == "csv":
        response = HttpResponse(
            csv_text(with_as_at(data, as_at)), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "zip":
        response = HttpResponse(
            zip_bytes({f"{name}.csv": data, f"{name}-about.csv": metadata}),
            content_type="application/zip",
        )
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes([data, metadata], title=title), content_type=XLSX_TYPE)
    else:
        raise ValueError(f"No export format {fmt!r}")
    return _attachment(response, name, fmt)


def workbook_response(
    tables: list[Table],
    about: list[tuple[str, object]],
    as_at: AsAt,
    *,
    name: str,
    fmt: str,
    title: str,
) -> HttpResponse:
    """Several tidy tables (a report's sections) as ``xlsx`` (a sheet each, then About) or
    ``zip`` (a CSV each, then the about file), the about part ending with what the data is
    as at."""
    metadata = metadata_table([*about, *as_at.items()])
    if fmt == "xlsx":
        content, kind = xlsx_bytes([*tables, metadata], title=title), XLSX_TYPE
    elif fmt == "zip":
        files = {f"{name}-{slugify(t.title)}.csv": t for t in tables}
        files[f"{name}-about.csv"] = metadata
        content, kind = zip_bytes(files), "application/zip"
    else:
        raise ValueError(f"No workbook format {fmt!r}")
    return _attachment(HttpResponse(content, content_type=kind), name, fmt)


def _attachment(response: HttpResponse, name: str, fmt: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def zip_bytes(files: dict[str, Table]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in files.items():
            archive.writestr(name, csv_text(table))
    return buffer.getvalue()


def xlsx_bytes(tables: list[Table], *, title: str = "") -> bytes:
    """A workbook with a sheet per table: header in bold, numbers with number formats."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title))
        sheet.append([neutralise(c) for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        formats = {
            i: FORMATS[table.kinds[c]] for i, c in enumerate(table.columns) if c in table.kinds
        }
        for index, row in enumerate(table.rows):
            sheet.append(clean_row(row))
            overrides = table.row_kinds[index] if index < len(table.row_kinds) else {}
            row_formats = {
                **formats,
                **{table.columns.index(c): FORMATS[k] for c, k in overrides.items()},
            }
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":  # never: neutralise quoted it; kept as a guard
                    cell.data_type = "s"
                fmt = row_formats.get(cell.column - 1)
                if fmt and isinstance(cell.value, int | float | dt.date):
                    cell.number_format = fmt
                elif isinstance(cell.value, dt.datetime):
                    cell.number_format = FORMATS["datetime"]
                elif isinstance(cell.value, dt.date):
                    cell.number_format = FORMATS["date"]
        for index, column in enumerate(table.columns, start=1):
            if column in table.widths:
                sheet.column_dimensions[get_column_letter(index)].width = table.widths[column]
        sheet.freeze_panes = "A2"
    if title:
        book.properties.title = neutralise(title)[:255]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str) -> str:
    return re.sub(r"[\\/*?:\[\]]", "-", title)[:31] or "Sheet"
