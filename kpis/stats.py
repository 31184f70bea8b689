"""Statistics every KPI source shares: intervals for proportions."""

from math import sqrt

Z95 = 1.959963984540054


def wilson_interval(successes: float, total: float, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score 95% interval for a proportion, as fractions; None when total is zero."""
    if not total or total <= 0:
        return None
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)
