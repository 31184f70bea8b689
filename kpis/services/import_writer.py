"""Bulk writes for imports: COPY on PostgreSQL (psycopg 3), executemany elsewhere.

Callers hand over a DataFrame of database-ready strings (None for NULL) in
the order of ``columns``, inside their own transaction. Values written here
are validated codes, dates, integers and hex hashes, so they never hold a
tab, newline or backslash and need no escaping for COPY's text format.
"""

import pandas as pd
from django.db import connection
from django.db.models import Model


def table_columns(model: type[Model], names: list[str]) -> tuple[str, list[str]]:
    meta = model._meta
    return meta.db_table, [meta.get_field(name).column for name in names]


def write_frame(*, model: type[Model], fields: list[str], frame: pd.DataFrame) -> int:
    if frame.empty:
        return 0
    table, columns = table_columns(model, fields)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        text = _copy_text(frame)
        with connection.cursor() as cursor:
            with cursor.copy(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            ) as copy:
                copy.write(text)
    else:
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})"
        rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(rows))
    return len(frame)


def _copy_text(frame: pd.DataFrame) -> str:
    columns = [frame[c].astype(object).where(frame[c].notna(), r"\N").astype(str) for c in frame]
    lines = columns[0].str.cat(columns[1:], sep="\t")
    return "\n".join(lines.tolist()) + "\n"
