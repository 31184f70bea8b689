"""Helpers for the import tests: small extracts written as real files."""

import csv
import io
from pathlib import Path

from kpis.imports import services as imports
from kpis.imports.columns import COLUMNS
from kpis.models import ImportBatch

HEADER = COLUMNS


def record(**overrides) -> dict:
    row = {
        "force": "Avon and Somerset",
        "crime_reference": "AS/2024/0001",
        "offence_code": "19C",
        "recorded_date": "2024-05-01",
        "outcome_type": "1",
        "outcome_date": "2024-09-30",
        "victim_sex": "female",
        "victim_age": "27",
        "victim_ethnicity": "white",
        "victim_disability": "no",
        "relationship": "partner",
        "suspect_reference": "SUS-77",
        "victim_supports_prosecution": "yes",
        "withdrawal_stage": "",
        "investigator_reference": "PC 1234",
    }
    row.update(overrides)
    return row


def records(count: int, *, prefix: str = "AS/2024/", **overrides) -> list[dict]:
    return [record(crime_reference=f"{prefix}{i:05d}", **overrides) for i in range(count)]


def extract_text(rows: list[dict], header: list[str] | None = None) -> str:
    header = header or HEADER
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in HEADER])
    return out.getvalue()


def write_extract(path: Path, rows: list[dict], *, encoding: str = "utf-8", header=None) -> Path:
    path.write_bytes(extract_text(rows, header).encode(encoding))
    return path


def run_import(path: Path, *, force, kind=ImportBatch.Kind.RECORDS, user=None) -> ImportBatch:
    batch = imports.create_batch(
        kind=kind, source=path, file_name=path.name, force=force, uploaded_by=user
    )
    if batch.status == ImportBatch.Status.PENDING:
        imports.import_outcomes(batch=batch)
    batch.refresh_from_db()
    return batch
