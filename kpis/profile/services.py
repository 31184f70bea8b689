"""A force's problem profile: its records read through the engine, the sections computed once
per data version and kept in the cache, and the quarters a profile can end with.

The profile changes only when the force's records do, and every import (or replacement)
is a new batch, so the cache key is the force's record batches (one query); a page that
finds its profile there reads nothing else.
"""

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.core.cache import cache
from django.db.models import Count, Max, Min
from django.utils import timezone

from soteria.models import Force
from soteria.periods import Period, period_range

from ..engine import catalogue, record_kpis
from ..engine.models import CrimeRecord, ImportBatch, OffenceGroup
from . import charts, sections
from .tables import Section

CACHE_SECONDS = 60 * 60
COLUMNS = [
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


@dataclass(frozen=True)
class Version:
    """The force's record batches: what the profile depends on, and what it is as at."""

    batches: int
    last_batch: int | None
    imported: dt.datetime | None
    first_recorded: dt.date | None
    last_recorded: dt.date | None

    @property
    def key(self) -> str:
        return f"{self.batches}-{self.last_batch}"


@dataclass
class Profile:
    force_name: str
    end: Period
    offence: str
    window: sections.Window
    previous: sections.Window
    sections: list[Section]
    threshold: int

    @property
    def offence_label(self) -> str:
        return OffenceGroup(self.offence).label


def data_version(*, force: Force) -> Version:
    """One query: the force's succeeded record imports, and the span of its records."""
    batches = ImportBatch.objects.filter(
        force=force, kind=ImportBatch.Kind.RECORDS, status=ImportBatch.Status.SUCCEEDED
    ).aggregate(count=Count("id"), last=Max("id"), imported=Max("finished_at"))
    span = CrimeRecord.objects.filter(force=force).aggregate(
        first=Min("recorded_date"), last=Max("recorded_date")
    )
    return Version(
        batches["count"], batches["last"], batches["imported"], span["first"], span["last"]
    )


def end_quarters(version: Version) -> list[Period]:
    """The quarters a profile may end with, latest first: complete quarters with records."""
    if version.first_recorded is None:
        return []
    last = min(Period.containing(version.last_recorded), Period.latest_complete())
    first = Period.containing(version.first_recorded)
    return list(reversed(period_range(first, last)))


def records_frame(*, force: Force) -> pd.DataFrame:
    """The force's records as the sections read them: dates as timestamps, blanks as ""."""
    rows = CrimeRecord.objects.filter(force=force).values_list(*COLUMNS)
    frame = pd.DataFrame.from_records(list(rows), columns=COLUMNS)
    frame["recorded"] = pd.to_datetime(frame.pop("recorded_date"))
    frame["outcome"] = pd.to_datetime(frame.pop("outcome_date"))
    age = pd.to_numeric(frame.pop("victim_age"), errors="coerce")
    bands = pd.cut(age, catalogue.AGE_EDGES, right=False, labels=catalogue.AGE_LABELS)
    frame["age_band"] = bands.astype(object).where(bands.notna(), "").astype(str)
    text = [c for c in COLUMNS if c not in ("recorded_date", "outcome_date", "victim_age")]
    frame[text] = frame[text].fillna("").astype(str)
    return frame


def problem_profile(*, force: Force, version: Version, end: Period, offence: str) -> Profile:
    """The profile, from the cache when this data version's has been computed already."""
    key = f"problem-profile:{force.pk}:{version.key}:{end.slug}:{offence}"
    profile = cache.get(key)
    if profile is None:
        params = record_kpis.params()
        built = sections.build(records_frame(force=force), end=end, offence=offence, params=params)
        charts.attach(built)
        years = sections.windows(end)
        profile = Profile(
            force.full_name,
            end,
            offence,
            years["cur"],
            years["prev"],
            built,
            params.disclosure_threshold,
        )
        cache.set(key, profile, CACHE_SECONDS)
    return profile


def as_at_text(version: Version) -> str:
    if not version.batches:
        return "Data as at: no crime records imported yet."
    if version.imported is None:
        return f"Data as at: {version.batches} crime-record imports (no finishing time recorded)."
    local = timezone.localtime(version.imported)
    return f"Data as at: crime records imported {local.day} {local:%b %Y %H:%M}."
