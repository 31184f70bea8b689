"""Small builders shared by tests: crafted crime-record frames and synthetic CrimeRecord rows."""

import pandas as pd

from kpis.engine import catalogue

RECORD_DEFAULTS = {
    "offence_group": "rape",
    "recorded_date": "2024-04-10",
    "outcome_type": "",
    "outcome_date": None,
    "victim_sex": "female",
    "victim_age": 30,
    "victim_ethnicity": "white",
    "victim_disability": "no",
    "relationship": "partner",
    "suspect_ref_hash": "",
    "victim_supports_prosecution": "yes",
    "withdrawal_stage": "",
    "investigator_ref_hash": "",
}


def records_frame(*rows: dict, repeat: int = 1) -> pd.DataFrame:
    """A prepared records frame (as the records source builds it) from crafted rows. A column
    beyond the defaults (an optional characteristic) is kept, blank in rows that omit it."""
    extra = sorted({key for row in rows for key in row} - set(RECORD_DEFAULTS))
    full = [
        {**RECORD_DEFAULTS, **dict.fromkeys(extra, ""), **row}
        for row in rows
        for _ in range(repeat)
    ]
    return catalogue.prepare_records(pd.DataFrame(full, columns=[*RECORD_DEFAULTS, *extra]))


def many(count: int, **row) -> list[dict]:
    return [row] * count
