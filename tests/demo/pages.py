"""What the flight deck shows, read from the rendered page and the whole-deck CSV the way a
person reads them: text in the tiles, numbers in the download. Nothing here imports the
code that made them."""

import io
import re
from dataclasses import dataclass

import lxml.html
import pandas as pd


@dataclass
class ShownTile:
    slug: str
    name: str
    value: str
    caption: str
    rag_class: str  # "green", "red", "amber", "grey", or "" (no RAG: no target, no judgement)
    rag_label: str
    rag_reason: str
    target: str
    change: str
    comparison: str
    spc: str
    window: str = ""  # the window the figure is over, where the tile names one


def _text(node, xpath: str) -> str:
    found = node.xpath(xpath)
    return " ".join(" ".join(found[0].itertext()).split()) if found else ""


def deck_tiles(html: bytes) -> dict[str, ShownTile]:
    tree = lxml.html.fromstring(html)
    tiles = {}
    for article in tree.xpath('//article[contains(concat(" ", @class, " "), " kpi-tile ")]'):
        slug = article.get("id").removeprefix("kpi-")
        rag = article.xpath('.//span[contains(concat(" ", @class, " "), " rag ")]')
        rag_class = ""
        if rag:
            rag_class = next(
                c.removeprefix("rag-") for c in rag[0].get("class").split() if c.startswith("rag-")
            )
            rag_class = "" if rag_class == "none" else rag_class  # a label, not a status
        tiles[slug] = ShownTile(
            slug=slug,
            name=_text(article, './/*[contains(@class, "kpi-name")]'),
            value=_text(article, './/*[contains(@class, "kpi-value")]'),
            caption=_text(article, './/*[contains(@class, "kpi-caption")]'),
            rag_class=rag_class,
            rag_label=" ".join(" ".join(rag[0].itertext()).split()) if rag else "",
            rag_reason=_text(article, './/*[contains(@class, "kpi-rag-reason")]').lstrip("— "),
            target=_text(article, './/*[contains(@class, "kpi-target")]'),
            change=_text(article, './/*[contains(@class, "kpi-change")]'),
            comparison=_text(article, './/*[contains(@class, "kpi-comparison")]'),
            spc=_text(article, './/*[contains(@class, "kpi-spc")]'),
            window=_text(article, './/*[contains(@class, "kpi-window")]'),
        )
    return tiles


def period_options(html: bytes) -> tuple[list[str], str]:
    """The quarters the deck's quarter control offers, and the one selected."""
    tree = lxml.html.fromstring(html)
    options = tree.xpath('//select[@id="id_period"]/option')
    selected = [o.get("value") for o in options if o.get("selected") is not None]
    return [o.get("value") for o in options], selected[0] if selected else ""


def deck_csv(content: bytes) -> pd.DataFrame:
    """The whole-deck CSV, read as an analyst would: pandas with no options."""
    return pd.read_csv(io.BytesIO(content))


NUMBER = r"-?[\d,]+(?:\.\d+)?"


def number(text: str) -> float:
    """The first number in a shown figure: "13.1%" -> 13.1, "1,237" -> 1237, "12th" -> 12."""
    match = re.search(NUMBER, text)
    assert match, f"no number in {text!r}"
    return float(match[0].replace(",", ""))


def of(text: str) -> tuple[int, int] | None:
    """ "… 89 of 681 …" -> (89, 681)."""
    match = re.search(rf"({NUMBER}) of ({NUMBER})", text)
    if not match:
        return None
    return int(match[1].replace(",", "")), int(match[2].replace(",", ""))
