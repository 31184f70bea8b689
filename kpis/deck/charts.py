"""Charts built from snapshot rows: inline SVG sparklines and plotly figure specs.

Templates only embed what these return. Plotly figures are plain figure dicts
(data + layout) drawn by the vendored static/vendor/plotly/plotly-basic.min.js, so nothing
is fetched from a CDN. Every chart is readable without colour: series differ by
marker shape and line dash, limits and targets are labelled in text, and
withheld groups say "<5" or "withheld" where their bar would be.
"""

from soteria.periods import Period

from ..engine import spc
from ..engine.formatting import format_count, format_days, format_percent, format_ratio
from ..engine.models import Kpi
from .control import applies, chart_for, shown_limits

INK = "#0b0c0c"
BLUE = "#1d70b8"
GREY = "#505a5f"
# Making Data Count's colours, darkened to keep 4.5:1 on white.
IMPROVEMENT_BLUE = "#005eb8"
CONCERN_ORANGE = "#b35900"
NEITHER_PURPLE = "#6f3c97"
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


def trend_figure(
    kpi: Kpi,
    points: list[tuple[Period, dict | None]],
    target=None,
    *,
    spc_chart: spc.Chart | None = None,
) -> dict:
    """The trend as an XmR chart (NHS "Making Data Count"): centre line and process limits
    per segment (they step where a step change was marked), special-cause points marked
    as improvement, concern or neither, and a legend. A rank, a date or a yes/no gets a
    run chart (median) instead. ``spc_chart`` is the chart of these points (built by
    ``control.chart_for``; built here without step changes when not given)."""
    if spc_chart is None and applies(kpi):
        spc_chart = chart_for(kpi, points)
    x = [p.status_label for p, _ in points]
    judged = spc_chart.values if spc_chart else [s["value"] if s else None for _, s in points]
    y = [_axis_value(kpi, v) for v in judged]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers+text" if len(x) <= 12 else "lines+markers",
            "name": kpi.name,
            "x": x,
            "y": y,
            "text": [_short(kpi, v) for v in y],
            "textposition": "top center",
            "line": {"color": GREY, "width": 2.5},
            "marker": {"symbol": "circle", "size": 8, "color": GREY},
        }
    ]
    if spc_chart:
        unjudged = [
            _axis_value(kpi, s["value"]) if s and v is None else None
            for (_, s), v in zip(points, spc_chart.values, strict=True)
        ]
        if any(v is not None for v in unjudged):
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": "Not judged (too little data, or quarter in progress)",
                    "x": x,
                    "y": unjudged,
                    "marker": {"symbol": "circle-open", "size": 9, "color": GREY},
                }
            )
        data += _spc_traces(kpi, spc_chart, x, y)
        method = SPC_METHOD
    elif any(v is not None for v in y):
        known = sorted(v for v in y if v is not None)
        data.append(_line("Centre line (median)", x, [known[len(known) // 2]] * len(x), *MEAN))
        method = "Run chart (centre line: median); SPC limits do not apply to a " + kpi.unit
    else:
        method = "No data yet"
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
    if spc_chart:
        layout["shapes"], layout["annotations"] = _breaks(spc_chart)
    return {"data": data, "layout": layout, "method": method}


SPC_METHOD = (
    "SPC XmR chart (NHS Making Data Count): the centre line is the mean and the process "
    "limits are the mean ± 2.66 × the mean moving range, from the first 12 quarters of "
    "each segment; limits restart at a step change."
)
SIGNAL_STYLE = {  # colour and marker shape, so a signal reads without colour too
    spc.IMPROVEMENT: ("Special cause: improvement", IMPROVEMENT_BLUE, "circle"),
    spc.CONCERN: ("Special cause: concern", CONCERN_ORANGE, "diamond"),
    spc.NEITHER: ("Special cause: neither improvement nor concern", NEITHER_PURPLE, "square"),
}
MEAN = ("dot", INK, "line-ew")


def _spc_traces(kpi: Kpi, chart: spc.Chart, x: list[str], y: list) -> list[dict]:
    traces = []
    judged = [s for s in chart.segments if s.judged]
    lines = (
        ("Centre line (mean)", "dot", lambda s: s.mean),
        ("Upper process limit", "dash", lambda s: shown_limits(kpi, s)[1]),
        ("Lower process limit", "dash", lambda s: shown_limits(kpi, s)[0]),
    )
    for name, dash, level in lines:
        # One trace per segment, so each segment's line stops where the next one starts.
        for n, segment in enumerate(judged):
            span = x[segment.start : segment.stop]
            value = _axis_value(kpi, level(segment))
            trace = _line(name, span, [value] * len(span), dash, INK, "")
            trace.update(mode="lines", legendgroup=name, showlegend=n == 0)
            traces.append(trace)
    for kind, (name, colour, symbol) in SIGNAL_STYLE.items():
        flagged = [chart.signal(i) for i in range(len(x))]
        marked = [v if s and s.kind == kind else None for v, s in zip(y, flagged, strict=True)]
        if any(v is not None for v in marked):
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": name,
                    "x": x,
                    "y": marked,
                    "text": [s.description if s and s.kind == kind else "" for s in flagged],
                    "hovertemplate": "%{x}: %{text}<extra>" + name + "</extra>",
                    "marker": {
                        "symbol": symbol,
                        "size": 14,
                        "color": colour,
                        "line": {"color": INK, "width": 1},
                    },
                }
            )
    return traces


def _breaks(chart: spc.Chart) -> tuple[list[dict], list[dict]]:
    """A labelled vertical line where each segment after the first starts."""
    shapes, notes = [], []
    for segment in chart.segments[1:]:
        label = "Step change" if segment.reason.startswith("the step change") else "New definition"
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "x0": segment.start - 0.5,
                "x1": segment.start - 0.5,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dashdot", "color": INK, "width": 1},
            }
        )
        notes.append(
            {
                "x": segment.start - 0.5,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "text": label,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 11},
            }
        )
    return shapes, notes


COMPARATOR_STYLES = {  # dash, colour, marker: each line reads without colour too
    "force_": ("solid", INK, "circle"),
    "": ("dash", BLUE, "square"),
    "peer_": ("dot", CONCERN_ORANGE, "diamond"),
    "similar_": ("dashdot", NEITHER_PURPLE, "triangle-up"),
}


def comparison_figure(points: list[tuple[Period, dict | None]], force_name: str) -> dict | None:
    """The force's Home Office published rate against England and Wales, its region and its
    most similar forces, quarter by quarter, from each snapshot's stored comparison (per cent).
    None when no quarter has a comparison."""
    comparisons = [((s or {}).get("comparison") or {}) for _, s in points]
    if not any("value_source" in c for c in comparisons):
        return None
    latest = next(c for c in reversed(comparisons) if "value_source" in c)
    names = {
        "force_": f"{force_name} (Home Office published)",
        "": latest.get("label", "England and Wales"),
        "peer_": latest.get("peer_label", "Region"),
        "similar_": latest.get("similar_label", "Most similar forces"),
    }
    x = [p.status_label for p, _ in points]
    data = []
    for prefix, name in names.items():
        y = [
            None if c.get(f"{prefix}value") is None else c[f"{prefix}value"] * 100
            for c in comparisons
        ]
        if any(v is not None for v in y):
            data.append(_line(name, x, y, *COMPARATOR_STYLES[prefix]))
    title = f"{force_name} against England and Wales, its region and its most similar forces"
    return {"data": data, "layout": _layout(title, "per cent (Home Office, closed basis)")}


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
