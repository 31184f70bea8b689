"""After a large import the crime records table is analysed (PostgreSQL), so the next import's
check for references already held plans for the table's real size; small imports leave it to
autovacuum, and on SQLite there is nothing to do."""

import pytest
from django.db import connection

from kpis.imports.writer import refresh_statistics
from kpis.models import CrimeRecord

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's"
)


def test_a_small_import_leaves_the_statistics_to_autovacuum():
    assert refresh_statistics(model=CrimeRecord, rows_written=9_999) is False


@postgres_only
def test_a_large_import_analyses_the_table():
    assert refresh_statistics(model=CrimeRecord, rows_written=50_000) is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'kpis_crimerecord'::regclass")
        assert cursor.fetchone()[0] >= 0  # counted (an empty table counts 0, never -1)


@postgres_only
def test_an_import_small_beside_the_table_is_left_to_autovacuum():
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pg_class SET reltuples = 1000000 WHERE oid = 'kpis_crimerecord'::regclass"
        )
    assert refresh_statistics(model=CrimeRecord, rows_written=50_000) is False
