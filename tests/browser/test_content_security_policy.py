"""Browser check: the pages run under the Content-Security-Policy without a single violation,
plotly's charts and their tooltips included."""

import pytest

from kpis.engine.snapshots import compute_snapshots
from kpis.imports.synthetic import add_synthetic_records
from soteria.periods import Period

pytestmark = pytest.mark.browser

Q1 = Period.parse("2024-25-q1")
Q4 = Period.parse("2023-24-q4")
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""


@pytest.fixture
def snapshots(force_a, force_b):
    add_synthetic_records(forces=[force_a, force_b], records=3000, seed=41)
    for period in (Q4, Q1):
        compute_snapshots(force=force_a, period=period)


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH)
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )

    def violations():
        return page.evaluate("window.__csp") + console

    return violations


def test_the_flight_deck_and_a_drill_down_chart_raise_no_violation(
    snapshots, alice, force_a, login, live_server, page, watched
):
    """Given Alice with KPI snapshots,
    When she reads the flight deck, opens a drill-down and hovers over its charts,
    Then plotly draws them and the browser reports no Content-Security-Policy violation."""
    login("alice")
    response = page.goto(f"{live_server.url}/forces/{force_a.slug}/flight-deck/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.goto(f"{live_server.url}/forces/{force_a.slug}/kpis/charge-rate-by-ethnicity/")
    page.wait_for_selector("#chart-breakdown-ethnicity .main-svg")
    for chart in page.locator(".chart .main-svg").all()[:3]:
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.move(box["x"] + box["width"] / 3, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    assert watched() == []


def test_an_injected_inline_script_does_not_run(alice, force_a, login, live_server, page, watched):
    """Given a page with markup injected into it,
    Then the browser refuses the inline script and reports the violation."""
    login("alice")
    page.goto(f"{live_server.url}/forces/{force_a.slug}/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = true"; document.body.appendChild(s); }"""
    )
    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src-elem blocked inline") for v in watched())
