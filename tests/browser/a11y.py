"""Accessibility check for browser journeys: axe-core (vendored, MPL-2.0) run in the page."""

from pathlib import Path

AXE = (Path(__file__).parent / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.1 A and AA rules; serious and critical violations fail the test.
RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
}"""


def assert_accessible(page) -> None:
    """Fail with the list of serious WCAG 2.1 AA violations on the current page."""
    # Evaluated through the browser's debugging protocol: the page's Content-Security-Policy
    # refuses an injected inline <script>, as it should.
    page.evaluate(AXE)
    violations = page.evaluate(RUN)
    assert violations == [], "\n".join(violations)
