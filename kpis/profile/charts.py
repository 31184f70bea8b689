"""Plotly figures for the profile, built from the figures a reader may see: a hidden count is
left out of a chart (and said so), never drawn. static/js/charts.js draws them."""

from .tables import ProfileTable, Section

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}
# Okabe-Ito colours, distinguishable with colour-blindness; one per attrition group.
COLOURS = ["#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#999999"]


def attach(sections: list[Section]) -> None:
    for section in sections:
        for table in section.tables:
            if table.figure and table.figure.get("kind") == "months":
                table.figure = _figure(table, months_figure(table))
            elif table.figure and table.figure.get("kind") == "attrition":
                table.figure = _figure(table, attrition_figure(table))


def _figure(table: ProfileTable, spec: dict) -> dict:
    return {"id": f"{table.slug}-chart", "data_id": f"{table.slug}-figure", "spec": spec}


def _layout(title: str, **extra) -> dict:
    return {
        "title": {"text": title, "font": {"size": 15}},
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 60},
        "legend": {"orientation": "h", "y": -0.2},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "height": 340,
        **extra,
    }


def months_figure(table: ProfileTable) -> dict:
    """Offences recorded by month, this year against the same month a year earlier."""
    rows = table.rows[:-1]
    months = [label for label, _ in rows]
    data = [
        {
            "type": "bar",
            "name": name,
            "x": months,
            "y": [cells[index].shown for _, cells in rows],
            "marker": {"color": colour},
        }
        for index, name, colour in ((0, "Recorded", COLOURS[0]), (1, "A year earlier", COLOURS[5]))
    ]
    return {"data": data, "layout": _layout(table.title, barmode="group")}


def attrition_figure(table: ProfileTable) -> dict:
    """One stacked bar per year: the share of the year's offences in each outcome group."""
    rows = table.rows[:-1]
    years = ["This year", "Previous year"]
    data = []
    for (label, cells), colour in zip(rows, COLOURS, strict=True):
        shares = [cells[1].shown, cells[3].shown]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": label,
                "y": years,
                "x": [None if s is None else round(s * 100, 1) for s in shares],
                "text": [cell.text for cell in (cells[0], cells[2])],
                "textposition": "inside",
                "marker": {"color": colour},
                "hovertemplate": "%{y}: %{x:.1f}% (%{text} offences)<extra>" + label + "</extra>",
            }
        )
    layout = _layout(
        table.title,
        barmode="stack",
        xaxis={"title": {"text": "per cent of offences recorded"}, "range": [0, 100]},
        yaxis={"autorange": "reversed"},
        height=340,
        legend={"orientation": "h", "y": -0.45, "yanchor": "top"},
        margin={"l": 110, "r": 20, "t": 50, "b": 40},
    )
    return {"data": data, "layout": layout}
