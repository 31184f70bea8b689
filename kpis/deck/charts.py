"""Charts built from snapshot rows: inline SVG sparklines and plotly figure specs.

Templates only embed what these return. Plotly figures are plain figure dicts
(data + layout) drawn by the vendored static/vendor/plotly.min.js, so nothing
is fetched from a CDN. Every chart is readable without colour: series differ by
marker shape and line dash, limits and targets are labelled in text, and
withheld groups say "<5" or "withheld" where their bar would be.
"""

from soteria.periods import Period

from ..engine import stats
from ..engine.formatting import format_count, format_days, format_percent, format_ratio
from ..engine.models import Kpi

INK = "#0b0c0c"
BLUE = "#1d70b8"
GREY = "#505a5f"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Arial, sans-serif", "size": 13}


def sparkline(values: list[float | None], *, width: int = 120, height: int = 28) -> dict:
    """Points for an SVG polyline (gaps where a quarter has no value) and its last point."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return {"segments": [], "last": None, "width": width, "height": height}
    low, high = min(known), max(known)
    span = (high - low) or 1
    step = width / max(len(values) - 1, 1)
    segments, current, last = [], [], None
    for i, value in enumerate(values):
        if value is None:
            if len(current) > 1:
                segments.append(" ".join(current))
            current = []
            continue
        x = round(i * step, 1)
        y = round(height - 3 - (value - low) / span * (height - 6), 1)
        current.append(f"{x},{y}")
        last = (x, y)
    if len(current) > 1:
        segments.append(" ".join(current))
    return {"segments": segments, "last": last, "width": width, "height": height}


def _axis_value(kpi: Kpi, value):
    if value is None:
        return None
    return value * 100 if kpi.unit == Kpi.Unit.PERCENT else value


def _layout(title: str, y_title: str, **extra) -> dict:
    return {
        "title": {"text": title, "font": {"size": 15}},
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "yaxis": {"title": {"text": y_title}, "zeroline": False, "gridcolor": "#dddddd"},
        "xaxis": {"gridcolor": "#eeeeee"},
        "legend": {"orientation": "h", "y": -0.25},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "height": 360,
        **extra,
    }


def y_title(kpi: Kpi) -> str:
    return {
        Kpi.Unit.PERCENT: "per cent",
        Kpi.Unit.DAYS: "days",
        Kpi.Unit.RATIO: "ratio to reference group",
        Kpi.Unit.RANK: "rank (1 = highest charge rate)",
        Kpi.Unit.DATE: "days since it was last done",
    }.get(kpi.unit, kpi.get_unit_display())


def trend_figure(kpi: Kpi, points: list[tuple[Period, dict | None]], target=None) -> dict:
    """The trend with SPC limits: a p-chart for a proportion with numerator and denominator,
    an XmR chart for other values with at least three quarters, else a run chart (median)."""
    known = [(p, s) for p, s in points if s and s["value"] is not None]
    x = [p.label for p, _ in known]
    y = [_axis_value(kpi, s["value"]) for _, s in known]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers+text" if len(y) <= 12 else "lines+markers",
            "name": kpi.name,
            "x": x,
            "y": y,
            "text": [_short(kpi, v) for v in y],
            "textposition": "top center",
            "line": {"color": BLUE, "width": 3},
            "marker": {"symbol": "circle", "size": 9, "color": BLUE},
        }
    ]
    method = "Run chart (centre line: median)"
    fractions = [
        (s["numerator"], s["denominator"])
        for _, s in known
        if s["numerator"] is not None and s["denominator"]
    ]
    if kpi.unit == Kpi.Unit.PERCENT and len(fractions) == len(known) and len(known) >= 3:
        limits = stats.p_chart_limits([n for n, _ in fractions], [d for _, d in fractions])
        method = "SPC p-chart (3-sigma limits from each quarter's denominator)"
        centre = [c * 100 for c, _, _ in limits]
        lower = [None if lo is None else lo * 100 for _, lo, _ in limits]
        upper = [None if hi is None else hi * 100 for _, _, hi in limits]
    elif len(y) >= 3 and kpi.unit != Kpi.Unit.RANK:
        centre_value, low, high = stats.individuals_limits(y)
        method = "SPC XmR chart (3-sigma limits from the mean moving range)"
        centre, lower, upper = [centre_value] * len(y), [max(0, low)] * len(y), [high] * len(y)
    elif y:
        ordered = sorted(y)
        median = ordered[len(ordered) // 2]
        centre, lower, upper = [median] * len(y), None, None
    else:
        centre = lower = upper = None
    if centre:
        data.append(_line("Centre line", x, centre, "dot", GREY, "square"))
    if lower and upper:
        data.append(_line("Lower control limit", x, lower, "dash", INK, "triangle-down"))
        data.append(_line("Upper control limit", x, upper, "dash", INK, "triangle-up"))
    if target is not None and x:
        data.append(
            _line(
                f"Target ({target.value:g})",
                x,
                [target.value] * len(x),
                "longdashdot",
                "#00703c",
                "diamond",
            )
        )
    layout = _layout(f"{kpi.name}: trend", y_title(kpi))
    if kpi.unit == Kpi.Unit.RANK:
        layout["yaxis"]["autorange"] = "reversed"
    return {"data": data, "layout": layout, "method": method}


def _line(name, x, y, dash, color, symbol) -> dict:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": x,
        "y": y,
        "line": {"dash": dash, "color": color, "width": 1.5},
        "marker": {"symbol": symbol, "size": 6, "color": color},
        "hoverinfo": "name+y",
    }


def _short(kpi: Kpi, value) -> str:
    """A point's label: the value in axis units (per cent for a rate), without its unit word."""
    if value is None:
        return ""
    if kpi.unit == Kpi.Unit.PERCENT:
        return format_percent(value / 100)
    if kpi.unit == Kpi.Unit.RATIO:
        return format_ratio(value)
    if kpi.unit in (Kpi.Unit.DAYS, Kpi.Unit.DATE):
        return format_days(value)
    return format_count(value)


