"""Plotly figures for the profile, built from the figures a reader may see: a hidden count is
left out of a chart (and said so), never drawn. static/js/charts.js draws them on the page;
the printed profile draws the same figures as inline SVG (``svg``)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

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


# --- the printed profile's charts: inline SVG, no script ---------------------------------

SVG_FONT = 'font-family="system-ui, Arial, sans-serif"'


def svg(table: ProfileTable) -> str:
    """The printed chart of a table that has one on the page, or "" (safe markup)."""
    if table.slug == "by-month":
        return months_svg(table)
    if table.slug == "attrition":
        return attrition_svg(table)
    return ""


def _nice_top(value: float) -> float:
    """An axis top at or above ``value``: a round step (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8) times
    a power of ten, so the tallest bar fills most of the chart."""
    power = 1
    while True:
        for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8):
            if power * step >= value:
                return power * step
        power *= 10


def months_svg(table: ProfileTable, *, width: int = 640, height: int = 220) -> str:
    """Offences recorded by month, this year beside the same month a year earlier."""
    rows = table.rows[:-1]
    values = [(label, cells[0].shown, cells[1].shown) for label, cells in rows]
    highest = max([v for _, a, b in values for v in (a, b) if v is not None] or [1])
    top = _nice_top(highest)
    left, right, upper, lower = 40, width - 8, 12, height - 40
    slot = (right - left) / len(values)
    bar = slot * 0.36

    def y(v):
        return lower - v / top * (lower - upper)

    parts = [
        f'<svg class="print-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(table.title)}: '
        f'bars for each month, this year and a year earlier" {SVG_FONT}>'
    ]
    for tick in (0, top / 2, top):
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#d0d3d4" stroke-width="0.8"/>'
            f'<text x="{left - 4}" y="{y(tick) + 3:.1f}" font-size="9" text-anchor="end" '
            f'fill="#383f43">{tick:,.{0 if tick == int(tick) else 1}f}</text>'
        )
    for index, (label, now, before) in enumerate(values):
        x = left + index * slot + slot * 0.12
        for offset, value, colour in ((0, now, COLOURS[0]), (bar, before, COLOURS[5])):
            if value is not None:
                parts.append(
                    f'<rect x="{x + offset:.1f}" y="{y(value):.1f}" width="{bar:.1f}" '
                    f'height="{lower - y(value):.1f}" fill="{colour}"/>'
                )
        parts.append(
            f'<text x="{left + (index + 0.5) * slot:.1f}" y="{lower + 12}" font-size="9" '
            f'text-anchor="middle" fill="#383f43">{escape(label.split()[0])}</text>'
        )
    legend = lower + 30
    for x, colour, name in (
        (left, COLOURS[0], "Recorded"),
        (left + 110, COLOURS[5], "A year earlier"),
    ):
        parts.append(
            f'<rect x="{x}" y="{legend - 8}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{legend + 1}" font-size="10" fill="#0b0c0c">{name}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def attrition_svg(table: ProfileTable, *, width: int = 640, height: int = 150) -> str:
    """Two stacked bars, this year and the previous: the share in each outcome group."""
    rows = table.rows[:-1]
    left, right = 100, width - 8
    span = right - left
    parts = [
        f'<svg class="print-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(table.title)}: '
        f"the share of each year's offences in each outcome group\" {SVG_FONT}>"
    ]
    for line, (year, index) in enumerate((("This year", 1), ("Previous year", 3))):
        top = 8 + line * 34
        parts.append(
            f'<text x="{left - 6}" y="{top + 17}" font-size="10" text-anchor="end" '
            f'fill="#0b0c0c">{year}</text>'
        )
        x = left
        for (_, cells), colour in zip(rows, COLOURS, strict=True):
            share = cells[index].shown
            if share is None:
                continue
            w = share * span
            parts.append(
                f'<rect x="{x:.1f}" y="{top}" width="{w:.1f}" height="26" fill="{colour}"/>'
            )
            if w > 30:
                ink = "#ffffff" if colour == COLOURS[0] else "#0b0c0c"  # contrast on each
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{top + 17}" font-size="9" '
                    f'text-anchor="middle" fill="{ink}">{share * 100:.0f}%</text>'
                )
            x += w
    for number, ((label, _), colour) in enumerate(zip(rows, COLOURS, strict=True)):
        column, row = number % 2, number // 2
        x, y = 8 + column * 320, 88 + row * 16
        parts.append(
            f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{y + 1}" font-size="9" fill="#0b0c0c">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
