"""Statistical process control as NHS England's "Making Data Count" does it: an XmR chart.

Pure Python, no Django: a series of quarterly values (None where a quarter has no
usable value) in, the centre line, process limits and special-cause signals out.

- Limits come from a baseline: the first ``BASELINE`` points of each segment. The
  centre line is their mean; the limits are the mean ± 2.66 × their mean moving range
  (2.66 = 3 / 1.128, three sigma for individuals). Moving ranges above 3.267 × the mean
  moving range are screened out first, as "plot the dots" does.
- A segment starts at each break (a step change someone marked, or a new definition),
  and its limits are recalculated from its own baseline.
- Special causes within a segment: a point outside the limits; two of three points in
  a row beyond two sigma on the same side (and inside the limits); a run of ``RUN``
  or more points on one side of the mean (a point on the mean breaks it); a trend of
  ``TREND`` or more points each higher (or each lower) than the one before.
- Each signal is an improvement or a concern by the KPI's direction of good
  (polarity ``up`` or ``down``); with no direction (``none``) it is neither.

Values are taken as they are stored, in whatever scale (a fraction or a percentage):
nothing here depends on the scale.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

LIMIT = 2.66  # three sigma, in mean moving ranges
NEAR = LIMIT * 2 / 3  # two sigma
SCREEN = 3.267  # a moving range above this many mean moving ranges is screened out
BASELINE = 12  # points the limits come from; fewer give provisional limits
MINIMUM = 6  # fewer points than this in a segment and it is not judged at all
RUN = 7
TREND = 7

OUTSIDE, TWO_OF_THREE, SHIFT, DRIFT = "outside", "two-of-three", "run", "trend"
PRECEDENCE = (OUTSIDE, TWO_OF_THREE, SHIFT, DRIFT)
IMPROVEMENT, CONCERN, NEITHER = "improvement", "concern", "neither"
COMMON, TOO_FEW = "common", "too-few"


@dataclass(frozen=True)
class Signal:
    """A special cause a point belongs to."""

    rule: str  # OUTSIDE, TWO_OF_THREE, SHIFT or DRIFT
    side: str  # "high" (above the mean, or rising) or "low"
    kind: str  # IMPROVEMENT, CONCERN or NEITHER
    length: int = 1  # points in the run or trend

    @property
    def description(self) -> str:
        high = self.side == "high"
        if self.rule == OUTSIDE:
            return "above the upper process limit" if high else "below the lower process limit"
        if self.rule == TWO_OF_THREE:
            return f"2 of 3 quarters close to the {'upper' if high else 'lower'} process limit"
        if self.rule == SHIFT:
            return f"run of {self.length} quarters {'above' if high else 'below'} the mean"
        return f"trend of {self.length} quarters {'rising' if high else 'falling'}"


@dataclass(frozen=True)
class Segment:
    """A stretch of the series with its own centre line and limits."""

    start: int  # index of its first point in the series
    stop: int  # index after its last point
    points: int  # points with a value
    baseline: int  # points the limits come from (0 when it is not judged)
    reason: str = ""  # why it starts where it does ("" for the first)
    mean: float | None = None
    mean_moving_range: float | None = None
    lower: float | None = None
    upper: float | None = None

    @property
    def judged(self) -> bool:
        return self.mean is not None

    @property
    def provisional(self) -> bool:
        return self.judged and self.baseline < BASELINE


@dataclass(frozen=True)
class Verdict:
    """What the chart says about the latest point, in words."""

    kind: str  # IMPROVEMENT, CONCERN, NEITHER, COMMON or TOO_FEW
    side: str  # "high", "low" or ""
    text: str  # short, for a tile
    detail: str  # the longer reading, for a title and a drill-down
    lower: float | None = None  # the latest segment's process limits, when it is judged
    upper: float | None = None

    @property
    def symbol(self) -> str:
        """The letter inside the icon, as on "Making Data Count" icons."""
        if self.kind == COMMON:
            return "~"
        if self.kind == TOO_FEW:
            return "?"
        return "H" if self.side == "high" else "L"


@dataclass
class Chart:
    values: list[float | None]
    polarity: str
    segments: list[Segment]
    signals: list[list[Signal]] = field(default_factory=list)  # per point, strongest first

    def segment_at(self, index: int) -> Segment:
        return next(s for s in self.segments if s.start <= index < s.stop)

    def signal(self, index: int) -> Signal | None:
        found = self.signals[index]
        return found[0] if found else None

    def line(self, name: str) -> list[float | None]:
        """The centre line ("mean") or a limit ("lower", "upper") at every point."""
        return [getattr(self.segment_at(i), name) for i in range(len(self.values))]

    def verdict(self) -> Verdict | None:
        """The latest point's reading, or None when the latest quarter has no value."""
        if not self.values or self.values[-1] is None:
            return None
        segment = self.segments[-1]
        since = f" since {segment.reason}" if segment.reason else ""
        if not segment.judged:
            return Verdict(
                TOO_FEW,
                "",
                "Too few points to judge",
                f"Only {segment.points} quarter{'s' if segment.points != 1 else ''} "
                f"with data{since}: SPC needs at least {MINIMUM}.",
            )
        caveat = (
            f" The limits are provisional: they come from {segment.baseline} quarters"
            f"{since} ({BASELINE} or more are better)."
            if segment.provisional
            else f" Limits from the first {segment.baseline} quarters{since or ' shown'}."
        )
        signal = self.signal(len(self.values) - 1)
        limits = {"lower": segment.lower, "upper": segment.upper}
        if signal is None:
            return Verdict(
                COMMON,
                "",
                "Common cause variation",
                "The latest quarter is inside the process limits, with no run, trend or "
                "cluster near a limit: the variation is what this process usually "
                "produces." + caveat,
                **limits,
            )
        heading = {
            IMPROVEMENT: "Special cause: improvement",
            CONCERN: "Special cause: concern",
            NEITHER: "Special cause: neither improvement nor concern",
        }[signal.kind]
        text = f"{heading} — {signal.description}"
        return Verdict(
            signal.kind, signal.side, text, f"{text}: not the usual variation." + caveat, **limits
        )


