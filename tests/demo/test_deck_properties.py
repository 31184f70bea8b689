"""Issue 18's property tests over every tile of every deck of the demo data (both demo
forces, every quarter the deck offers, every offence group), read from the page and the
whole-deck CSV as a person reads them:

- a percentage is between 0% and 100%; an interval contains its value;
- the tile shows the value its CSV row holds, and its "n of d" is the row's counts;
- RAG agrees with the value, the target and the direction of good, by the rule the tile
  states (the 95% interval, else the SPC process limits where the value is within them,
  else the value; a charge rate gap is red where its interval excludes 1), and a tile with
  no data or too little has no value and no RAG;
- "Up 2.1 points on the previous quarter" is the difference from the previous quarter's row;
- a characteristic the extract does not carry reads "Not supplied" (not applicable), and a
  missing-data share whose count is withheld shows only a bound or "Withheld", never a count.
"""

import math
import re

import pytest

from . import pages
from .conftest import DEMO_FORCES, OFFENCES

UNITS = {  # how close a shown figure must be to its stored value, in the shown units
    "percent": 0.05,
    "ratio": 0.005,
    "days": 0.5,
    "count": 0.05,
}
NO_VALUE = {"No data yet", "Insufficient data"}
WITHHELD = re.compile(r"[<>]\d+\.\d%|Withheld")  # a bound ("<0.5%", ">98.3%") or none


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def shown_scale(unit: str, value: float) -> float:
    return value * 100 if unit == "percent" else value


def expected_rag(row, limits) -> str | None:
    """The RAG the rule gives, or None where rounding of the shown limits leaves it open."""
    up = row["direction"] == "up"
    value, target = float(row["value"]), float(row["target"])
    at_scale_end = row["unit"] == "percent" and (target >= 1 if up else target <= 0)
    if not _nan(row["ci_low"]) and not _nan(row["ci_high"]) and not at_scale_end:
        low, high = float(row["ci_low"]), float(row["ci_high"])
    elif limits and not at_scale_end and limits[0] <= value <= limits[1]:
        low, high = limits
        if min(abs(low - target), abs(high - target)) <= 0.5:  # shown rounded to whole days
            return None
    else:
        meets = value >= target if up else value <= target
        return "green" if meets else "amber-or-red"
    if low > target or high < target:
        return "green" if (low > target) == up else "red"
    return "amber"


IN_PROGRESS = "Quarter in progress: not compared with the previous quarter"


def check_tile(problems, where, tile, row, in_progress=False):
    unit, status = row["unit"], row["status"]
    if status == "not_supplied" or tile.value == "Not supplied":
        if (tile.value, status, tile.rag_class) != ("Not supplied", "not_supplied", "na"):
            problems.append(f"{where}: {tile.value!r} ({tile.rag_class!r}), CSV status {status}")
        if not _nan(row["value"]) or tile.change:
            problems.append(f"{where}: not supplied, yet a value or a change")
        return
    if status == "withheld" or WITHHELD.fullmatch(tile.value):
        if status != "withheld" or not WITHHELD.fullmatch(tile.value):
            problems.append(f"{where}: the tile shows {tile.value!r}, the CSV status {status}")
        if not _nan(row["value"]) or not _nan(row["numerator"]) or tile.change:
            problems.append(f"{where}: a withheld figure has a value, a count or a change")
        whole = tile.caption.startswith("Withheld by disclosure control")  # a headline count
        if not whole and not re.search(r"(<5|withheld) of [\d,]+$", tile.caption):
            problems.append(f"{where}: a withheld figure's caption reads {tile.caption!r}")
        rag = row["rag"] if isinstance(row["rag"], str) else ""
        if rag != tile.rag_class:
            problems.append(f"{where}: the tile's RAG is {tile.rag_class!r}, the CSV's {rag!r}")
        return
    if tile.value in NO_VALUE:
        if re.search(r"\d", tile.value) or tile.change:
            problems.append(f"{where}: a tile without a value shows a figure or a change")
        if tile.rag_class not in ("grey", ""):
            problems.append(f"{where}: a tile without a value has RAG {tile.rag_class}")
        if status == "ok" and not _nan(row["value"]):
            problems.append(f"{where}: the CSV has a value the tile does not show")
        return
    if status != "ok" or _nan(row["value"]):
        problems.append(f"{where}: the tile shows {tile.value!r} but the CSV row has no value")
        return
    value = float(row["value"])
    if unit in UNITS:
        shown = pages.number(tile.value)
        if abs(shown - shown_scale(unit, value)) > UNITS[unit] + 1e-9:
            problems.append(f"{where}: the tile shows {tile.value!r}, the CSV {value!r}")
    if unit == "percent" and not 0 <= pages.number(tile.value) <= 100:
        problems.append(f"{where}: a percentage of {tile.value}")
    low, high = row["ci_low"], row["ci_high"]
    if not _nan(low) and not _nan(high) and not float(low) <= value <= float(high):
        problems.append(f"{where}: the interval {low}–{high} does not hold {value}")
    counts = pages.of(tile.caption)
    if unit == "percent" and counts and not _nan(row["denominator"]):
        if counts != (int(row["numerator"]), int(row["denominator"])):
            problems.append(
                f"{where}: the caption says {counts}, the CSV {row['numerator']} of {row['denominator']}"
            )
    if in_progress:  # partial figures: neither judged nor compared with the previous quarter
        if tile.rag_class or tile.change != IN_PROGRESS:
            problems.append(f"{where}: in progress, yet {tile.rag_label!r} / {tile.change!r}")
        return
    check_rag(problems, where, tile, row)


