"""Synthetic record-level extracts for demos, tests and benchmarks.

SYNTHETIC DATA: every crime, suspect and investigator reference starts with
"SYN-" and no row describes a real person or crime. The proportions follow
the public national figures in shared/reference/home-office-data.md §7:
rape is about 36% of sexual offences; about 40% of closed rape
investigations end with the victim not supporting action (outcomes 14/16);
the rape charge rate is 2-3% on a same-period basis (higher on closed
investigations); median report-to-charge is about 420 days, to any outcome
about 100 days. Shares the published tables do not give (outcomes 15, 18,
missing data) are configurable here rather than claimed.
"""

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine.models import CrimeRecord, ImportBatch, OffenceCode
from .columns import COLUMNS as EXTRACT_COLUMNS
from .columns import OPTIONAL_COLUMNS

RAPE_FEMALE = {"19C": 0.62, "19D": 0.16, "19E": 0.10}
RAPE_MALE = {"19F": 0.06, "19G": 0.03, "19H": 0.03}
OTHER_CODES = {
    "20A": 0.42,
    "20B": 0.08,
    "17A": 0.06,
    "17B": 0.03,
    "21": 0.06,
    "22A": 0.03,
    "22B": 0.07,
    "23": 0.02,
    "70": 0.01,
    "71": 0.02,
    "72": 0.005,
    "73": 0.015,
    "88A": 0.04,
    "88C": 0.03,
    "88D": 0.005,
    "88E": 0.11,
}
MALE_OTHER = {"17A", "17B"}


@dataclass
class Mix:
    """Outcome shares among investigations that close, by offence group."""

    rape: dict[str, float] = field(
        default_factory=lambda: {
            "1": 0.07,
            "14": 0.08,
            "16": 0.32,
            "15": 0.24,
            "18": 0.07,
            "21": 0.06,
            "10": 0.03,
            "9": 0.02,
            "13": 0.02,
            "20": 0.03,
            "3": 0.01,
            "17": 0.005,
            "5": 0.005,
            "12": 0.005,
            "11": 0.005,
            "8": 0.01,
        }
    )
    other: dict[str, float] = field(
        default_factory=lambda: {
            "1": 0.11,
            "14": 0.09,
            "16": 0.27,
            "15": 0.19,
            "18": 0.12,
            "21": 0.05,
            "10": 0.03,
            "9": 0.02,
            "13": 0.01,
            "20": 0.03,
            "3": 0.03,
            "8": 0.03,
            "22": 0.01,
            "2": 0.005,
            "17": 0.005,
        }
    )
    missing_ethnicity: float = 0.12
    missing_disability: float = 0.22
    missing_relationship: float = 0.06
    missing_age: float = 0.04
    missing_sex: float = 0.01


def _pick(rng: np.random.Generator, shares: dict[str, float], size: int) -> np.ndarray:
    keys = np.array(list(shares))
    weights = np.array(list(shares.values()), dtype=float)
    return keys[rng.choice(len(keys), size=size, p=weights / weights.sum())]


