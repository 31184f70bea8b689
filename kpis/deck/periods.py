"""Which quarter the deck's pages show: the latest complete one by default, the one in
progress only when asked for, and never one that has not started or has no figures."""

from soteria.periods import Period


def selectable_periods(available: list[Period]) -> list[Period]:
    """The quarters a user may choose: those with figures, never one that has not started."""
    current = Period.current()
    return [p for p in available if p <= current]


def default_period(available: list[Period]) -> Period:
    """The latest complete quarter with figures: an unfinished quarter's figures are partial
    (a quarter six days old has almost no charges), so it is shown only when asked for."""
    latest = Period.latest_complete()
    return next((p for p in available if p <= latest), latest)


class PeriodRefused(ValueError):
    """A quarter that cannot be shown, with the reason in words a reader understands."""


def resolve_period(requested: str | None, available: list[Period]) -> Period:
    """The quarter asked for, or the default when none is; a quarter that has not started,
    has no figures or is not a quarter at all is refused (PeriodRefused), never shown empty."""
    if not requested:
        return default_period(available)
    try:
        period = Period.parse(requested.strip().lower())
    except ValueError as error:
        raise PeriodRefused(
            f"“{requested[:40]}” is not a quarter: quarters are written like "
            f"{default_period(available).slug}."
        ) from error
    if period > Period.current():
        raise PeriodRefused(f"{period.label} has not started yet, so it has no figures.")
    if period not in available:
        raise PeriodRefused(f"There are no figures for {period.label} for this force.")
    return period


def describe_available(available: list[Period]) -> str:
    """Which quarters have figures, in one sentence."""
    shown = selectable_periods(available)
    if not shown:
        return "No figures have been computed for this force yet."
    if len(shown) == 1:
        return f"Figures exist for {shown[0].status_label} only."
    return f"Figures exist for {shown[-1].label} to {shown[0].status_label}."