def check_disparity(problems, where, tile, row):
    """A charge rate gap tile reads its window's largest gap: red where that gap's 95%
    interval lies wholly on one side of 1, grey "not significantly different" otherwise."""
    low, high = row["ci_low"], row["ci_high"]
    significant = not _nan(low) and not _nan(high) and (float(high) < 1 or float(low) > 1)
    expected = "red" if significant else "grey"
    rag = row["rag"] if isinstance(row["rag"], str) else ""
    if tile.rag_class != expected or rag != expected:
        problems.append(
            f"{where}: a gap with interval {low}–{high} reads {tile.rag_class!r} on the tile "
            f"and {rag!r} in the CSV, not {expected!r}"
        )
    if not significant and "not significantly different" not in tile.rag_label.lower():
        problems.append(f"{where}: a gap whose interval spans 1 reads {tile.rag_label!r}")


def check_rag(problems, where, tile, row):
    if row.name.startswith("charge-rate-by-"):
        check_disparity(problems, where, tile, row)
        return
    if row["direction"] == "none":
        if tile.rag_class != "" or "No judgement" not in tile.rag_label:
            problems.append(f"{where}: a KPI with no direction of good has RAG {tile.rag_label!r}")
        return
    if _nan(row["target"]):
        if tile.rag_class not in ("",):
            problems.append(f"{where}: RAG {tile.rag_class} with no target")
        return
    rag = row["rag"] if isinstance(row["rag"], str) else ""
    if rag != tile.rag_class:
        problems.append(f"{where}: the tile's RAG is {tile.rag_class!r}, the CSV's {rag!r}")
    limits = None
    stated = re.search(
        rf"the process limits ({pages.NUMBER})[^–]*–({pages.NUMBER})", tile.rag_reason
    )
    if stated:
        limits = (float(stated[1].replace(",", "")), float(stated[2].replace(",", "")))
    expected = expected_rag(row, limits)
    if expected == "amber-or-red":
        ok = tile.rag_class in ("amber", "red")
    else:
        ok = expected is None or tile.rag_class == expected
    if not ok:
        problems.append(
            f"{where}: RAG {tile.rag_class!r} ({tile.rag_reason!r}) but the value "
            f"{row['value']}, interval {row['ci_low']}–{row['ci_high']}, limits {limits} and "
            f"target {row['target']} ({row['direction']} is better) give {expected!r}"
        )


CHANGE = re.compile(
    rf"^(Up|Down) ({pages.NUMBER})( points| days| places?)? on the previous quarter"
)


def check_change(problems, where, tile, row, previous):
    if not tile.change or previous is None or row["unit"] not in (*UNITS, "rank"):
        return
    if _nan(previous["value"]) or previous["status"] != "ok":
        problems.append(f"{where}: a change on a previous quarter that has no value")
        return
    delta = shown_scale(row["unit"], float(row["value"]) - float(previous["value"]))
    if tile.change.startswith("No change"):
        if abs(delta) > UNITS.get(row["unit"], 0.5) + 1e-9:
            problems.append(f"{where}: 'No change' but the CSV moved by {delta}")
        return
    match = CHANGE.match(tile.change)
    if not match:
        problems.append(f"{where}: a change that does not read as one: {tile.change!r}")
        return
    size = float(match[2].replace(",", ""))
    rising = delta > 0
    if row["unit"] == "rank":
        says_rising = match[1] == "Down"  # a larger rank number is a lower place
    else:
        says_rising = match[1] == "Up"
    unit_words = {"percent": " points", "days": " days", "rank": " places"}
    if says_rising != rising or abs(size - abs(delta)) > UNITS.get(row["unit"], 0) + 1e-9:
        problems.append(f"{where}: {tile.change!r} but the CSV moved by {delta}")
    expected_words = unit_words.get(row["unit"])
    if expected_words and (match[3] or "").rstrip("s") != expected_words.rstrip("s"):
        problems.append(f"{where}: the change {tile.change!r} does not give its unit")


@pytest.mark.parametrize("force_slug", DEMO_FORCES)
@pytest.mark.parametrize("offence", OFFENCES)
def test_every_tile_of_every_deck_keeps_the_properties(
    demo, db, client, chief, force_slug, offence
):
    quarters = chief(force_slug)
    deck = f"/forces/{force_slug}/flight-deck/"
    problems: list[str] = []
    rows_by_quarter = {}
    tiles_seen = judged = 0
    for slug in sorted(quarters):
        page = client.get(deck, {"period": slug, "offence": offence})
        tiles = pages.deck_tiles(page.content)
        in_progress = b'id="period-in-progress"' in page.content
        rows = pages.deck_csv(
            client.get(f"{deck}download.csv", {"period": slug, "offence": offence}).content
        ).set_index("kpi")
        assert set(tiles) == set(rows.index)
        previous = rows_by_quarter.get(_previous(slug))
        for kpi, tile in tiles.items():
            where = f"{force_slug} {slug} {offence} {kpi}"
            row = rows.loc[kpi]
            check_tile(problems, where, tile, row, in_progress)
            if not in_progress:
                prior = None if previous is None or kpi not in previous.index else previous.loc[kpi]
                check_change(problems, where, tile, row, prior)
            tiles_seen += 1
            judged += tile.rag_class in ("green", "amber", "red")
        rows_by_quarter[slug] = rows
    assert not problems, f"{len(problems)} problems in {tiles_seen} tiles:\n" + "\n".join(
        problems[:40]
    )
    assert tiles_seen > 1000
    assert judged > 20  # the demo's targets are judged, so the RAG rule is exercised


def _previous(slug: str) -> str:
    year, quarter = int(slug[:4]), int(slug[-1])
    if quarter == 1:
        year, quarter = year - 1, 5
    return f"{year}-{(year + 1) % 100:02d}-q{quarter - 1}"
