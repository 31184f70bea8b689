"""Browser check: the partial plotly bundles (static/vendor/plotly) draw every chart the pages
build, without a script error, and no page loads any other plotly.

The figures are built in kpis/deck/charts.py (scatter, bar, error bars, shapes),
kpis/national/charts.py (scatter on a log axis) and kpis/profile/charts.py (bar): the basic
bundle (scatter, bar, pie) draws them. panels/charts.py builds a heatmap, the one trace that
needs the larger cartesian bundle; its page loads that one. The funnel is drawn in
tests/browser/test_national_journey.py.
"""

import pytest

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from panels.demo import load_demo_panels
from soteria.periods import Period
from soteria.services import create_demo_users

pytestmark = pytest.mark.browser

Q1 = Period.parse("2024-25-q1")
BASIC = "vendor/plotly/plotly-basic.min.js"
CARTESIAN = "vendor/plotly/plotly-cartesian.min.js"


@pytest.fixture
def watched(page):
    errors, scripts = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "favicon" not in m.location.get("url", "")
            else None
        ),
    )
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    return errors, scripts


def assert_every_chart_drawn(page, expected: int) -> None:
    figures = page.locator("[data-figure]")
    assert figures.count() == expected
    # Charts below the window are drawn one at a time after the first (static/js/charts.js).
    # A function, not an expression: an expression is eval'd, which the page's CSP refuses.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')]"
        ".every(c => c.querySelector('.main-svg'))"
    )
    for index in range(expected):
        figure = figures.nth(index)
        assert figure.locator(".main-svg").count() >= 1, figure.get_attribute("id")
        # Something was plotted: a trace with marks in it, not an empty frame.
        assert figure.locator("g.trace .point, g.trace .points path, g.hm image").count() >= 1


def test_the_drill_down_draws_all_its_charts_with_the_basic_bundle(
    force_a, force_b, alice, login, live_server, page, watched
):
    add_synthetic_records(forces=[force_a, force_b], records=3000, seed=41)
    compute_snapshots(force=force_a, period=Q1)
    errors, scripts = watched
    login("alice")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/kpis/charge-rate/?period={Q1.slug}")
    expected = page.locator("[data-figure]").count()
    assert expected >= 3
    assert_every_chart_drawn(page, expected)
    plotly = [url for url in scripts if "plotly" in url]
    assert len(plotly) == 1 and plotly[0].endswith(BASIC)
    assert errors == []


def test_the_panels_learning_summary_draws_its_heatmap(
    force_a, alice, login, live_server, page, watched
):
    create_demo_users(password="x")
    load_demo_panels(forces=[force_a], seed=1)
    errors, scripts = watched
    login("alice")
    latest = Period.latest_complete()
    page.goto(f"{live_server.url}/forces/{force_a.slug}/panels/reports/?year={latest.year}")
    assert_every_chart_drawn(page, 1)
    assert page.locator("#themes-chart .heatmaplayer").count() == 1
    assert [url for url in scripts if "plotly" in url][0].endswith(CARTESIAN)
    assert errors == []
