"""What a tile's figure is, in plain words: the catalogue's caption with the quarter's facts.

"Outcome types 31.0%" says which outcome; a gap ratio says whose rate over whose; a date
says how old it is; a figure reported once for all RASSO says so when the view is rape.
"""

import datetime as dt

from ..engine.formatting import format_count, format_date
from ..engine.models import Kpi, KpiSnapshot, OffenceGroup
from . import headlines, windows

ALL_RASSO = "All RASSO: reported once for all sexual offences"


def tile_caption(kpi: Kpi, snapshot: dict | None, offence: str) -> str:
    """The caption under a tile's value (empty when there is nothing to show)."""
    if snapshot is None:
        return ""
    parts = [_figure(kpi, snapshot)]
    if offence != OffenceGroup.ALL and snapshot.get("offence_group") == OffenceGroup.ALL:
        parts.append(ALL_RASSO)
    return ". ".join(p for p in parts if p)


def _figure(kpi: Kpi, snapshot: dict) -> str:
    provenance = snapshot.get("provenance") or {}
    detail = provenance.get("detail") or {}
    params = provenance.get("params") or {}
    caption = kpi.caption
    shown = snapshot.get("status") == KpiSnapshot.Status.OK and snapshot.get("value") is not None
    if detail.get("headline_withheld") is True:
        threshold = params.get("disclosure_threshold", 5)
        return (
            f"Withheld by disclosure control: this count is under {threshold}, or showing it "
            f"would let a count under {threshold} be worked out"
        )
    if kpi.slug == "outcome-distribution" and shown and detail.get("most_common"):
        code = detail["most_common"]
        name = detail.get("most_common_label") or f"outcome type {code}"
        return f"Most common outcome: {_lower_first(name)} (type {code}), {_of(snapshot)} outcomes"
    if kpi.slug.startswith("charge-rate-by-") and "window_label" in snapshot:
        return windows.disparity_caption(snapshot)
    if kpi.slug == "repeat-suspect-share" and params.get("repeat_reports"):
        caption = (
            f"Share of the quarter's named suspects named in {params['repeat_reports']} or more "
            f"RASSO reports within {params['repeat_years']} years"
        )
    if kpi.slug == "caseload-per-investigator" and shown and detail.get("above_threshold_withheld"):
        return (
            f"{format_count(snapshot['numerator'])} open investigations shared by "
            f"{format_count(snapshot['denominator'])} investigators at the quarter's end; how "
            f"many have over {detail['threshold']:g} each is withheld by disclosure control"
        )
    if kpi.slug == "caseload-per-investigator" and shown and "above_threshold" in detail:
        above = detail["above_threshold"]
        return (
            f"{format_count(snapshot['numerator'])} open investigations shared by "
            f"{format_count(snapshot['denominator'])} investigators at the quarter's end; "
            f"{above} of them over {detail['threshold']:g} each"
        )
    if kpi.unit == Kpi.Unit.DATE and provenance.get("date") and snapshot.get("value") is not None:
        date = dt.date.fromisoformat(provenance["date"])
        age = snapshot["value"]
        return (
            f"Last completed {format_date(date)}: {age:,.0f} day{'s' if age != 1 else ''} "
            "before the quarter's end; over a year old is out of date"
        )
    withheld = headlines.withheld(snapshot)
    if withheld is not None:
        return f"{caption}: {withheld.counts}"
    if kpi.unit == Kpi.Unit.PERCENT and shown and _has_counts(snapshot):
        if kpi.denominator_label:
            return f"{_of(snapshot)} {_lower_first(kpi.denominator_label)}"
        return f"{caption}: {_of(snapshot)}" if caption else _of(snapshot)
    if not caption and kpi.numerator_label and kpi.denominator_label:
        return f"{kpi.numerator_label} as a share of {_lower_first(kpi.denominator_label)}"
    return caption


def _has_counts(snapshot: dict) -> bool:
    return snapshot.get("numerator") is not None and bool(snapshot.get("denominator"))


def _of(snapshot: dict) -> str:
    return f"{format_count(snapshot['numerator'])} of {format_count(snapshot['denominator'])}"


def _lower_first(text: str) -> str:
    """ "Survey responses" -> "survey responses"; "RASSO investigators" stays as it is."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
