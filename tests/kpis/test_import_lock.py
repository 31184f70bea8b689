"""Imports of one force are written one after the other (an advisory lock per force).

Issue 12: two different files for the same force imported at the same moment both
succeeded, neither held for confirmation, because each checked for data already
held before the other had committed. One after the other, the second is held.

PostgreSQL only: on SQLite the import's first statement takes the database's only
write lock, which serialises imports (kpis/imports/locks.py).
"""

import threading
import time

import pytest
from django.db import connection

from kpis.imports import services as imports
from kpis.imports.locks import RECORDS_LOCKS
from kpis.models import CrimeRecord, ImportBatch

from .import_helpers import records, write_extract

pytestmark = pytest.mark.django_db(transaction=True)
Status = ImportBatch.Status


@pytest.fixture(autouse=True)
def postgresql_only(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's advisory locks; SQLite has one writer at a time anyway")
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"


def make_batch(tmp_path, force, name: str, count: int, prefix: str) -> ImportBatch:
    path = write_extract(tmp_path / name, records(count, prefix=prefix, force=force.name))
    return imports.create_batch(
        kind="records", source=path, file_name=name, force=force, uploaded_by=None
    )


def an_import_is_waiting_for_the_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND classid = %s::oid",
            [RECORDS_LOCKS],
        )
        return cursor.fetchone()[0] > 0


def run_side_by_side(first: ImportBatch, second: ImportBatch) -> str:
    """Start ``first``; once it has written its rows (not yet committed) start ``second``;
    ``first`` commits when ``second`` is waiting for it, or has finished without waiting.
    Returns which it was: "second waited" or "second finished first"."""
    inside, finished, seen = threading.Event(), {}, []

    def hold_until_the_other_waits_or_ends(**counts):
        inside.set()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if finished[second.pk].is_set():
                seen.append("second finished first")
                return
            if an_import_is_waiting_for_the_lock():
                seen.append("second waited")
                return
            time.sleep(0.05)
        seen.append("timed out")

    def run(batch, progress=None):
        try:
            imports.import_outcomes(batch=ImportBatch.objects.get(pk=batch.pk), progress=progress)
        finally:
            finished[batch.pk].set()
            connection.close()

    finished.update({first.pk: threading.Event(), second.pk: threading.Event()})
    threads = [threading.Thread(target=run, args=(first, hold_until_the_other_waits_or_ends))]
    threads[0].start()
    assert inside.wait(60), "the first import never reached its first chunk"
    threads.append(threading.Thread(target=run, args=(second,)))
    threads[1].start()
    for thread in threads:
        thread.join(120)
    return seen[0]


def test_two_files_for_one_force_at_once_are_written_one_after_the_other(tmp_path, force_a):
    first = make_batch(tmp_path, force_a, "first.csv", 5, "AS/2024/A")
    second = make_batch(tmp_path, force_a, "second.csv", 7, "AS/2024/B")

    seen = run_side_by_side(first, second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert seen == "second waited"
    assert first.status == Status.SUCCEEDED
    assert second.status == Status.AWAITING_CONFIRMATION, second.message
    assert second.overlapping == 5
    assert CrimeRecord.objects.count() == 5


def test_imports_for_different_forces_run_side_by_side(tmp_path, force_a, force_b):
    first = make_batch(tmp_path, force_a, "avon.csv", 5, "AS/2024/A")
    second = make_batch(tmp_path, force_b, "staffs.csv", 7, "ST/2024/B")

    seen = run_side_by_side(first, second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert seen == "second finished first"
    assert (first.status, second.status) == (Status.SUCCEEDED, Status.SUCCEEDED)
    assert CrimeRecord.objects.count() == 12
