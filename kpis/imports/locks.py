"""One import at a time per force: taken first thing in an import's transaction.

Whether a file overlaps data already held is read from committed rows. Two imports
for one force running side by side would each see nothing of the other's
uncommitted rows, and both would be written. So the importer first takes:

- its own batch row (a conditional UPDATE: the claim this run made still holds,
  and no one else may reclaim, re-queue or fail the batch until it commits); and
- on PostgreSQL, a transaction-level advisory lock for the force. A record
  extract for one force takes that force's lock, and shares the "every force"
  lock; an extract for any force (the command line without --force) takes the
  "every force" lock alone, so it waits for, and holds off, all the others.
  Home Office tables (a separate table, every force at once) have a lock of
  their own. The locks are always taken in that order, so two imports cannot
  deadlock, and they go with the transaction: a killed worker's session ends
  and its locks with it.

On SQLite the first statement of the transaction is that UPDATE, a write, which
takes the database's only write lock; every other writer, so every other import,
waits for it (up to the busy timeout, 20 s, and then fails with nothing written).
"""

import datetime as dt

from django.db import connection

from ..engine.models import ImportBatch

# The first key of PostgreSQL's two-key advisory locks: one name space per kind of import.
RECORDS_LOCKS = 0x534F5401  # second key: the force's id, or 0 for "every force"
HOME_OFFICE_LOCKS = 0x534F5402  # second key: always 0
EVERY_FORCE = 0


def hold_for_writing(batch: ImportBatch, *, token: dt.datetime | None) -> bool:
    """Inside the import's transaction: keep the claim and wait for the force's lock.

    False if the batch was reclaimed since this run claimed it (its ``started_at`` moved):
    this run must then write nothing.
    """
    held = ImportBatch.objects.filter(
        pk=batch.pk, status=ImportBatch.Status.RUNNING, started_at=token
    ).update(started_at=token)
    if held != 1:
        return False
    lock_imports_of(batch)
    return True


def lock_imports_of(batch: ImportBatch) -> None:
    """Wait until no other import of the same force is writing, then hold them off."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if batch.kind == ImportBatch.Kind.HOME_OFFICE:
            _lock(cursor, HOME_OFFICE_LOCKS, 0)
        elif batch.force_id:
            _lock(cursor, RECORDS_LOCKS, EVERY_FORCE, shared=True)
            _lock(cursor, RECORDS_LOCKS, batch.force_id)
        else:
            _lock(cursor, RECORDS_LOCKS, EVERY_FORCE)


def _lock(cursor, space: int, key: int, *, shared: bool = False) -> None:
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    cursor.execute(f"SELECT {function}(%s::integer, %s::integer)", [space, key])
