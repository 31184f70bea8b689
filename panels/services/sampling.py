"""The dip-sample: a reproducible draw of NFA-closed cases from the imported records."""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from kpis.engine.models import CrimeRecord
from soteria.models import Force
from soteria.periods import Period

from ..models import CaseReview, Meeting
from .cases import add_case, nfa_outcome_types

REPEAT_SUSPECT_REPORTS = 2  # named in this many reports or more


@dataclass
class Draw:
    record: CrimeRecord
    rank: int  # position in the seeded shuffle of the whole pool
    outcome_label: str
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Record {self.record.crime_ref_hash[:8]}"


@dataclass
class DipSample:
    period: Period
    size: int
    seed: int
    pool_size: int
    already_reviewed: int
    draws: list[Draw]

    def reason(self, draw: Draw) -> str:
        return (
            f"Dip-sample of {self.period.label} (seed {self.seed}): draw {draw.rank} of "
            f"{self.pool_size} cases closed with an NFA outcome; outcome {draw.record.outcome_type}"
            f" ({draw.outcome_label}) on {draw.record.outcome_date:%-d %b %Y}."
        )


def dip_sample(*, force: Force, period: Period, size: int, seed: int) -> DipSample:
    """Propose ``size`` NFA-closed cases from the quarter's imported records, reproducibly.

    The whole pool (the force's records given an NFA outcome in the quarter, in
    hash order) is shuffled with the seed; cases the force's panels have already
    reviewed are skipped, and the first ``size`` of the rest are proposed. The same
    seed always gives the same order, so adding one draw leaves the others in place.
    """
    outcomes = nfa_outcome_types()
    pool = list(
        CrimeRecord.objects.filter(
            force=force,
            outcome_type__in=outcomes,
            outcome_date__gte=period.start,
            outcome_date__lte=period.end,
        )
        .only(
            "crime_ref_hash",
            "offence_code",
            "outcome_type",
            "outcome_date",
            "recorded_date",
            "suspect_ref_hash",
            "victim_supports_prosecution",
        )
        .order_by("crime_ref_hash")
    )
    reviewed = set(
        CaseReview.objects.filter(meeting__panel__force=force).values_list(
            "crime_ref_hash", flat=True
        )
    )
    order = random.Random(seed).sample(range(len(pool)), len(pool))
    draws, skipped = [], 0
    for rank, index in enumerate(order, start=1):
        record = pool[index]
        if record.crime_ref_hash in reviewed:
            skipped += 1
            continue
        if len(draws) < size:
            draws.append(
                Draw(record=record, rank=rank, outcome_label=outcomes[record.outcome_type])
            )
    _add_criteria(force=force, draws=draws)
    return DipSample(
        period=period,
        size=size,
        seed=seed,
        pool_size=len(pool),
        already_reviewed=skipped,
        draws=draws,
    )


def _add_criteria(*, force: Force, draws: list[Draw]) -> None:
    """Note the mandatory criteria a drawn case also meets, so the panel sees it."""
    suspects = {d.record.suspect_ref_hash for d in draws if d.record.suspect_ref_hash}
    counts = dict(
        CrimeRecord.objects.filter(force=force, suspect_ref_hash__in=suspects)
        .values("suspect_ref_hash")
        .annotate(n=Count("pk"))
        .values_list("suspect_ref_hash", "n")
    )
    for draw in draws:
        if draw.record.outcome_type == "16":
            draw.reasons.append(CaseReview.Criterion.OUTCOME_16.label)
        reports = counts.get(draw.record.suspect_ref_hash, 0)
        if reports >= REPEAT_SUSPECT_REPORTS:
            draw.reasons.append(f"Named repeat suspect (in {reports} reports)")


def add_drawn_cases(
    *, meeting: Meeting, by, sample: DipSample, record_ids: Iterable[int]
) -> list[CaseReview]:
    """Add the chosen draws of a dip-sample to a meeting, each with the reason it was drawn."""
    chosen = {int(pk) for pk in record_ids}
    by_id = {d.record.pk: d for d in sample.draws}
    if not chosen or not chosen <= set(by_id):
        raise ValidationError("Choose one or more of the cases drawn.")
    cases = []
    with transaction.atomic():
        for draw in sorted((by_id[pk] for pk in chosen), key=lambda d: d.rank):
            note = sample.reason(draw)
            if draw.reasons:
                note += " Also: " + "; ".join(draw.reasons) + "."
            record = CrimeRecord.objects.get(pk=draw.record.pk)
            cases.append(
                add_case(
                    meeting=meeting,
                    by=by,
                    selection=CaseReview.Selection.DIP_SAMPLE,
                    crime_record=record,
                    selection_note=note,
                )
            )
    return cases
