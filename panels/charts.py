"""Plotly figures for panel reports. The template only embeds the HTML (plotly.js is vendored)."""

import plotly.graph_objects as go

from .services import LearningSummary


def themes_over_time(summary: LearningSummary) -> str:
    """Cases per learning theme in each quarter, as a heatmap; empty when nothing is recorded."""
    names = [name for name, _ in summary.theme_totals]
    if not names:
        return ""
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
    return figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        config={"displaylogo": False, "responsive": True},
        div_id="themes-chart",
    )
