"""Reading uploaded tables (CSV or XLSX) in chunks of strings, whatever the export looks like.

CSV files may be UTF-8 with or without a byte-order mark, or Windows-1252.
Headers are matched after normalising case, spacing and punctuation. Every
cell arrives as a stripped string (blank for empty), with the line number the
user would see in a spreadsheet, so reports can name the line. Wholly blank
rows (the trailing rows spreadsheets like to add) are dropped.
"""

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

HEADER_SEARCH_ROWS = 20


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong encoding, no header row, not a table)."""


def normalise_header(text) -> str:
    text = str(text if text is not None else "").replace("\xa0", " ").replace("\ufeff", "")
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


@dataclass
class Chunk:
    frame: pd.DataFrame  # every cell a stripped string; columns are normalised headers
    lines: np.ndarray  # the line (CSV) or sheet row (XLSX) of each row


@dataclass
class Table:
    headers: list[str]  # normalised, in file order
    raw_headers: list[str]
    header_line: int
    estimated_rows: int
    chunks: Iterator[Chunk]
    close: Callable[[], None]
    sheet: str = ""


HeaderTest = Callable[[list[str]], bool]


def open_table(path: Path, *, is_header: HeaderTest, chunk_rows: int = 100_000) -> Table:
    """Open a CSV or XLSX file and find its header row with ``is_header`` (normalised cells)."""
    path = Path(path)
    with open(path, "rb") as handle:
        start = handle.read(8)
    if start.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, is_header=is_header, chunk_rows=chunk_rows)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise FileProblem("This is not a readable XLSX workbook. Save it as .xlsx or .csv.")
    return _open_csv(path, is_header=is_header, chunk_rows=chunk_rows)


def detect_encoding(path: Path) -> str:
    """utf-8-sig for a BOM, utf-8 if every byte decodes, otherwise Windows-1252."""
    with open(path, "rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def _count_lines(path: Path) -> int:
    count = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 22):
            count += block.count(b"\n")
    return count


def _open_csv(path: Path, *, is_header: HeaderTest, chunk_rows: int) -> Table:
    encoding = detect_encoding(path)
    try:
        with open(path, encoding=encoding, newline="") as handle:
            head = [
                next(csv.reader([line]), []) for _, line in zip(range(50), handle, strict=False)
            ]
    except UnicodeDecodeError:
        raise FileProblem("The file is neither UTF-8 nor Windows-1252 text.") from None
    header_index = next(
        (i for i, cells in enumerate(head) if is_header([normalise_header(c) for c in cells])),
        None,
    )
    if header_index is None:
        raise FileProblem("No header row found: the first row must name the columns.")
    raw_headers = head[header_index]
    headers = [normalise_header(c) for c in raw_headers]
    header_line = header_index + 1
    try:
        reader = pd.read_csv(
            path,
            encoding=encoding,
            skiprows=header_index + 1,
            header=None,
            names=list(range(len(headers))),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            chunksize=chunk_rows,
            index_col=False,
            on_bad_lines="error",
            engine="c",
        )
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise FileProblem(f"The file is not a readable CSV table ({type(exc).__name__}).") from None

    def chunks() -> Iterator[Chunk]:
        line = header_line + 1
        try:
            for frame in reader:
                lines = np.arange(line, line + len(frame))
                line += len(frame)
                yield _tidy(frame, headers, lines)
        except pd.errors.ParserError as exc:
            # pandas counts physical lines, skipped ones included: the line the user sees.
            found = re.search(r"line (\d+), saw (\d+)", str(exc))
            where = (
                f"Line {found[1]} has {found[2]} cells"
                if found
                else f"After line {line} a row has more cells"
            )
            raise FileProblem(
                f"{where}, but the header names only {len(headers)} columns."
            ) from None
        except UnicodeDecodeError:
            raise FileProblem("The file is neither UTF-8 nor Windows-1252 text.") from None

    return Table(
        headers=headers,
        raw_headers=[str(h).strip() for h in raw_headers],
        header_line=header_line,
        estimated_rows=max(_count_lines(path) - header_line, 0),
        chunks=chunks(),
        close=reader.close,
    )


def _tidy(frame: pd.DataFrame, headers: list[str], lines: np.ndarray) -> Chunk:
    frame = frame.fillna("").apply(_strip)
    keep = (frame != "").any(axis=1).to_numpy()
    if not keep.all():
        frame, lines = frame[keep], lines[keep]
    unnamed = [i for i, h in enumerate(headers) if not h]
    for position in unnamed:
        filled = (frame[position] != "").to_numpy()
        if filled.any():
            raise FileProblem(
                f"Line {lines[filled.argmax()]}: a value lies in a column with no header."
            )
    frame = frame.drop(columns=unnamed)
    frame.columns = [h for h in headers if h]
    return Chunk(frame=frame.reset_index(drop=True), lines=lines)


def _strip(column: pd.Series) -> pd.Series:
    """Strip each distinct value once, and only if some value needs it."""
    values = set(column.tolist())
    table = {v: v.strip() for v in values if isinstance(v, str) and v != v.strip()}
    return column.replace(table) if table else column


def excel_cell_text(value) -> str:
    """A workbook cell as the text a CSV export of it would hold (dates as YYYY-MM-DD)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _open_xlsx(path: Path, *, is_header: HeaderTest, chunk_rows: int) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(f"This is not a readable XLSX workbook ({type(exc).__name__}).") from None
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        head = []
        for number, row in zip(range(1, HEADER_SEARCH_ROWS + 1), rows, strict=False):
            cells = [excel_cell_text(c) for c in row]
            head.append(cells)
            if is_header([normalise_header(c) for c in cells]):
                raw = cells
                while raw and not raw[-1]:
                    raw = raw[:-1]
                headers = [normalise_header(c) for c in raw]
                header_line = number
                total = max((sheet.max_row or 0) - header_line, 0)
                return Table(
                    headers=headers,
                    raw_headers=raw,
                    header_line=header_line,
                    estimated_rows=total,
                    chunks=_xlsx_chunks(rows, headers, header_line, chunk_rows),
                    close=workbook.close,
                    sheet=sheet.title,
                )
    workbook.close()
    raise FileProblem("No sheet in the workbook has a header row naming the expected columns.")


def _xlsx_chunks(rows, headers: list[str], header_line: int, chunk_rows: int) -> Iterator[Chunk]:
    width = len(headers)
    buffer: list[list[str]] = []
    line = header_line
    first_line = line + 1
    for row in rows:
        line += 1
        cells = [excel_cell_text(c) for c in row[:width]]
        extra = [c for c in row[width:] if c not in (None, "")]
        if extra:
            raise FileProblem(f"Row {line}: a cell lies beyond the last named column.")
        cells += [""] * (width - len(cells))
        buffer.append(cells)
        if len(buffer) >= chunk_rows:
            yield _xlsx_chunk(buffer, headers, first_line)
            buffer, first_line = [], line + 1
    if buffer:
        yield _xlsx_chunk(buffer, headers, first_line)


def _xlsx_chunk(buffer: list[list[str]], headers: list[str], first_line: int) -> Chunk:
    frame = pd.DataFrame(buffer, columns=list(range(len(headers))), dtype=object)
    return _tidy(frame.astype(str), headers, np.arange(first_line, first_line + len(buffer)))


def write_csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()
