"""Plotly figures for panel reports. The template only embeds the HTML (plotly.js is vendored)."""

import plotly.graph_objects as go

from .services import LearningSummary


def themes_over_time(summary: LearningSummary) -> str:
    """Cases per learning theme in each quarter, as grouped bars; empty when nothing is recorded."""
    names = [name for name, _ in summary.theme_totals]
    if not names:
        return ""
    labels = [p.label for p in summary.periods]
    figure = go.Figure(
        [
            go.Bar(
                name=name,
                x=labels,
                y=[summary.theme_counts[p.slug].get(name, 0) for p in summary.periods],
                hovertemplate="%{x}: %{y} cases<extra>" + name + "</extra>",
            )
            for name in names
        ]
    )
    figure.update_layout(
        barmode="group" if len(labels) > 1 else "relative",
        height=380,
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        yaxis={"title": "Cases reviewed", "rangemode": "tozero", "dtick": 1},
        legend={"orientation": "h", "y": -0.2},
        template="plotly_white",
    )
    return figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        config={"displaylogo": False, "responsive": True},
        div_id="themes-chart",
    )
