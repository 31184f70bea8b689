"""The record-level extract (docs/import-format.md): read, validate, pseudonymise, write.

Validation is vectorised per chunk: each distinct value of a column is parsed
once (dates, codes and enumerations repeat a great deal), so a million-row
file costs little more than reading it. References are hashed as soon as a
chunk is read; the raw text is never written, logged or put in a report.

Long because it is one pipeline, read in order: a chunk's columns validated, duplicates
flagged, clashes with rows already held resolved, then written.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils import timezone

from soteria.models import Force, ForceAlias, normalise_force_name
from soteria.periods import Period

from ..engine.models import CrimeRecord, ImportBatch, OffenceCode, OutcomeType
from .columns import (
    COLUMNS,
    ENUMS,
    FIELDS,
    HEADER_ALIASES,
    HIDDEN,
    MAX_REPORTED_ERRORS,
    OPTIONAL_COLUMNS,
    POLICING_AREA_LENGTH,
    REFERENCE_COLUMNS,
    WITHDRAWAL_OUTCOMES,
    normalise_offence_code,
    normalise_outcome_type,
    parse_date,
)
from .files import Chunk, FileProblem, open_table
from .pseudonymise import Hasher, _hashes
from .writer import FrameWriter


@dataclass
class RecordsResult:
    rows_read: int = 0
    rows_valid: int = 0
    rows_written: int = 0
    rows_replaced: int = 0
    overlapping: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    coverage: dict[str, list[str]] = field(default_factory=dict)  # force slug -> [first, last]
    periods: dict[int, set[Period]] = field(default_factory=dict)  # force id -> quarters touched
    optional_columns: list[str] = field(default_factory=list)  # those the header carried
    message: str = ""


class _Lookups:
    def __init__(self):
        self.force_ids: dict[str, int] = {a.alias: a.force_id for a in ForceAlias.objects.all()}
        self.forces = {f.pk: f for f in Force.objects.all()}
        for force in self.forces.values():
            self.force_ids.setdefault(normalise_force_name(force.name), force.pk)
            self.force_ids.setdefault(normalise_force_name(force.slug), force.pk)
        self.offence_groups = dict(OffenceCode.objects.values_list("code", "group"))
        self.outcomes = set(OutcomeType.objects.values_list("code", flat=True)) - {"0"}
        self.dates: dict[str, dt.date | None] = {}
        self.hasher = Hasher(settings.PSEUDONYM_KEY.encode())


def import_records(
    *,
    path: Path,
    batch: ImportBatch,
    replace: bool,
    progress: Callable[..., None] | None = None,
    chunk_rows: int = 50_000,
    today: dt.date | None = None,
) -> RecordsResult:
    """Read and write one extract inside the caller's transaction; the caller rolls back on errors.

    Writing stops at the first invalid row or the first clash with earlier
    imports, but reading goes on to the end so the report names every bad row.
    """
    today = today or timezone.localdate()
    lookups = _Lookups()
    result = RecordsResult()
    table = open_table(
        path,
        chunk_rows=chunk_rows,
        is_header=lambda cells: len(_canonical(cells) & set(COLUMNS)) >= 3,
    )
    state = _State(batch=batch, lookups=lookups, replace=replace, today=today)
    try:
        raw_names = _check_headers(table.headers, table.raw_headers)
        result.optional_columns = [c for c in OPTIONAL_COLUMNS if c in raw_names]
        carried = ", ".join(result.optional_columns) or "none"
        result.message = f"Optional columns in the file: {carried}."
        if replace:
            result.rows_replaced += state.delete_covered(batch.coverage)
        for chunk in table.chunks:
            _import_chunk(chunk, state, result, raw_names)
            if progress:
                progress(
                    read=result.rows_read,
                    validated=result.rows_valid,
                    written=result.rows_written,
                    total=max(table.estimated_rows, result.rows_read),
                )
        state.writer.wait()
    finally:
        table.close()
        state.writer.close()
    if result.rows_read == 0 and not result.errors:
        raise FileProblem("The file has a header row but no records.")
    result.coverage = {
        lookups.forces[force_id].slug: [first.isoformat(), last.isoformat()]
        for force_id, (first, last) in sorted(state.coverage.items())
    }
    if not result.error_count and not replace:
        result.overlapping = state.count_overlap()
    return result


def _canonical(cells: list[str]) -> set[str]:
    return {HEADER_ALIASES.get(c, c) for c in cells if c}


def _check_headers(headers: list[str], raw_headers: list[str]) -> dict[str, str]:
    names = [HEADER_ALIASES.get(h, h) for h in headers]
    unknown = [
        raw
        for raw, name in zip(raw_headers, names, strict=False)
        if name and name not in COLUMNS and name not in OPTIONAL_COLUMNS
    ]
    if unknown:
        raise FileProblem(
            "Unrecognised column"
            + ("s" if len(unknown) > 1 else "")
            + ": "
            + ", ".join(f"'{u}'" for u in unknown)
            + ". See docs/import-format.md for the column names."
        )
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise FileProblem(
            "Missing column" + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing) + "."
        )
    seen = set()
    for name in names:
        if name and name in seen:
            raise FileProblem(f"The column {name} appears twice.")
        seen.add(name)
    return {name: raw for name, raw in zip(names, raw_headers, strict=False) if name}


class _State:
    def __init__(self, *, batch, lookups, replace, today):
        self.batch = batch
        self.lookups = lookups
        self.replace = replace
        self.today = today
        self.seen_keys = np.empty(0, dtype=np.uint64)
        self.seen_lines = np.empty(0, dtype=np.int64)
        self.coverage: dict[int, tuple[dt.date, dt.date]] = {}
        self.existing: dict[int, bool] = {}
        self.clash_dates: list[tuple[int, dt.date]] = []
        self.writing = True
        self.writer = FrameWriter(model=CrimeRecord, fields=FIELDS)

    def others(self):
        return CrimeRecord.objects.exclude(batch=self.batch)

    def has_existing(self, force_id: int) -> bool:
        if force_id not in self.existing:
            self.writer.wait()
            self.existing[force_id] = self.others().filter(force_id=force_id).exists()
        return self.existing[force_id]

    def delete_covered(self, coverage: dict[str, list[str]]) -> int:
        slugs = {f.slug: f.pk for f in self.lookups.forces.values()}
        deleted = 0
        for slug, (first, last) in coverage.items():
            deleted += (
                self.others()
                .filter(force_id=slugs[slug], recorded_date__range=(first, last))
                .delete()[0]
            )
        return deleted

    def count_overlap(self) -> int:
        self.writer.wait()
        total = 0
        for force_id, (first, last) in self.coverage.items():
            if self.has_existing(force_id):
                total += (
                    self.others()
                    .filter(force_id=force_id, recorded_date__range=(first, last))
                    .count()
                )
        total += sum(
            1
            for force_id, day in self.clash_dates
            if not (self.coverage[force_id][0] <= day <= self.coverage[force_id][1])
        )
        return total


def _import_chunk(chunk: Chunk, state: _State, result: RecordsResult, raw_names) -> None:
    frame, lines = chunk.frame, chunk.lines
    n = len(frame)
    result.rows_read += n
    if n == 0:
        return
    lookups = state.lookups
    for column in OPTIONAL_COLUMNS:
        if column not in frame.columns:  # an extract without it: every cell not recorded
            frame[column] = ""
    errors: list[tuple[int, str, str, str]] = []
    bad = np.zeros(n, dtype=bool)

    def flag(mask, column: str, reason: str | Callable[[str], str]):
        nonlocal bad
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        bad |= mask
        values = frame[column].to_numpy()[mask]
        for line, value in zip(lines[mask], values, strict=False):
            shown = HIDDEN if column in REFERENCE_COLUMNS else value
            errors.append(
                (int(line), raw_names[column], shown, reason(value) if callable(reason) else reason)
            )

    def mapped(column: str, fn) -> pd.Series:
        values = frame[column]
        table = {v: fn(v) for v in set(values.tolist())}
        return values.map(table)

    blanks: dict[str, np.ndarray] = {}

    def blank(column: str) -> np.ndarray:
        if column not in blanks:
            blanks[column] = (frame[column] == "").to_numpy()
        return blanks[column]

    # Force: the importing user's force unless the batch is national.
    force_id = mapped("force", lambda v: lookups.force_ids.get(normalise_force_name(v)))
    flag(blank("force"), "force", "is required")
    flag(
        force_id.isna().to_numpy() & ~blank("force"),
        "force",
        "is not a police force in England and Wales",
    )
    if state.batch.force_id:
        wrong = force_id.notna().to_numpy() & (
            force_id.fillna(0).to_numpy() != state.batch.force_id
        )
        flag(wrong, "force", f"is not {state.batch.force.name}, the force this import is for")

    flag(blank("crime_reference"), "crime_reference", "is required")

    code = mapped("offence_code", normalise_offence_code)
    group = code.map(lookups.offence_groups)
    flag(blank("offence_code"), "offence_code", "is required")
    flag(
        group.isna().to_numpy() & ~blank("offence_code"),
        "offence_code",
        "is not a RASSO Home Office offence code (see docs/import-format.md)",
    )

    def date_of(column: str) -> pd.Series:
        cache = lookups.dates

        def parse(v):
            if v not in cache:
                cache[v] = parse_date(v)
            return cache[v]

        return mapped(column, parse)

    recorded = date_of("recorded_date")
    no_recorded = recorded.isna().to_numpy()
    flag(blank("recorded_date"), "recorded_date", "is required")
    flag(
        no_recorded & ~blank("recorded_date"),
        "recorded_date",
        "is not a real date (use YYYY-MM-DD, DD/MM/YYYY or an Excel date)",
    )
    today = state.today
    today64 = np.datetime64(today)
    flag(pd.to_datetime(recorded).to_numpy() > today64, "recorded_date", "is in the future")

    # Outcome 0 is "not yet assigned": the same as a blank outcome, an open investigation.
    outcome = mapped(
        "outcome_type",
        lambda v: "" if normalise_outcome_type(v) == "0" else normalise_outcome_type(v),
    )
    has_outcome = (outcome != "").to_numpy()
    flag(
        has_outcome & ~outcome.isin(lookups.outcomes).to_numpy(),
        "outcome_type",
        "is not a Home Office outcome type (1 to 22, blank while open)",
    )
    outcome_date = date_of("outcome_date")
    no_outcome_date = outcome_date.isna().to_numpy()
    flag(
        has_outcome & blank("outcome_date"),
        "outcome_date",
        "is required when there is an outcome type",
    )
    flag(
        ~blank("outcome_date") & no_outcome_date,
        "outcome_date",
        "is not a real date (use YYYY-MM-DD, DD/MM/YYYY or an Excel date)",
    )
    flag(
        ~has_outcome & ~blank("outcome_date"),
        "outcome_date",
        "must be blank while the outcome type is blank (the investigation is open)",
    )
    both = ~no_outcome_date & ~no_recorded
    od = pd.to_datetime(outcome_date.where(both)).to_numpy()
    rd = pd.to_datetime(recorded.where(both)).to_numpy()
    flag(both & (od < rd), "outcome_date", "is before the date recorded")
    flag(pd.to_datetime(outcome_date).to_numpy() > today64, "outcome_date", "is in the future")

    enums = {}
    for column, table in ENUMS.items():
        enums[column] = mapped(
            column, lambda v, t=table: "" if v == "" else t.get(v.lower().strip())
        )
        allowed = ", ".join(sorted(set(table.values())))
        flag(
            enums[column].isna().to_numpy(),
            column,
            f"must be one of: {allowed} (or blank if not recorded)",
        )

    def age(v: str):
        if v == "":
            return ""
        text = v[:-2] if v.endswith(".0") else v
        return text if text.isdigit() and int(text) <= 120 else None

    ages = mapped("victim_age", age)
    flag(
        ages.isna().to_numpy(),
        "victim_age",
        "must be a whole number of years from 0 to 120, or blank",
    )

    flag(
        frame["policing_area"].str.len().to_numpy() > POLICING_AREA_LENGTH,
        "policing_area",
        f"is longer than {POLICING_AREA_LENGTH} characters",
    )
    # Free text, written by COPY: a tab, line break or backslash would need escaping there.
    flag(
        frame["policing_area"].str.contains(r"[\t\r\n\\]", regex=True).to_numpy(),
        "policing_area",
        "must be plain text on one line, without tabs or backslashes",
    )

    withdrawal = outcome.isin(WITHDRAWAL_OUTCOMES).to_numpy()
    stage_blank = (enums["withdrawal_stage"] == "").to_numpy()
    flag(withdrawal & stage_blank, "withdrawal_stage", "is required for outcomes 14 and 16")
    flag(
        ~withdrawal & ~stage_blank & enums["withdrawal_stage"].notna().to_numpy(),
        "withdrawal_stage",
        "must be blank unless the outcome type is 14 or 16",
    )
    flag(
        withdrawal & (enums["victim_supports_prosecution"] == "yes").to_numpy(),
        "victim_supports_prosecution",
        "cannot be yes for outcomes 14 and 16 (the victim does not support action)",
    )

    crime_hash, keys = _hashes(frame["crime_reference"], lookups.hasher, with_keys=True)
    _flag_duplicates(keys, lines, ~blank("crime_reference"), state, errors, raw_names)
    if errors:
        bad[np.isin(lines, [e[0] for e in errors])] = True

    good = ~bad
    result.rows_valid += int(good.sum())
    if bad.any():
        result.error_count += len(errors)
        room = MAX_REPORTED_ERRORS - len(result.errors)
        errors.sort()
        result.errors.extend(
            {"line": line, "column": column, "value": value, "reason": reason}
            for line, column, value, reason in errors[: max(room, 0)]
        )
        state.writing = False

    ids = force_id.fillna(0).astype(int).to_numpy()
    for fid in np.unique(ids[good]):
        days = recorded[good & (ids == fid)]
        first, last = min(days), max(days)
        outcome_days = outcome_date[good & (ids == fid)].dropna()
        latest = max([last, *([max(outcome_days)] if len(outcome_days) else [])])
        if fid in state.coverage:
            first, last = min(first, state.coverage[fid][0]), max(last, state.coverage[fid][1])
        state.coverage[int(fid)] = (first, last)
        touched = result.periods.setdefault(int(fid), set())
        touched.add(Period.containing(first))
        touched.add(Period.containing(latest))

    if not state.writing:
        return
    clean = pd.DataFrame(
        {
            "force": ids.astype(str),
            "batch": str(state.batch.pk),
            "crime_ref_hash": crime_hash,
            "offence_code": code,
            "offence_group": group,
            "recorded_date": _iso(recorded),
            "outcome_type": outcome,
            "outcome_date": _iso(outcome_date).astype(object),
            "victim_sex": enums["victim_sex"],
            "victim_age": ages.where(ages != "", None).astype(object),
            "victim_ethnicity": enums["victim_ethnicity"],
            "victim_disability": enums["victim_disability"],
            "relationship": enums["relationship"],
            "suspect_ref_hash": _hashes(frame["suspect_reference"], lookups.hasher)[0],
            "victim_supports_prosecution": enums["victim_supports_prosecution"],
            "withdrawal_stage": enums["withdrawal_stage"],
            "investigator_ref_hash": _hashes(frame["investigator_reference"], lookups.hasher)[0],
            "suspect_age_band": enums["suspect_age_band"],
            "suspect_sex": enums["suspect_sex"],
            "suspect_ethnicity": enums["suspect_ethnicity"],
            "victim_ref_hash": _hashes(frame["victim_reference"], lookups.hasher)[0],
            "policing_area": frame["policing_area"],
            "victim_sexual_orientation": enums["victim_sexual_orientation"],
            "victim_religion": enums["victim_religion"],
            "victim_gender_identity": enums["victim_gender_identity"],
        }
    )
    clean["outcome_date"] = clean["outcome_date"].where(clean["outcome_date"].notna(), None)
    # Rows in hash order reach the unique (force, crime_ref_hash) index leaf by leaf, not at
    # random, which makes PostgreSQL's side of the COPY markedly cheaper. The keys are each
    # digest's leading bytes, so their order is the hex hashes' order.
    clean = clean.take(np.argsort(keys, kind="stable"))
    if not _resolve_clashes(clean, ids, recorded, state, result):
        return
    result.rows_written += state.writer.write(clean)


def _iso(days: pd.Series) -> pd.Series:
    """YYYY-MM-DD text of each date (NaN stays NaN), formatting each distinct day once."""
    distinct = set(days.dropna().tolist())
    return days.map({day: day.isoformat() for day in distinct})


def _flag_duplicates(keys, lines, present, state: _State, errors: list, raw_names) -> None:
    keys, lines_present = keys[present], lines[present]
    column = raw_names["crime_reference"]
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    repeat = np.zeros(len(keys), dtype=bool)
    repeat[order[1:]] = sorted_keys[1:] == sorted_keys[:-1]
    if repeat.any():
        first_line = {}
        for k, line, is_repeat in zip(keys, lines_present, repeat, strict=False):
            if is_repeat:
                errors.append(
                    (
                        int(line),
                        column,
                        HIDDEN,
                        f"repeats the crime reference on line {first_line[k]}",
                    )
                )
            else:
                first_line.setdefault(k, int(line))
    if len(state.seen_keys):
        position = np.searchsorted(state.seen_keys, keys)
        position = np.minimum(position, len(state.seen_keys) - 1)
        earlier = state.seen_keys[position] == keys
        for line, pos in zip(lines_present[earlier], position[earlier], strict=False):
            errors.append(
                (
                    int(line),
                    column,
                    HIDDEN,
                    f"repeats the crime reference on line {int(state.seen_lines[pos])}",
                )
            )
    merged_keys = np.concatenate([state.seen_keys, keys[~repeat]])
    merged_lines = np.concatenate([state.seen_lines, lines_present[~repeat]])
    order = np.argsort(merged_keys, kind="stable")
    state.seen_keys, state.seen_lines = merged_keys[order], merged_lines[order]


def _resolve_clashes(clean, ids, recorded, state: _State, result: RecordsResult) -> bool:
    """Crime references already imported by another batch: replace them, or stop writing."""
    for fid in np.unique(ids):
        if not state.has_existing(int(fid)):
            continue
        hashes = clean.loc[ids == fid, "crime_ref_hash"].tolist()
        state.writer.wait()
        for start in range(0, len(hashes), 5000):
            part = hashes[start : start + 5000]
            clashing = state.others().filter(force_id=fid, crime_ref_hash__in=part)
            if state.replace:
                result.rows_replaced += clashing.delete()[0]
            else:
                state.clash_dates.extend(
                    (int(fid), day) for day in clashing.values_list("recorded_date", flat=True)
                )
    if state.clash_dates:
        state.writing = False
    return state.writing


__all__ = ["COLUMNS", "FileProblem", "RecordsResult", "import_records", "parse_date"]