def synthetic_extract(
    *,
    records: int,
    seed: int = 1,
    forces: list[str],
    first_day: dt.date = dt.date(2020, 4, 1),
    extract_day: dt.date | None = None,
    mix: Mix | None = None,
    optional: bool = False,
) -> pd.DataFrame:
    """A DataFrame in the record-level extract format (docs/import-format.md), synthetic;
    with ``optional``, also the optional columns (suspects' characteristics, a victim
    reference with repeat victims, local policing area), drawn after every other column so
    that the others are the same either way."""
    rng = np.random.default_rng(seed)
    mix = mix or Mix()
    extract_day = extract_day or dt.date.today() - dt.timedelta(days=1)
    n = records
    span = (extract_day - first_day).days
    # Slightly rising demand over time, as nationally.
    recorded_offset = (np.sqrt(rng.random(n)) * 0.35 + rng.random(n) * 0.65) * span
    recorded = np.datetime64(first_day) + recorded_offset.astype("timedelta64[D]")
    force_index = rng.integers(0, len(forces), n)
    force_names = np.array(forces)[force_index]

    is_rape = rng.random(n) < 0.36
    is_male = rng.random(n) < np.where(is_rape, 0.12, 0.10)
    codes = np.where(
        is_rape,
        np.where(is_male, _pick(rng, RAPE_MALE, n), _pick(rng, RAPE_FEMALE, n)),
        _pick(rng, OTHER_CODES, n),
    )
    is_male = np.where(is_rape, is_male, np.isin(codes, list(MALE_OTHER)) | (rng.random(n) < 0.04))
    child_code = np.isin(codes, ["19D", "19E", "19G", "19H", "20B", "17B", "21", "22B"])
    age = np.where(child_code, rng.integers(5, 16, n), np.clip(rng.gamma(4.0, 7.0, n) + 16, 16, 90))
    age = age.astype(int).astype(object)
    age[rng.random(n) < mix.missing_age] = ""

    sex = np.where(is_male, "male", "female").astype(object)
    sex[rng.random(n) < 0.005] = "other"
    sex[rng.random(n) < mix.missing_sex] = ""
    ethnicity = _pick(
        rng, {"white": 0.80, "asian": 0.07, "black": 0.05, "mixed": 0.05, "other": 0.03}, n
    ).astype(object)
    ethnicity[rng.random(n) < mix.missing_ethnicity] = ""
    disability = np.where(rng.random(n) < 0.18, "yes", "no").astype(object)
    disability[rng.random(n) < mix.missing_disability] = ""
    relationship = _pick(
        rng,
        {
            "partner": 0.33,
            "acquaintance": 0.30,
            "family": 0.14,
            "stranger": 0.12,
            "online": 0.06,
            "professional": 0.03,
            "other": 0.02,
        },
        n,
    ).astype(object)
    relationship[rng.random(n) < mix.missing_relationship] = ""

    outcome = np.where(is_rape, _pick(rng, mix.rape, n), _pick(rng, mix.other, n))
    # Charges take far longer than other outcomes; Black and disabled victims'
    # cases are charged a little less often, so the disparity KPIs have a signal.
    disadvantaged = (ethnicity == "black") | (disability == "yes")
    downgrade = (outcome == "1") & disadvantaged & (rng.random(n) < 0.25)
    outcome = np.where(downgrade, "16", outcome)
    median_days = np.where(outcome == "1", 420, np.where(np.isin(outcome, ["14", "18"]), 45, 150))
    days_to_outcome = np.maximum(1, rng.lognormal(np.log(median_days), 0.75)).astype(int)
    outcome_day = recorded + days_to_outcome.astype("timedelta64[D]")
    still_open = outcome_day > np.datetime64(extract_day)
    outcome = np.where(still_open, "", outcome).astype(object)
    outcome_date = pd.Series(outcome_day).dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    outcome_date[still_open] = ""

    no_suspect = np.isin(outcome, ["14", "18"]) | (still_open & (rng.random(n) < 0.15))
    supports = np.where(
        np.isin(outcome, ["14", "16"]),
        "no",
        np.where(still_open & (rng.random(n) < 0.25), "no", "yes"),
    ).astype(object)
    supports[(supports == "yes") & (rng.random(n) < 0.03)] = ""
    stage = np.where(
        np.isin(outcome, ["14", "16"]),
        _pick(
            rng, {"report": 0.35, "investigation": 0.45, "pre_charge": 0.15, "post_charge": 0.05}, n
        ),
        "",
    ).astype(object)

    # Suspects: most are named once; a small pool of repeat suspects is named again and again.
    repeat_pool = max(3, int(n * 0.08))
    from_repeat_pool = rng.random(n) < 0.25
    suspect_index = np.where(
        from_repeat_pool, rng.integers(0, repeat_pool, n), repeat_pool + np.arange(n)
    )
    suspect = (
        "SYN-S" + pd.Series(force_index).astype(str) + "-" + pd.Series(suspect_index).astype(str)
    ).to_numpy(dtype=object)
    suspect[no_suspect] = ""
    # Investigators: about one per 60 crimes a year per force.
    per_force_year = n / max(len(forces), 1) / max(span / 365, 0.25)
    investigators = max(3, int(per_force_year / 60))
    investigator = np.char.add("SYN-I", rng.integers(1, investigators + 1, n).astype(str)).astype(
        object
    )

    years = pd.Series(recorded).dt.year.to_numpy()
    crime_ref = (
        "SYN-"
        + pd.Series(years).astype(str)
        + "-"
        + pd.Series(np.arange(n) + seed * 10_000_000).astype(str)
    ).to_numpy(dtype=object)
    frame = pd.DataFrame(
        {
            "force": force_names,
            "crime_reference": crime_ref,
            "offence_code": codes,
            "recorded_date": pd.Series(recorded).dt.strftime("%Y-%m-%d"),
            "outcome_type": outcome,
            "outcome_date": outcome_date,
            "victim_sex": sex,
            "victim_age": age,
            "victim_ethnicity": ethnicity,
            "victim_disability": disability,
            "relationship": relationship,
            "suspect_reference": suspect,
            "victim_supports_prosecution": supports,
            "withdrawal_stage": stage,
            "investigator_reference": investigator,
        }
    )
    if not optional:
        return frame[EXTRACT_COLUMNS]
    extra = optional_columns(
        rng, force_index=force_index, suspect_index=suspect_index, named=~no_suspect
    )
    return pd.concat([frame[EXTRACT_COLUMNS], extra], axis=1)[EXTRACT_COLUMNS + OPTIONAL_COLUMNS]


