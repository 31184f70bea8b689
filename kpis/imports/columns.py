"""The record-level extract's columns (docs/import-format.md) and how each cell is read."""

import datetime as dt

from ..engine.models import CrimeRecord

COLUMNS = [
    "force",
    "crime_reference",
    "offence_code",
    "recorded_date",
    "outcome_type",
    "outcome_date",
    "victim_sex",
    "victim_age",
    "victim_ethnicity",
    "victim_disability",
    "relationship",
    "suspect_reference",
    "victim_supports_prosecution",
    "withdrawal_stage",
    "investigator_reference",
]
# Optional: an extract may leave any of these out; a cell may be blank (not recorded).
OPTIONAL_COLUMNS = [
    "suspect_age_band",
    "suspect_sex",
    "suspect_ethnicity",
    "victim_reference",
    "policing_area",
    "victim_sexual_orientation",
    "victim_religion",
    "victim_gender_identity",
]
REFERENCE_COLUMNS = {
    "crime_reference",
    "suspect_reference",
    "investigator_reference",
    "victim_reference",
}
POLICING_AREA_LENGTH = 60
HIDDEN = "(reference not shown)"
# Other spellings seen in force exports, after header normalisation.
HEADER_ALIASES = {
    "force_name": "force",
    "crime_ref": "crime_reference",
    "crime_number": "crime_reference",
    "ho_offence_code": "offence_code",
    "home_office_offence_code": "offence_code",
    "date_recorded": "recorded_date",
    "outcome": "outcome_type",
    "ho_outcome_type": "outcome_type",
    "home_office_outcome_type": "outcome_type",
    "outcome_type_code": "outcome_type",
    "age_at_offence": "victim_age",
    "victim_age_at_offence": "victim_age",
    "victim_suspect_relationship": "relationship",
    "relationship_context": "relationship",
    "suspect_ref": "suspect_reference",
    "victim_supports_action": "victim_supports_prosecution",
    "victim_supports_prosecution_": "victim_supports_prosecution",
    "withdrawal_stage_": "withdrawal_stage",
    "stage_support_withdrawn": "withdrawal_stage",
    "investigator_ref": "investigator_reference",
    "officer_in_case": "investigator_reference",
}
WITHDRAWAL_OUTCOMES = {"14", "16"}
FIELDS = [
    "force",
    "batch",
    "crime_ref_hash",
    "offence_code",
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
    "suspect_age_band",
    "suspect_sex",
    "suspect_ethnicity",
    "victim_ref_hash",
    "policing_area",
    "victim_sexual_orientation",
    "victim_religion",
    "victim_gender_identity",
]
MAX_REPORTED_ERRORS = 10_000
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _choices(choices, **synonyms: str) -> dict[str, str]:
    table = {}
    for value, label in choices:
        table[value.lower()] = value
        table[str(label).lower()] = value
        table[value.lower().replace("_", " ")] = value
    table.update({k.replace("_", " "): v for k, v in synonyms.items()})
    return table


ENUMS: dict[str, dict[str, str]] = {
    "victim_sex": _choices(CrimeRecord.Sex.choices, f="female", m="male"),
    "victim_ethnicity": _choices(CrimeRecord.Ethnicity.choices),
    "victim_disability": _choices(CrimeRecord.YesNo.choices, y="yes", n="no"),
    "relationship": _choices(CrimeRecord.Relationship.choices),
    "victim_supports_prosecution": _choices(CrimeRecord.YesNo.choices, y="yes", n="no"),
    "withdrawal_stage": _choices(CrimeRecord.WithdrawalStage.choices, pre_charge="pre_charge"),
    "suspect_age_band": _choices(
        CrimeRecord.SuspectAgeBand.choices, under_18="under-18", **{"60+": "60-plus"}
    ),
    "suspect_sex": _choices(CrimeRecord.Sex.choices, f="female", m="male"),
    "suspect_ethnicity": _choices(CrimeRecord.Ethnicity.choices),
    "victim_sexual_orientation": _choices(
        CrimeRecord.SexualOrientation.choices,
        straight="heterosexual",
        gay="gay-or-lesbian",
        lesbian="gay-or-lesbian",
    ),
    "victim_religion": _choices(CrimeRecord.Religion.choices),
    "victim_gender_identity": _choices(
        CrimeRecord.GenderIdentity.choices, y="yes", n="no", same="yes", different="no"
    ),
}


def parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD, DD/MM/YYYY (a time after either is ignored) or an Excel serial day number."""
    text = text.strip()
    try:
        if text.isdigit() and 1 <= len(text) <= 5:
            serial = int(text)
            # Excel counts 29 Feb 1900, a day that never was; serials after it are off by one.
            return EXCEL_EPOCH + dt.timedelta(days=serial) if serial > 60 else None
        head = text.split(" ")[0].split("T")[0]
        if len(head) == 10 and head[4] == "-" and head[7] == "-":
            return dt.date(int(head[:4]), int(head[5:7]), int(head[8:]))
        if len(head) == 10 and head[2] == "/" and head[5] == "/":
            return dt.date(int(head[6:]), int(head[3:5]), int(head[:2]))
        if text.endswith(".0") and text[:-2].isdigit():
            return parse_date(text[:-2])
    except ValueError:
        return None
    return None


def normalise_offence_code(text: str) -> str:
    return "".join(text.split()).upper().lstrip("0")


def normalise_outcome_type(text: str) -> str:
    text = "".join(text.split()).upper()
    if text.endswith(".0"):
        text = text[:-2]
    return text.lstrip("0") or ("0" if text else "")
