"""A crafted Home Office outcomes table, and the national figures worked out by hand from it.

``cells`` is {force name: {outcome type: closed-basis count, or None for "N/A - data not
provided"}}. The expected figures are computed here with plain Python, separately from the
engine, so that tests compare what a page shows with an independent computation.
"""

from kpis.models import HomeOfficeOutcome, ImportBatch
from soteria.models import Force
from soteria.periods import Period

NOT_PROVIDED = None


def write_home_office_quarter(
    period: Period, cells: dict[str, dict[str, int | None]], *, offence_group: str = "rape"
) -> None:
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.HOME_OFFICE,
        file_name="ho.xlsx",
        file_sha256=f"ho-{period.slug}-{offence_group}-{len(cells)}",
        status=ImportBatch.Status.SUCCEEDED,
    )
    forces = {f.name: f for f in Force.objects.filter(name__in=cells)}
    HomeOfficeOutcome.objects.bulk_create(
        HomeOfficeOutcome(
            force=forces[name],
            batch=batch,
            financial_year=period.financial_year.replace("/", "-"),
            quarter=period.quarter,
            offence_code="19C" if offence_group == "rape" else "17A",
            offence_group=offence_group,
            outcome_type=outcome,
            closed_count=count,
            recorded_count=count,
        )
        for name, outcomes in cells.items()
        for outcome, count in outcomes.items()
    )


def complete(cells: dict[str, dict[str, int | None]]) -> dict[str, dict[str, int | None]]:
    """The forces whose every outcome cell (types 1 to 22) is provided."""
    return {
        name: outcomes
        for name, outcomes in cells.items()
        if all(count is not None for outcome, count in outcomes.items() if outcome != "0")
    }


def rate(cells: dict[str, dict[str, int | None]], types: tuple[str, ...]) -> tuple[int, int]:
    """(numerator, denominator) summed over the forces given: ``types`` over types 1 to 22."""
    numerator = sum(o.get(t) or 0 for o in cells.values() for t in types)
    denominator = sum(c for o in cells.values() for t, c in o.items() if t != "0")
    return numerator, denominator