# Synthetic local policing areas and their relative sizes (not any force's real areas).
POLICING_AREAS = {
    "Central": 0.26,
    "North": 0.19,
    "East": 0.17,
    "South": 0.15,
    "West": 0.12,
    "Coastal": 0.07,
    "Rural": 0.04,
}
SUSPECT_AGE_BANDS = {"under-18": 0.1, "18-24": 0.2, "25-39": 0.37, "40-59": 0.26, "60-plus": 0.07}
SUSPECT_SEX = {"male": 0.95, "female": 0.05}
SUSPECT_ETHNICITY = {"white": 0.78, "asian": 0.09, "black": 0.07, "mixed": 0.04, "other": 0.02}
# Victims' sexual orientation, religion and gender identity: shares in the order of each
# column's choices on CrimeRecord ("prefer not to say" last), then the share not recorded.
# Illustrative, near the 2021 census (younger victims: more with no religion; bisexual victims
# over-represented, as the Crime Survey finds); no police figures are published for RASSO.
VICTIM_CHARACTERISTICS = {
    "victim_sexual_orientation": ((0.84, 0.04, 0.07, 0.01, 0.04), 0.45),
    "victim_religion": ((0.45, 0.38, 0.005, 0.015, 0.004, 0.06, 0.008, 0.008, 0.07), 0.35),
    "victim_gender_identity": ((0.955, 0.01, 0.035), 0.5),
}


def optional_columns(
    rng: np.random.Generator,
    *,
    force_index: np.ndarray,
    suspect_index: np.ndarray,
    named: np.ndarray,
) -> pd.DataFrame:
    """The optional columns for records with these forces and suspects: each suspect keeps
    one age band, sex and ethnicity across their reports (blank where no suspect is named,
    and sometimes not recorded); about one report in eight is by a victim from a small pool
    who reports again; a policing area for nearly every report; each victim keeps one sexual
    orientation, religion and gender identity (drawn last: the other columns stay the same)."""
    n = len(force_index)
    people = int(suspect_index.max()) + 1 if n else 0
    characteristics = {}
    for column, shares, missing in (
        ("suspect_age_band", SUSPECT_AGE_BANDS, 0.1),
        ("suspect_sex", SUSPECT_SEX, 0.03),
        ("suspect_ethnicity", SUSPECT_ETHNICITY, 0.15),
    ):
        values = _pick(rng, shares, people).astype(object)[suspect_index]
        values[~named | (rng.random(n) < missing)] = ""
        characteristics[column] = values
    pool = max(3, int(n * 0.03))
    repeat = rng.random(n) < 0.12
    victim_index = np.where(repeat, rng.integers(0, pool, n), pool + np.arange(n))
    victim = (
        "SYN-V" + pd.Series(force_index).astype(str) + "-" + pd.Series(victim_index).astype(str)
    ).to_numpy(dtype=object)
    victim[rng.random(n) < 0.08] = ""
    area = _pick(rng, POLICING_AREAS, n).astype(object)
    area[rng.random(n) < 0.03] = ""
    victims = int(victim_index.max()) + 1 if n else 0
    for column, (weights, missing) in VICTIM_CHARACTERISTICS.items():
        codes = [code for code, _ in CrimeRecord._meta.get_field(column).choices]
        values = _pick(rng, dict(zip(codes, weights, strict=True)), victims).astype(object)
        characteristics[column] = values[victim_index]
        characteristics[column][rng.random(n) < missing] = ""
    return pd.DataFrame({**characteristics, "victim_reference": victim, "policing_area": area})