def kind_of(side: str, polarity: str) -> str:
    if polarity not in ("up", "down"):
        return NEITHER
    return IMPROVEMENT if (side == "high") == (polarity == "up") else CONCERN


def xmr(
    values: Sequence[float | None],
    *,
    polarity: str = "none",
    breaks: Mapping[int, str] | None = None,
    baseline: int = BASELINE,
    minimum: int = MINIMUM,
) -> Chart:
    """An XmR chart of the series, segmented at ``breaks`` (index of a segment's first
    point → why it starts there). A break at index 0 only names the first segment."""
    values = list(values)
    breaks = dict(breaks or {})
    starts = sorted({0, *(i for i in breaks if 0 < i < len(values))})
    bounds = list(zip(starts, [*starts[1:], len(values)], strict=True)) if values else []
    segments = [
        _segment(values, start, stop, breaks.get(start, ""), baseline, minimum)
        for start, stop in bounds
    ]
    chart = Chart(values, polarity, segments, [[] for _ in values])
    for segment in segments:
        if segment.judged:
            _signals(chart, segment)
    for found in chart.signals:
        found.sort(key=lambda s: PRECEDENCE.index(s.rule))
    return chart


def _segment(values, start, stop, reason, baseline, minimum) -> Segment:
    known = [v for v in values[start:stop] if v is not None]
    if len(known) < max(minimum, 2):
        return Segment(start, stop, len(known), 0, reason)
    base = known[:baseline]
    mean = sum(base) / len(base)
    moving = [abs(b - a) for a, b in zip(base, base[1:], strict=False)]
    average = sum(moving) / len(moving)
    if average > 0:
        moving = [m for m in moving if m < SCREEN * average]
        average = sum(moving) / len(moving)
    return Segment(
        start,
        stop,
        len(known),
        len(base),
        reason,
        mean,
        average,
        mean - LIMIT * average,
        mean + LIMIT * average,
    )


def _signals(chart: Chart, segment: Segment) -> None:
    index = [i for i in range(segment.start, segment.stop) if chart.values[i] is not None]
    ys = [chart.values[i] for i in index]
    mean, spread = segment.mean, segment.mean_moving_range
    sides = [(y > mean) - (y < mean) for y in ys]
    outside = [y > segment.upper or y < segment.lower for y in ys]
    near = [not out and abs(y - mean) > NEAR * spread for y, out in zip(ys, outside, strict=True)]

    def flag(k: int, rule: str, side: int, length: int = 1) -> None:
        name = "high" if side > 0 else "low"
        chart.signals[index[k]].append(Signal(rule, name, kind_of(name, chart.polarity), length))

    for k, out in enumerate(outside):
        if out:
            flag(k, OUTSIDE, sides[k])
    for k in range(len(ys) - 2):
        window = range(k, k + 3)
        if abs(sum(sides[j] for j in window)) == 3 and sum(near[j] for j in window) >= 2:
            for j in window:
                if near[j] and not any(s.rule == TWO_OF_THREE for s in chart.signals[index[j]]):
                    flag(j, TWO_OF_THREE, sides[j])
    for first, last, side in _stretches(sides):
        if side and last - first + 1 >= RUN:
            for k in range(first, last + 1):
                flag(k, SHIFT, side, last - first + 1)
    steps = [(b > a) - (b < a) for a, b in zip(ys, ys[1:], strict=False)]
    for first, last, direction in _stretches(steps):
        length = last - first + 2  # points: one more than the steps between them
        if direction and length >= TREND:
            for k in range(first, last + 2):
                if not any(s.rule == DRIFT for s in chart.signals[index[k]]):
                    flag(k, DRIFT, direction, length)


def _stretches(signs: list[int]):
    """(first, last, sign) of each maximal stretch of equal signs."""
    first = 0
    for k in range(1, len(signs) + 1):
        if k == len(signs) or signs[k] != signs[first]:
            yield first, k - 1, signs[first]
            first = k
