"""Funnel-plot control limits (Spiegelhalter, "Funnel plots for comparing institutional
performance", Stat Med 2005) and the judgement each force gets from them.

For a proportion p0 (England and Wales) and a force's denominator n, the limits are the
normal approximation to the binomial, p0 ± z·sqrt(p0(1 − p0)/n), clipped to 0 and 1, with
z = 1.96 (95%) and z = 3.09 (99.8%). A force outside the 95% limits is "significantly
higher" or "significantly lower"; outside the 99.8% limits it is so "beyond 99.8%" too.
Inside them it is "not significantly different": the words never claim more than the data.
"""

from dataclasses import dataclass
from math import sqrt

Z95 = 1.959964
Z998 = 3.090232
HIGHER, LOWER, SAME = "higher", "lower", "same"


def limits(p0: float, n: float, z: float) -> tuple[float, float]:
    """The control limits for denominator ``n`` around ``p0`` at ``z``."""
    half = z * sqrt(p0 * (1 - p0) / n)
    return max(0.0, p0 - half), min(1.0, p0 + half)


@dataclass(frozen=True)
class Judgement:
    direction: str  # HIGHER, LOWER or SAME
    beyond_998: bool

    @property
    def words(self) -> str:
        if self.direction == SAME:
            return "not significantly different"
        extreme = " (beyond 99.8% limits)" if self.beyond_998 else ""
        return f"significantly {self.direction}{extreme}"


def judge(numerator: float, n: float, p0: float) -> Judgement:
    """Where a force's rate numerator/n lies against the funnel around p0."""
    value = numerator / n
    low95, high95 = limits(p0, n, Z95)
    low998, high998 = limits(p0, n, Z998)
    if value > high95:
        return Judgement(HIGHER, value > high998)
    if value < low95:
        return Judgement(LOWER, value < low998)
    return Judgement(SAME, False)


def funnel_curve(p0: float, n_min: float, n_max: float, points: int = 60) -> dict[str, list]:
    """The four limit lines sampled over the denominators shown (geometric spacing)."""
    n_min, n_max = max(n_min, 1.0), max(n_max, n_min + 1)
    ratio = (n_max / n_min) ** (1 / (points - 1))
    ns = [n_min * ratio**i for i in range(points)]
    curve = {"n": ns, "low95": [], "high95": [], "low998": [], "high998": []}
    for n in ns:
        low, high = limits(p0, n, Z95)
        curve["low95"].append(low)
        curve["high95"].append(high)
        low, high = limits(p0, n, Z998)
        curve["low998"].append(low)
        curve["high998"].append(high)
    return curve
