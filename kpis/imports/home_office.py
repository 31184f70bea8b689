"""The Home Office outcomes open data tables (shared/reference/home-office-data.md §1, §9).

The data sheet and its header row are found by matching headers, never by
position; the 13 columns are mapped by normalised name. Rows outside the
RASSO offence codes, rows for bodies that are not territorial forces (Action
Fraud, BTP...) and the 1a/2a/3a subset rows (already inside types 1 to 3) are
skipped. "N/A" in its spellings, ':' and '..' mean missing, never zero;
negative counts are published corrections and kept. Outcome type 0 ("not yet
assigned") is kept; the KPIs leave it out of outcome denominators.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from soteria.models import Force, ForceAlias, normalise_force_name
from soteria.periods import Period

from ..engine.models import HomeOfficeOutcome, ImportBatch, OffenceCode, OutcomeType
from .columns import MAX_REPORTED_ERRORS, normalise_offence_code, normalise_outcome_type
from .files import FileProblem, open_table
from .writer import write_frame

HEADERS = {
    "financial_year": "financial_year",
    "financial_quarter": "quarter",
    "force_name": "force_name",
    "offence_code": "offence_code",
    "offence_description": "offence_description",
    "offence_group": "offence_group_name",
    "offence_subgroup": "offence_subgroup",
    "offence_code_expired": "offence_code_expired",
    "outcome_type": "outcome_type",
    "outcome_description": "outcome_description",
    "outcome_group": "outcome_group",
    "outcomes_for_offences_that_were_recorded_in_the_quarter": "recorded_count",
    "number_of_outcomes_for_offences_that_were_recorded_in_the_quarter": "recorded_count",
    "outcomes_for_offences_recorded_in_the_quarter": "recorded_count",
    "outcomes_for_investigations_closed_in_the_quarter": "closed_count",
    "outcomes_for_investigations_that_were_closed_in_the_quarter": "closed_count",
    "number_of_outcomes_for_investigations_that_were_closed_in_the_quarter": "closed_count",
    "number_of_outcomes_for_investigations_closed_in_the_quarter": "closed_count",
}
REQUIRED = sorted(set(HEADERS.values()))
NOT_TERRITORIAL = {
    "action fraud",
    "cifas",
    "uk finance",
    "financial fraud action uk",
    "british transport police",
    "btp",
    "england and wales",
    "england",
    "wales",
}
SUBSET_OUTCOMES = {"1A", "2A", "3A"}
_YEAR = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
FIELDS = [
    "force",
    "batch",
    "financial_year",
    "quarter",
    "offence_code",
    "offence_group",
    "outcome_type",
    "outcome_group",
    "recorded_count",
    "closed_count",
]


def is_missing(text: str) -> bool:
    value = text.strip().lower()
    return value in ("", ":", "..", "*", "-", "na", "n/a", "x") or value.startswith("n/a")


def parse_count(text: str) -> tuple[bool, int | None]:
    """(valid, count): missing spellings are (True, None); '1,234' and '-3' are counts."""
    if is_missing(text):
        return True, None
    value = text.replace(",", "").replace(" ", "")
    if value.endswith(".0"):
        value = value[:-2]
    if re.fullmatch(r"-?\d+", value):
        return True, int(value)
    return False, None


def parse_financial_year(text: str) -> str | None:
    """'2023/24', '2023-24' or '2023/2024' as the model's '2023-24'."""
    match = _YEAR.match(text.strip())
    if not match:
        return None
    start, end = int(match[1]), int(match[2])
    if (len(match[2]) == 2 and (start + 1) % 100 != end) or (
        len(match[2]) == 4 and end != start + 1
    ):
        return None
    return f"{start}-{(start + 1) % 100:02d}"


def parse_quarter(text: str) -> int | None:
    value = text.strip().upper().removeprefix("Q").removesuffix(".0")
    return int(value) if value in ("1", "2", "3", "4") else None


@dataclass
class HomeOfficeResult:
    rows_read: int = 0
    rows_valid: int = 0
    rows_written: int = 0
    rows_replaced: int = 0
    rows_skipped: int = 0
    overlapping: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    coverage: dict = field(default_factory=dict)  # {"periods": ["2023-24-q1", ...]}
    periods: dict[int, set[Period]] = field(default_factory=dict)
    optional_columns: list[str] = field(default_factory=list)  # a table has none
    message: str = ""


def _is_header(cells: list[str]) -> bool:
    names = {HEADERS.get(c) for c in cells}
    return {"financial_year", "force_name", "offence_code", "outcome_type"} <= names


