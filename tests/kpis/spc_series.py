"""Crafted quarterly snapshot series for the SPC page tests."""

from kpis.models import Kpi, KpiSnapshot
from soteria.periods import Period

Q1 = Period.parse("2024-25-q1")
# Twelve quarters alternating 12 and 10 (mean 11, every moving range 2: limits 11 ± 5.32),
# then eight at 14: a run of 8 above the mean, inside the limits.
RUN_OF_8 = [12, 10] * 6 + [14] * 8


def store_series(force, slug, values, *, groups=("all",), end=Q1, status="ok"):
    """One snapshot per quarter ending at ``end`` (None skips a quarter)."""
    kpi = Kpi.objects.get(slug=slug)
    periods = end.trailing(len(values))
    KpiSnapshot.objects.bulk_create(
        KpiSnapshot(
            force=force,
            kpi=kpi,
            period=period.slug,
            offence_group=group,
            value=value,
            status=status,
        )
        for period, value in zip(periods, values, strict=True)
        if value is not None
        for group in groups
    )
    return periods
