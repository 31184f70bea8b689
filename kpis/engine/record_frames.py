"""Reading a force's crime records into prepared frames, once per data version.

The records KPI source (record_kpis) and everything that recomputes many quarters
(recompute, loss) read a force's records through force_frames: all of them, or only those a
quarter (and the earlier quarters of its financial year) can look at, held per process and
keyed on the force's import batches, so an import invalidates them.
"""

import io
from collections import OrderedDict

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import Q

from soteria.models import Force
from soteria.periods import Period

from . import catalogue
from .models import CrimeRecord, ImportBatch, OffenceGroup

RECORD_COLUMNS = [
    "offence_group",
    "recorded_date",
    "outcome_type",
    "outcome_date",
    "victim_sex",
    "victim_age",
    "victim_ethnicity",
    "victim_disability",
    "relationship",
    "suspect_ref_hash",
    "victim_supports_prosecution",
    "withdrawal_stage",
    "investigator_ref_hash",
    *catalogue.OPTIONAL_CHARACTERISTICS,
    "batch",
]

_frames: OrderedDict = OrderedDict()
_counts: dict = {}  # force_frames key -> how many records the force holds
CACHE_SIZE = 4  # forces' record frames (a few MB each)


def remember(cache: OrderedDict, key, value, size: int = CACHE_SIZE):
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)
    return value


def batch_versions(*, force: Force) -> tuple[tuple, tuple]:
    """The force's record batches and the Home Office batches (count, last id, last created,
    last finished), in one query: the keys of the record and national caches."""
    table = ImportBatch._meta.db_table
    mine, national = "force_id = %s AND kind = %s", "kind = %s"
    columns = [
        f"{aggregate}(CASE WHEN {where} THEN {column} END)"
        for where in (mine, national)
        for aggregate, column in (
            ("COUNT", "id"),
            ("MAX", "id"),
            ("MAX", "created_at"),
            ("MAX", "finished_at"),
        )
    ]
    records, home_office = ImportBatch.Kind.RECORDS, ImportBatch.Kind.HOME_OFFICE
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE kind IN (%s, %s)",
            [*[force.pk, records] * 4, *[home_office] * 4, records, home_office],
        )
        row = cursor.fetchone()
    return tuple(row[:4]), tuple(row[4:])


def force_frames(
    *, force: Force, version: tuple | None = None, period: Period | None = None
) -> dict[str, pd.DataFrame] | None:
    """The force's records, prepared, by offence group; None when it has none.

    With ``period``, only the records that quarter's KPIs can look at (quarter_records),
    unless the whole set is already held: a lone quarter's recompute (the one a quarterly
    import queues) reads a fraction of a large force's records; a run over many quarters
    reads the whole set once first (recompute.compute_force_snapshots) and every quarter
    uses it. A second quarter of the same data asked for on its own reads the whole set too:
    an import over many quarters queues one task per quarter, and they then share one read.

    Cached per process, keyed on the force's import batches (every import, and every
    replacement, is a new batch), so an import invalidates it.
    """
    if version is None:
        version = batch_versions(force=force)[0]
    whole = (force.pk, *version)
    key = _key(whole, period)
    if key in _frames:
        _frames.move_to_end(key)
        return _frames[key]
    frame = read_records(force=force, period=period if key != whole else None)
    if frame.empty and key != whole:
        return force_frames(force=force, version=version)  # nothing of its own: read all
    if frame.empty:
        return remember(_frames, key, None)
    mark_not_supplied(frame)
    frame = catalogue.prepare_records(frame)
    groups = {
        g: frame[frame["offence_group"] == g] for g in (OffenceGroup.RAPE, OffenceGroup.OTHER)
    }
    groups[OffenceGroup.ALL] = frame
    _counts[key] = len(frame) if key == whole else CrimeRecord.objects.filter(force=force).count()
    remember(_frames, key, groups)
    for gone in set(_counts) - set(_frames):
        del _counts[gone]
    return groups


