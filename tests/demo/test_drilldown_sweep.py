"""Issue 18: no drill-down a user can reach answers 500, and none contradicts its tile.

Every KPI's drill-down for both demo forces and every offence group, in the first, a
middle and the latest quarter the deck offers: it answers 200, its headline and RAG are
the tile's, and its downloads (CSV, XLSX, ZIP) open with pandas and hold the tile's value
for the quarter. A quarter that cannot be shown (future, or without figures) is refused
with a message, never a 500 or an empty page.
"""

import io
import zipfile

import lxml.html
import pandas as pd
import pytest

from kpis.models import Kpi
from soteria.periods import Period

from . import pages
from .conftest import DEMO_FORCES, OFFENCES


def headline(html: bytes) -> tuple[str, str]:
    tree = lxml.html.fromstring(html)
    value = " ".join(
        " ".join(tree.xpath('//span[contains(@class, "kpi-value")]')[0].itertext()).split()
    )
    rag = tree.xpath('//span[contains(concat(" ", @class, " "), " rag ")]')
    label = " ".join(" ".join(rag[0].itertext()).split()) if rag else ""
    return value, label


@pytest.mark.parametrize("force_slug", DEMO_FORCES)
@pytest.mark.parametrize("offence", OFFENCES)
def test_every_drilldown_answers_and_agrees_with_its_tile(
    demo, db, client, chief, force_slug, offence
):
    quarters = chief(force_slug)
    deck = f"/forces/{force_slug}/flight-deck/"
    ordered = sorted(quarters)
    sampled = sorted({ordered[0], ordered[len(ordered) // 2], ordered[-1]})
    slugs = list(Kpi.objects.order_by("order").values_list("slug", flat=True))
    problems, requests = [], 0
    for quarter in sampled:
        tiles = pages.deck_tiles(client.get(deck, {"period": quarter, "offence": offence}).content)
        rows = pages.deck_csv(
            client.get(f"{deck}download.csv", {"period": quarter, "offence": offence}).content
        ).set_index("kpi")
        for slug in slugs:
            where = f"{force_slug} {quarter} {offence} {slug}"
            page = client.get(
                f"/forces/{force_slug}/kpis/{slug}/", {"period": quarter, "offence": offence}
            )
            requests += 1
            if page.status_code != 200:
                problems.append(f"{where}: drill-down answered {page.status_code}")
                continue
            value, label = headline(page.content)
            if value != tiles[slug].value:
                problems.append(
                    f"{where}: the drill-down shows {value!r}, the tile {tiles[slug].value!r}"
                )
            if label != tiles[slug].rag_label:
                problems.append(
                    f"{where}: the drill-down's RAG is {label!r}, the tile's {tiles[slug].rag_label!r}"
                )
            if quarter != ordered[-1]:
                continue
            # Every format opens; the CSV for every offence group, the others for All RASSO.
            for fmt in ("csv", "xlsx", "zip") if offence == "all" else ("csv",):
                download = client.get(
                    f"/forces/{force_slug}/kpis/{slug}/download.{fmt}",
                    {"period": quarter, "offence": offence},
                )
                requests += 1
                if download.status_code != 200:
                    problems.append(f"{where}: the {fmt} download answered {download.status_code}")
                    continue
                table = _read(fmt, download.content)
                trend = table[(table["table"] == "trend") & (table["period"] == quarter)]
                expected = rows.loc[slug, "value"]
                got = trend["value"].iloc[0] if len(trend) else float("nan")
                if pd.isna(expected) != pd.isna(got) or (
                    not pd.isna(expected) and abs(float(got) - float(expected)) > 1e-9
                ):
                    problems.append(
                        f"{where}: the {fmt} trend row holds {got!r}, the deck's CSV {expected!r}"
                    )
    assert not problems, f"{len(problems)} problems in {requests} requests:\n" + "\n".join(
        problems[:40]
    )
    assert requests >= len(slugs) * 4


def _read(fmt: str, content: bytes) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(content))
    if fmt == "xlsx":
        return pd.read_excel(io.BytesIO(content), sheet_name=0)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        data = next(n for n in archive.namelist() if not n.endswith("-about.csv"))
        return pd.read_csv(archive.open(data))


@pytest.mark.parametrize("force_slug", DEMO_FORCES)
def test_quarters_that_cannot_be_shown_are_refused_in_words(demo, db, client, chief, force_slug):
    chief(force_slug)
    future = Period.current().shift(4).slug
    for path in (f"/forces/{force_slug}/flight-deck/", f"/forces/{force_slug}/kpis/charge-rate/"):
        for asked in (future, "2030-31-q1", "1999-00-q1", "not-a-quarter"):
            page = client.get(path, {"period": asked}, follow=True)
            assert page.status_code == 200, (path, asked)
            text = " ".join(lxml.html.fromstring(page.content).itertext())
            assert "Showing" in text and "the latest complete quarter with figures" in text, (
                path,
                asked,
            )
            _, selected = pages.period_options(page.content)
            assert selected == Period.latest_complete().slug
    download = client.get(f"/forces/{force_slug}/flight-deck/download.csv", {"period": future})
    assert download.status_code == 404
