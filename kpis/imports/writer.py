"""Bulk writes for imports: COPY on PostgreSQL (psycopg 3), executemany elsewhere.

Callers hand over DataFrames of database-ready strings (None for NULL) in the
order of ``fields``, inside their own transaction. Values written here are
validated codes, dates, integers and hex hashes, so they never hold a tab,
newline or backslash and need no escaping for COPY's text format.

On PostgreSQL the COPY of one chunk runs in a helper thread while the caller
validates the next chunk, so reading and writing overlap; ``wait()`` must be
called before the caller uses the connection for anything else.
"""

import logging
from concurrent.futures import Future, ThreadPoolExecutor

import pandas as pd
from django.db import connection
from django.db.models import Model

log = logging.getLogger(__name__)


def table_columns(model: type[Model], names: list[str]) -> tuple[str, list[str]]:
    meta = model._meta
    return meta.db_table, [meta.get_field(name).column for name in names]


class FrameWriter:
    def __init__(self, *, model: type[Model], fields: list[str]):
        table, columns = table_columns(model, fields)
        quote = connection.ops.quote_name
        self.columns = ", ".join(quote(c) for c in columns)
        self.table = quote(table)
        self.postgres = connection.vendor == "postgresql"
        self._pool = ThreadPoolExecutor(max_workers=1) if self.postgres else None
        self._pending: Future | None = None

    def write(self, frame: pd.DataFrame) -> int:
        if frame.empty:
            return 0
        if not self.postgres:
            return self._insert(frame)
        columns = [_texts(frame[c]) for c in frame.columns]
        text = "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"
        self.wait()
        connection.ensure_connection()
        self._pending = self._pool.submit(self._copy, connection.connection, text)
        return len(frame)

    def _copy(self, raw, text: str) -> None:
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                copy.write(text)

    def _insert(self, frame: pd.DataFrame) -> int:
        placeholders = ", ".join(["%s"] * len(frame.columns))
        sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})"
        rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(rows))
        return len(frame)

    def wait(self) -> None:
        """Block until the chunk being written has been written (re-raising its error)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)


def _texts(column: pd.Series) -> list[str]:
    values = column.tolist()
    if column.hasnans or not pd.api.types.is_string_dtype(column):
        return [r"\N" if v is None or v != v else str(v) for v in values]
    return values


def write_frame(*, model: type[Model], fields: list[str], frame: pd.DataFrame) -> int:
    writer = FrameWriter(model=model, fields=fields)
    try:
        return writer.write(frame)
    finally:
        writer.close()


def refresh_statistics(*, model: type[Model], rows_written: int) -> bool:
    """After a large write, ANALYZE the table (PostgreSQL), so that the planner knows its size.

    Until autovacuum gets to it (a minute or more later, longer on a busy server), the planner
    still plans for the table as it was: after a first million rows it took the force's
    million rows for a thousand, and the next import's check for crime references already
    held scanned all of them (0.9 s per 5,000 references instead of 0.08 s). Run after the
    import commits, outside its transaction; it never fails an import. Small writes (under
    10,000 rows, or a tenth of the table as last counted) leave it to autovacuum.
    """
    if connection.vendor != "postgresql" or rows_written < 10_000:
        return False
    table = model._meta.db_table
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
            (counted,) = cursor.fetchone()
            if counted >= 0 and rows_written < 0.1 * counted:
                return False
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    except Exception as exc:  # statistics are an optimisation: the import stands regardless
        log.warning("ANALYZE %s after an import failed: %s", table, type(exc).__name__)
        return False
    return True