def crime_records_from_extract(frame: pd.DataFrame, *, forces: dict, batch) -> list:
    """CrimeRecord objects (unsaved) from a synthetic extract, references pseudonymised.

    For tests, benchmarks and demo data only; real files go through the importer.
    ``forces`` maps the extract's force names to Force objects; offence groups come
    from the OffenceCode list.
    """
    from soteria.pseudonym import pseudonymise

    groups = dict(OffenceCode.objects.values_list("code", "group"))

    def hashed(values):
        cache: dict[str, str] = {}
        return [cache.setdefault(v, pseudonymise(v)) if v else "" for v in values]

    crime = hashed(frame["crime_reference"])
    suspect = hashed(frame["suspect_reference"])
    investigator = hashed(frame["investigator_reference"])
    blank = [""] * len(frame)
    victim = hashed(frame["victim_reference"]) if "victim_reference" in frame else blank
    optional = {c: frame[c].tolist() if c in frame else blank for c in OPTIONAL_COLUMNS}
    records = []
    for i, row in enumerate(frame.itertuples(index=False)):
        records.append(
            CrimeRecord(
                force=forces[row.force],
                batch=batch,
                crime_ref_hash=crime[i],
                offence_code=row.offence_code,
                offence_group=groups[row.offence_code],
                recorded_date=row.recorded_date,
                outcome_type=row.outcome_type,
                outcome_date=row.outcome_date or None,
                victim_sex=row.victim_sex,
                victim_age=int(row.victim_age) if row.victim_age != "" else None,
                victim_ethnicity=row.victim_ethnicity,
                victim_disability=row.victim_disability,
                relationship=row.relationship,
                suspect_ref_hash=suspect[i],
                victim_supports_prosecution=row.victim_supports_prosecution,
                withdrawal_stage=row.withdrawal_stage,
                investigator_ref_hash=investigator[i],
                suspect_age_band=optional["suspect_age_band"][i],
                suspect_sex=optional["suspect_sex"][i],
                suspect_ethnicity=optional["suspect_ethnicity"][i],
                victim_ref_hash=victim[i],
                policing_area=optional["policing_area"][i],
                victim_sexual_orientation=optional["victim_sexual_orientation"][i],
                victim_religion=optional["victim_religion"][i],
                victim_gender_identity=optional["victim_gender_identity"][i],
            )
        )
    return records


def add_synthetic_records(
    *, forces: list, records: int, seed: int = 1, tag: str = "synthetic", **options
) -> int:
    """Write a SYNTHETIC extract straight into CrimeRecord rows, one labelled batch per force.

    Tests, benchmarks and the demo use this instead of the importer; ``tag`` starts each
    batch's file_sha256 so a benchmark can find its own data again.
    """

    frame = synthetic_extract(
        records=records, seed=seed, forces=[f.name for f in forces], **options
    )
    by_name = {f.name: f for f in forces}
    written = 0
    for name, part in frame.groupby("force"):
        batch = ImportBatch.objects.create(
            force=by_name[name],
            kind=ImportBatch.Kind.RECORDS,
            file_name="SYNTHETIC extract (not real data)",
            file_sha256=f"{tag}-{seed}-{records}-{by_name[name].slug}",
            status=ImportBatch.Status.SUCCEEDED,
            rows_read=len(part),
            rows_valid=len(part),
            rows_written=len(part),
            message="Synthetic records generated by kpis.imports.synthetic.synthetic_extract.",
            optional_columns=[c for c in OPTIONAL_COLUMNS if c in part],
        )
        for start in range(0, len(part), 20_000):
            chunk = part.iloc[start : start + 20_000]
            CrimeRecord.objects.bulk_create(
                crime_records_from_extract(chunk, forces=by_name, batch=batch), batch_size=5000
            )
        written += len(part)
    return written