def breakdown_figure(breakdown: dict, *, threshold: int, ratios: bool = False) -> dict:
    """Horizontal bars per group with their 95% intervals; withheld groups are labelled."""
    rows = list(reversed(breakdown["rows"]))
    labels = [r["label"] for r in rows]
    if ratios:
        values = [r.get("ratio") for r in rows]
        low = [r.get("ratio_low") for r in rows]
        high = [r.get("ratio_high") for r in rows]
        axis = "rate ratio to the reference group (1 = no gap)"
    else:
        values = [None if r.get("value") is None else r["value"] * 100 for r in rows]
        low = [None if r.get("ci_low") is None else r["ci_low"] * 100 for r in rows]
        high = [None if r.get("ci_high") is None else r["ci_high"] * 100 for r in rows]
        axis = "per cent, with 95% interval"
    text = []
    for row, value in zip(rows, values, strict=True):
        if row.get("suppressed"):
            text.append(f"<{threshold}" if row["suppressed"] == "primary" else "withheld")
        elif ratios and row.get("reference"):
            text.append("reference group")
        elif ratios and value is None:
            text.append("not compared")
        elif value is None:
            text.append("no cases")
        else:
            text.append(format_ratio(value) if ratios else format_percent(value / 100))
    bars = [0 if v is None else v for v in values]
    if ratios:
        bars = [1 if r.get("reference") else b for r, b in zip(rows, bars, strict=True)]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": breakdown["label"],
            "y": labels,
            "x": bars,
            "text": text,
            "textposition": "outside",
            "cliponaxis": False,
            "marker": {"color": BLUE, "pattern": {"shape": ""}},
            "error_x": {
                "type": "data",
                "symmetric": False,
                "array": [
                    None if h is None or v is None else h - v
                    for v, h in zip(values, high, strict=True)
                ],
                "arrayminus": [
                    None if lo is None or v is None else v - lo
                    for v, lo in zip(values, low, strict=True)
                ],
                "color": INK,
                "thickness": 1.5,
            },
            "hovertemplate": "%{y}: %{text}<extra></extra>",
        }
    ]
    layout = _layout(breakdown["label"], "")
    layout["xaxis"]["title"] = {"text": axis}
    layout["margin"]["l"] = 200
    layout["height"] = max(220, 60 + 34 * len(rows))
    layout["showlegend"] = False
    if ratios:
        layout["shapes"] = [
            {
                "type": "line",
                "x0": 1,
                "x1": 1,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dash", "color": INK},
            }
        ]
    return {"data": data, "layout": layout}
