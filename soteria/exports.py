"""Every CSV and XLSX the product writes goes through here.

One place makes each cell safe to open in a spreadsheet and each file readable by an
analyst's tools: a CSV is one tidy table (one header row, numbers as plain numbers, an
empty cell where a figure is suppressed), and its metadata travels beside it (a second
file of a ZIP, or a workbook's second sheet). Text that a spreadsheet would run as a
formula (``=``, ``+``, ``-``, ``@``, or a leading tab or carriage return) is quoted, and
openpyxl is never handed a string it would store as a formula.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

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
        sheet.freeze_panes = "A2"
    if title:
        book.properties.title = neutralise(title)[:255]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str) -> str:
    return re.sub(r"[\\/*?:\[\]]", "-", title)[:31] or "Sheet"
