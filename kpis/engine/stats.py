"""Statistics every KPI source shares: intervals for proportions and for ratios, SPC limits."""

from math import exp, log, sqrt

Z95 = 1.959963984540054


def wilson_interval(successes: float, total: float, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score 95% interval for a proportion, as fractions; None when total is zero."""
    if not total or total <= 0:
        return None
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    # At 0 or at every case the interval reaches 0 or 1 exactly; rounding would leave a
    # bound of 3e-18 that no longer holds a value of 0.
    low = 0.0 if successes <= 0 else max(0.0, centre - half)
    high = 1.0 if successes >= total else min(1.0, centre + half)
    return low, high


def rate_ratio(
    successes: float, total: float, ref_successes: float, ref_total: float, z: float = Z95
) -> tuple[float, float, float] | None:
    """Ratio of two proportions with its 95% interval (Katz log method).

    Returns (ratio, low, high), or None when either group has no cases or the reference
    group no events. A group with no events is compared with half an event added to each
    count (Haldane-Anscombe), so a group without a charge is judged, not left out.
    """
    if not total or not ref_total or successes < 0 or ref_successes <= 0:
        return None
    if successes == 0:
        # No events in the group: the Haldane-Anscombe correction (half an event added to
        # each cell) gives a ratio and interval, rather than leaving the group out.
        successes, total = 0.5, total + 1
        ref_successes, ref_total = ref_successes + 0.5, ref_total + 1
    ratio = (successes / total) / (ref_successes / ref_total)
    se = sqrt(max(0.0, 1 / successes - 1 / total + 1 / ref_successes - 1 / ref_total))
    return ratio, exp(log(ratio) - z * se), exp(log(ratio) + z * se)


def p_chart_limits(numerators: list[float], denominators: list[float]) -> list[tuple] | None:
    """Per-point 3-sigma control limits for a proportion (p-chart), as fractions.

    Returns (centre, lower, upper) for each point, or None without enough data.
    """
    total = sum(denominators)
    if len(numerators) < 2 or total <= 0:
        return None
    centre = sum(numerators) / total
    limits = []
    for n in denominators:
        if not n:
            limits.append((centre, None, None))
            continue
        sigma = sqrt(centre * (1 - centre) / n)
        limits.append((centre, max(0.0, centre - 3 * sigma), min(1.0, centre + 3 * sigma)))
    return limits


def individuals_limits(values: list[float]) -> tuple[float, float, float] | None:
    """Centre and 3-sigma limits of an XmR (individuals) chart from the mean moving range."""
    if len(values) < 3:
        return None
    centre = sum(values) / len(values)
    moving = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    sigma = (sum(moving) / len(moving)) / 1.128
    return centre, centre - 3 * sigma, centre + 3 * sigma


def compare_with(successes: float, total: float, reference: float | None) -> str | None:
    """ "higher", "lower" or "same": where a rate's 95% Wilson interval lies against a
    comparator's rate (England and Wales, a region, a group of forces), taken as the
    reference as a funnel plot takes it. None when either has no rate."""
    if reference is None or not total or total <= 0 or not 0 <= successes <= total:
        return None
    low, high = wilson_interval(successes, total)
    if low > reference:
        return "higher"
    if high < reference:
        return "lower"
    return "same"
