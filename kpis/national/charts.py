"""The national overview's figures: the funnel plot (a plotly figure dict, drawn by
static/js/charts.js) and each force's small trend (inline SVG). Readable without colour:
the viewer's own force is a labelled diamond, limits are labelled lines."""

from . import funnel
from .services import Overview

INK, BLUE, GREY, RED = "#0b0c0c", "#1d70b8", "#505a5f", "#d4351c"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Arial, sans-serif", "size": 13}


def funnel_figure(overview: Overview) -> dict:
    p0 = overview.national_value
    rows = overview.rows
    if p0 is None or not rows:
        return {}
    ns = [r.denominator for r in rows]
    curve = funnel.funnel_curve(p0, min(ns) * 0.8, max(ns) * 1.2)
    pct = [100 * v for v in (p0,)]

    def line(key, name, dash, colour):
        return {
            "type": "scatter",
            "mode": "lines",
            "x": curve["n"],
            "y": [round(100 * v, 3) for v in curve[key]],
            "name": name,
            "line": {"dash": dash, "color": colour, "width": 1.5},
            "hoverinfo": "skip",
            "showlegend": key.startswith("low"),
        }

    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": [curve["n"][0], curve["n"][-1]],
            "y": pct * 2,
            "name": f"England and Wales {100 * p0:.1f}%",
            "line": {"color": INK, "width": 2},
            "hoverinfo": "skip",
        },
        line("low95", "95% limits", "dash", GREY),
        line("high95", "95% limits", "dash", GREY),
        line("low998", "99.8% limits", "dot", RED),
        line("high998", "99.8% limits", "dot", RED),
    ]
    for mine in (False, True):
        chosen = [r for r in rows if r.mine == mine]
        if not chosen:
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text" if mine else "markers",
                "x": [r.denominator for r in chosen],
                "y": [round(100 * r.value, 2) for r in chosen],
                "text": [r.force for r in chosen],
                "textposition": "top center",
                "name": "Your force" if mine else "Forces",
                "marker": {
                    "symbol": "diamond" if mine else "circle",
                    "size": 13 if mine else 8,
                    "color": RED if mine else BLUE,
                    "line": {"color": INK, "width": 1},
                },
                "hovertemplate": "%{text}: %{y:.1f}% of %{x:,} outcomes<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": {
            "title": {
                "text": f"{overview.kpi_label}, {overview.window_label}: every force against "
                "England and Wales",
                "font": {"size": 15},
            },
            "font": FONT,
            "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
            "xaxis": {"title": {"text": "Outcomes (denominator)"}, "type": "log"},
            "yaxis": {"title": {"text": "%"}, "rangemode": "tozero"},
            "legend": {"orientation": "h", "y": -0.25},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
        },
    }


def trend_svg(values: list, national: list, *, width: int = 140, height: int = 40) -> dict:
    """Polylines for one force's trend and England and Wales's, on a shared scale."""
    known = [v for v in (*values, *national) if v is not None]
    if not known:
        return {"force": [], "national": [], "width": width, "height": height}
    low, high = min(known), max(known)
    span = (high - low) or 1
    step = width / max(len(values) - 1, 1)

    def segments(series):
        out, current = [], []
        for i, value in enumerate(series):
            if value is None:
                if len(current) > 1:
                    out.append(" ".join(current))
                current = []
                continue
            current.append(f"{i * step:.1f},{height - 3 - (value - low) / span * (height - 6):.1f}")
        if len(current) > 1:
            out.append(" ".join(current))
        return out

    return {
        "force": segments(values),
        "national": segments(national),
        "width": width,
        "height": height,
    }