def _key(whole: tuple, period: Period | None) -> tuple:
    """Which read of the force's records (``whole``: its data version) serves ``period``:
    one already held that has its records (its own; the whole set; a later quarter's of
    the same financial year, whose read reaches back to the year's first quarter), else
    its own, or the whole set when another quarter of the same data was read already."""
    if period is None:
        return whole
    quarter = (*whole, period.slug)
    if quarter in _frames or whole in _frames:
        return quarter if quarter in _frames else whole
    others = [k[-1] for k in _frames if len(k) == len(whole) + 1 and k[:-1] == whole]
    for slug in others:
        held = Period.parse(slug)
        if held.year == period.year and held.quarter >= period.quarter:
            return (*whole, slug)
    return whole if others else quarter


def record_count(frames: dict[str, pd.DataFrame]) -> int:
    """How many records the force holds, whether ``frames`` (from force_frames) are all of
    them or one quarter's."""
    key = next(k for k, v in _frames.items() if v is frames)
    return _counts[key]


def quarter_records(period: Period) -> Q:
    """The records any KPI of ``period``, or of an earlier quarter of its financial year, can
    look at, every window ending with them included (catalogue.relevant_to for each of their
    quarters, and the repeat-suspect look-back): recorded by its end, and recorded within
    the look-back from the year's first quarter, or still open, or given an outcome in or
    after the first quarter of that quarter's rolling year. The earlier quarters are there
    because the year to date adds up from them (windows.window_measures): one read serves
    them all."""
    years = settings.REPEAT_SUSPECT_YEARS
    first = period.shift(1 - period.quarter)
    return Q(recorded_date__lte=period.end) & (
        Q(recorded_date__gte=first.shift(1 - 4 * years).start)
        | Q(outcome_type="")
        | Q(outcome_type__isnull=True)
        | Q(outcome_date__isnull=True)
        | Q(outcome_date__gte=first.shift(-3).start)
    )


def mark_not_supplied(frame: pd.DataFrame) -> None:
    """Optional characteristics of records whose import did not carry the column read
    catalogue.NOT_SUPPLIED rather than blank (not recorded); the batch column is dropped."""
    batches = frame.pop("batch").to_numpy()
    carried = ImportBatch.objects.filter(pk__in=[int(b) for b in np.unique(batches)])
    carried = dict(carried.values_list("pk", "optional_columns"))
    for column in catalogue.OPTIONAL_CHARACTERISTICS:
        with_it = [pk for pk, columns in carried.items() if column in (columns or [])]
        frame.loc[~np.isin(batches, with_it), column] = catalogue.NOT_SUPPLIED


def read_records(*, force: Force, period: Period | None = None) -> pd.DataFrame:
    """The force's records (those ``period`` can look at, if given: quarter_records),
    RECORD_COLUMNS, as read from the database (blank or None where a value is missing;
    catalogue.prepare_records treats the two alike).

    On PostgreSQL through COPY as CSV, parsed by pandas' C reader: a force holding a million
    records is read in about a third of the time that building a Python tuple per row takes
    (elsewhere through the ORM).
    """
    records = CrimeRecord.objects.filter(force=force)
    if period is not None:
        records = records.filter(quarter_records(period))
    records = records.values_list(*RECORD_COLUMNS)
    if connection.vendor != "postgresql":
        return pd.DataFrame.from_records(list(records), columns=RECORD_COLUMNS)
    sql, params = records.query.sql_with_params()
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        # psycopg's own cursor: Django's debug wrapper passes no parameters to copy().
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy:
            for block in copy:
                buffer.write(block)
    if not buffer.tell():
        return pd.DataFrame(columns=RECORD_COLUMNS)
    buffer.seek(0)
    frame = pd.read_csv(
        buffer, names=RECORD_COLUMNS, header=None, dtype=str, na_filter=False, engine="c"
    )
    frame["batch"] = frame["batch"].astype("int64")  # as the ORM gives it
    return frame
