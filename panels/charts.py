"""Plotly figures for panel reports: data and layout for static/js/charts.js to draw."""

import json

import plotly.graph_objects as go

from .services import LearningSummary


def themes_over_time(summary: LearningSummary) -> dict | None:
    """Cases per learning theme in each quarter, as a heatmap; empty when nothing is recorded."""
    names = [name for name, _ in summary.theme_totals]
    if not names:
        return None
    labels = [p.label for p in summary.periods]
    counts = [
        [summary.theme_counts[p.slug].get(name, 0) for p in summary.periods] for name in names
    ]
    figure = go.Figure(
        go.Heatmap(
            z=counts,
            x=labels,
            y=names,
            text=[[str(n) if n else "" for n in row] for row in counts],
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}, %{x}: %{z} cases<extra></extra>",
        )
    )
    figure.update_layout(
        height=120 + 28 * len(names),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"side": "top", "type": "category"},
        yaxis={"autorange": "reversed", "automargin": True},
        template="plotly_white",
    )
    # Through JSON so numpy arrays become lists; the template writes it with json_script.
    return json.loads(figure.to_json())