def import_home_office(
    *,
    path: Path,
    batch: ImportBatch,
    replace: bool,
    progress: Callable[..., None] | None = None,
    chunk_rows: int = 50_000,
) -> HomeOfficeResult:
    result = HomeOfficeResult()
    table = open_table(path, is_header=_is_header, chunk_rows=chunk_rows)
    force_ids = {a.alias: a.force_id for a in ForceAlias.objects.all()}
    for force in Force.objects.all():
        force_ids.setdefault(normalise_force_name(force.name), force.pk)
    offence_groups = dict(OffenceCode.objects.values_list("code", "group"))
    outcomes = set(OutcomeType.objects.values_list("code", flat=True))
    rows: dict[tuple, list] = {}
    lines_of: dict[tuple, int] = {}
    errors: list[tuple[int, str, str, str]] = []
    try:
        raw_names = _check_headers(table.headers, table.raw_headers)
        for chunk in table.chunks:
            frame = chunk.frame.rename(columns=HEADERS)
            result.rows_read += len(frame)
            code = _mapped(frame["offence_code"], normalise_offence_code)
            outcome = _mapped(frame["outcome_type"], normalise_outcome_type)
            force_key = _mapped(frame["force_name"], normalise_force_name)
            keep = (
                code.isin(offence_groups)
                & ~outcome.isin(SUBSET_OUTCOMES)
                & ~force_key.isin(NOT_TERRITORIAL)
            ).to_numpy()
            result.rows_skipped += int((~keep).sum())
            frame, lines = frame[keep], chunk.lines[keep]
            code, outcome, force_key = code[keep], outcome[keep], force_key[keep]
            bad = np.zeros(len(frame), dtype=bool)

            def flag(mask, column, reason, frame=frame, lines=lines):
                nonlocal bad
                mask = np.asarray(mask, dtype=bool)
                bad |= mask
                for line, value in zip(lines[mask], frame[column].to_numpy()[mask], strict=False):
                    errors.append((int(line), raw_names[column], value, reason))

            year = _mapped(frame["financial_year"], parse_financial_year)
            flag(year.isna(), "financial_year", "is not a financial year like 2023/24")
            quarter = _mapped(frame["quarter"], parse_quarter)
            flag(quarter.isna(), "quarter", "is not a quarter from 1 to 4")
            force_id = force_key.map(force_ids)
            flag(force_id.isna(), "force_name", "is not one of the 43 territorial police forces")
            flag(
                ~outcome.isin(outcomes),
                "outcome_type",
                "is not a Home Office outcome type (0 to 22)",
            )
            counts = {}
            for column in ("recorded_count", "closed_count"):
                parsed = _mapped(frame[column], parse_count)
                flag(
                    ~parsed.map(lambda p: p[0]).astype(bool),
                    column,
                    "is not a count (a whole number, or N/A, ':' or '..' when missing)",
                )
                counts[column] = parsed.map(lambda p: None if p[1] is None else str(p[1]))
            good = ~bad
            for line, key, group_name, recorded, closed in zip(
                lines[good],
                zip(
                    force_id[good].astype(int),
                    year[good],
                    quarter[good].astype(int),
                    code[good],
                    outcome[good],
                    strict=False,
                ),
                frame["outcome_group"][good],
                counts["recorded_count"][good],
                counts["closed_count"][good],
                strict=False,
            ):
                if key in rows:
                    errors.append(
                        (
                            int(line),
                            raw_names["outcome_type"],
                            key[4],
                            f"repeats the row on line {lines_of[key]} "
                            "(same force, quarter, offence and outcome)",
                        )
                    )
                    continue
                lines_of[key] = int(line)
                rows[key] = [
                    str(key[0]),
                    str(batch.pk),
                    key[1],
                    str(key[2]),
                    key[3],
                    offence_groups[key[3]],
                    key[4],
                    group_name[:250],
                    recorded,
                    closed,
                ]
            result.rows_valid = len(rows)
            if progress:
                progress(
                    read=result.rows_read,
                    validated=result.rows_read - len(errors),
                    written=0,
                    total=max(table.estimated_rows, result.rows_read),
                )
    finally:
        table.close()
    if errors:
        errors.sort()
        result.error_count = len(errors)
        result.errors = [
            {"line": line, "column": column, "value": value, "reason": reason}
            for line, column, value, reason in errors[:MAX_REPORTED_ERRORS]
        ]
        return result
    if not rows:
        raise FileProblem(
            "The table holds no rows for RASSO offences in the 43 territorial forces."
        )
    periods = sorted({(year, quarter) for _, year, quarter, _, _ in rows})
    result.coverage = {"periods": [f"{y}-q{q}" for y, q in periods]}
    existing = HomeOfficeOutcome.objects.exclude(batch=batch).filter(
        financial_year__in={y for y, _ in periods}
    )
    existing = [
        pk
        for pk, y, q in existing.values_list("pk", "financial_year", "quarter")
        if (y, q) in set(periods)
    ]
    if existing and not replace:
        result.overlapping = len(existing)
        return result
    for start in range(0, len(existing), 5000):
        result.rows_replaced += HomeOfficeOutcome.objects.filter(
            pk__in=existing[start : start + 5000]
        ).delete()[0]
    frame = pd.DataFrame(list(rows.values()), columns=FIELDS, dtype=object)
    result.rows_written = write_frame(model=HomeOfficeOutcome, fields=FIELDS, frame=frame)
    for force_id, year, quarter, _, _ in rows:
        result.periods.setdefault(force_id, set()).add(Period.parse(f"{year}-q{quarter}"))
    if progress:
        progress(
            read=result.rows_read,
            validated=result.rows_read,
            written=result.rows_written,
            total=result.rows_read,
        )
    return result


def _mapped(values: pd.Series, fn) -> pd.Series:
    table = {v: fn(v) for v in values.unique()}
    return values.map(table)


def _check_headers(headers: list[str], raw_headers: list[str]) -> dict[str, str]:
    named = [(h, raw) for h, raw in zip(headers, raw_headers, strict=False) if h]
    unknown = [raw for h, raw in named if h not in HEADERS]
    if unknown:
        raise FileProblem(
            "Unrecognised column"
            + ("s" if len(unknown) > 1 else "")
            + ": "
            + ", ".join(f"'{u}'" for u in unknown)
            + ". This does not look like a Home Office outcomes open data table."
        )
    names = [HEADERS[h] for h, _ in named]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise FileProblem(
            "Missing column" + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing) + "."
        )
    return {HEADERS[h]: raw for h, raw in named}
