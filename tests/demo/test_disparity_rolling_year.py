"""Issue 11: every demo force's latest rolling year shows a disparity reading for victim sex,
age band and ethnicity (all RASSO), each equal to a recount from the stored records over
the 12 months; and the drill-down's rolling-year ethnicity breakdown shows the recounted
charges and outcomes of every group it does not withhold."""

import lxml.html
import pytest

from . import independent, pages
from .conftest import DEMO_FORCES
from .test_independent_check import INSUFFICIENT, withheld_groups

READ = ("charge-rate-by-sex", "charge-rate-by-age-band", "charge-rate-by-ethnicity")


def _readings(client, chief, force_slug) -> list:
    """The latest rolling year's gap tiles (all RASSO), each checked against a recount."""
    from soteria.models import Force

    chief(force_slug)
    deck = client.get(f"/forces/{force_slug}/flight-deck/", {"offence": "all"})
    _, latest = pages.period_options(deck.content)
    tiles = pages.deck_tiles(deck.content)
    window = independent.rolling_year(latest)
    frame = independent.records(Force.objects.get(slug=force_slug))
    groups = independent.gap_groups(frame, window)
    readings = []
    for kpi in READ:
        tile = tiles[kpi]
        assert tile.window == f"12 months to {window.end.day} {window.end:%b %Y}", tile
        withheld = withheld_groups(client, f"{force_slug} {latest} all {kpi}")
        expected = independent.disparity(groups[kpi], withheld)
        if expected is None:
            assert tile.value == INSUFFICIENT, (kpi, tile.caption)
            for group in withheld & {g for g, (_, n) in groups[kpi].items() if n}:
                assert f"{group} (withheld)" in tile.caption  # named as left out
        else:
            assert pages.number(tile.value) == pytest.approx(expected["ratio"], abs=0.005)
            assert tile.rag_class == ("red" if expected["significant"] else "grey")
        readings.append((kpi, tile))
    return readings


@pytest.mark.parametrize("force_slug", DEMO_FORCES)
def test_the_latest_rolling_year_gap_tiles_equal_a_recount(demo, db, client, chief, force_slug):
    for kpi, tile in _readings(client, chief, force_slug):
        print(force_slug, kpi, tile.value, "|", tile.rag_label, "|", tile.caption)


@pytest.mark.parametrize("force_slug", DEMO_FORCES)
def test_the_latest_rolling_year_judges_sex_age_and_ethnicity(demo, db, client, chief, force_slug):
    for kpi, tile in _readings(client, chief, force_slug):
        assert tile.value != INSUFFICIENT, (kpi, tile.caption)


@pytest.mark.parametrize("force_slug", DEMO_FORCES)
def test_the_drill_down_reads_the_rolling_year_ethnicity_breakdown(
    demo, db, client, chief, force_slug
):
    from soteria.models import Force

    chief(force_slug)
    deck = client.get(f"/forces/{force_slug}/flight-deck/", {"offence": "all"})
    _, latest = pages.period_options(deck.content)
    page = client.get(
        f"/forces/{force_slug}/kpis/charge-rate/", {"period": latest, "offence": "all"}
    )
    tree = lxml.html.fromstring(page.content)
    window = independent.rolling_year(latest)
    title = tree.xpath('//h2[@id="breakdown-ethnicity-title"]')[0].text_content()
    assert title == f"Victim ethnicity, 12 months to {window.end.day} {window.end:%b %Y}"
    frame = independent.records(Force.objects.get(slug=force_slug))
    groups = independent.gap_groups(frame, window)["charge-rate-by-ethnicity"]
    shown = 0  # groups not withheld
    for row in tree.xpath('//section[@id="breakdown-ethnicity"]//tbody/tr'):
        label = row.xpath("./th")[0].text_content().strip()
        cells = [td.text_content().strip() for td in row.xpath("./td")]
        if label not in groups:
            continue
        charges, outcomes = groups[label]
        if cells[0] not in ("withheld",) and not cells[0].startswith("<"):
            assert pages.number(cells[0]) == charges, label
            shown += 1
        if cells[1] not in ("withheld",) and not cells[1].startswith("<"):
            assert pages.number(cells[1]) == outcomes, label
    rows = tree.xpath('//section[@id="breakdown-ethnicity"]//tbody/tr')
    assert len(rows) == 6, shown  # five groups and "not recorded", each read
