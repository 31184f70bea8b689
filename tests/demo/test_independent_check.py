"""Issue 18's independent check: for the demo data (both demo forces, every quarter the deck
offers, every offence group), each record-based figure the flight deck page and its CSV
show equals the same figure computed again from the stored crime records by the simple
pandas in ``independent.py``; and the Home Office comparisons equal a recount of the
national table. A mismatch names the force, quarter, offence group and KPI."""

import datetime as dt
import math
import re

import pytest

from . import independent, pages
from .conftest import DEMO_FORCES, OFFENCES

SHARES = [
    "charge-rate",
    "withdrawal-share",
    "repeat-suspect-share",
    "outcome-distribution",
]
MISSING = [
    "missing-sex",
    "missing-ethnicity",
    "missing-age",
    "missing-disability",
    "missing-relationship",
    *(slug for slug, _ in independent.OPTIONAL_MISSING.values()),
]
THRESHOLD = 5  # counts from 1 to 4 are never shown
COUNTS = ["charge-volume", "open-investigations"]
MEDIANS = ["days-to-charge", "days-to-nfa"]
GAPS = [
    f"charge-rate-by-{d}" for d in ("sex", "ethnicity", "age-band", "disability", "relationship")
]
INSUFFICIENT = "Insufficient data"


class Check:
    """Collects every disagreement, so one run reports them all."""

    def __init__(self):
        self.problems: list[str] = []
        self.compared = 0

    def equal(self, where: str, what: str, shown, expected, tolerance: float = 0) -> None:
        self.compared += 1
        if isinstance(expected, float) or isinstance(shown, float):
            same = (
                shown is not None
                and expected is not None
                and not (isinstance(shown, float) and math.isnan(shown))
                and abs(shown - expected) <= tolerance + 1e-9
            )
        else:
            same = shown == expected
        if not same:
            self.problems.append(f"{where}: {what} shows {shown!r}, recount gives {expected!r}")


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


WITHHELD = "Withheld by disclosure control"


def check_withheld(check, where, tile, row, count) -> bool:
    """A headline count that is not published may be withheld by disclosure control (the
    tile says so, the CSV's value is empty); a count from 1 to 4 must be. True if withheld."""
    withheld = WITHHELD in tile.caption
    if count is not None and 1 <= count < 5:
        check.equal(where, "a count under 5 is withheld", withheld, True)
    if withheld:
        check.equal(where, "withheld: tile", tile.value, "Withheld")
        check.equal(where, "withheld: RAG", tile.rag_class, "grey")
        check.equal(where, "withheld: CSV status", row["status"], "withheld")
        check.equal(where, "withheld: CSV value is empty", _nan(row["value"]), True)
    return withheld


def check_share(check, where, tile, row, figure):
    if WITHHELD in tile.caption and figure.get("numerator") is not None:
        check_withheld(check, where, tile, row, figure["numerator"])
        return
    if figure["insufficient"]:
        check.equal(where, "tile", tile.value, INSUFFICIENT)
        check.equal(where, "CSV status", row["status"], "insufficient")
        check.equal(where, "CSV value is empty", _nan(row["value"]), True)
        return
    check.equal(where, "tile %", pages.number(tile.value), figure["value"] * 100, 0.05)
    check.equal(
        where,
        "tile's 'n of d'",
        pages.of(tile.caption),
        (figure["numerator"], figure["denominator"]),
    )
    check.equal(where, "CSV value", float(row["value"]), figure["value"])
    check.equal(where, "CSV numerator", int(row["numerator"]), figure["numerator"])
    if not _nan(row["denominator"]):  # a denominator count may be withheld
        check.equal(where, "CSV denominator", int(row["denominator"]), figure["denominator"])
    low, high = float(row["ci_low"]), float(row["ci_high"])
    if not (math.isnan(low) or math.isnan(high)):
        check.equal(where, "CSV interval holds the value", low <= figure["value"] <= high, True)


def check_missing(check, where, tile, row, figure):
    """A missing-data share as check_share reads it, except: a column the demo force's
    extract leaves out reads "not supplied"; a missing (or recorded) count under 5 is shown
    only as a bound, "<5 of n"; and a count withheld only to protect another offence group's
    small one reads "Withheld", with no figure anywhere."""
    if figure.get("not_supplied"):
        check.equal(where, "tile", tile.value, "Not supplied")
        check.equal(where, "CSV status", row["status"], "not_supplied")
        check.equal(where, "CSV value is empty", _nan(row["value"]), True)
        return
    if figure["insufficient"]:
        check_share(check, where, tile, row, figure)
        return
    missing, of = figure["numerator"], figure["denominator"]
    # A 0 may read "<5" too, where that protects another offence group's small count.
    if 0 < missing < THRESHOLD or (missing == 0 and tile.value.startswith("<")):
        check.equal(where, "tile bound", tile.value, f"<{math.ceil(THRESHOLD / of * 1000) / 10}%")
        check.equal(where, "caption", tile.caption.endswith(f": <5 of {of:,}"), True)
    elif 0 < of - missing < THRESHOLD:
        check.equal(where, "tile bound", tile.value[0], ">")
        check.equal(where, "caption", tile.caption.endswith(f"all but <5 of {of:,}"), True)
    elif tile.value == "Withheld":
        check.equal(where, "RAG", tile.rag_class, "grey")
        check.equal(where, "no count in the caption", pages.of(tile.caption), None)
    else:
        check_share(check, where, tile, row, figure)
        return
    check.equal(where, "CSV status", row["status"], "withheld")
    check.equal(where, "CSV value is empty", _nan(row["value"]), True)
    check.equal(where, "CSV numerator is empty", _nan(row["numerator"]), True)


def check_gap(check, where, tile, row, groups, client):
    """A gap tile reads the rolling year ending with the quarter: its reading (group, ratio,
    interval, significant or not), recounted from the records over those 12 months and the
    groups the drill-down's download shows withheld."""
    withheld = withheld_groups(client, where)
    expected = independent.disparity(groups, withheld)
    check.equal(where, "window named", row["window"], tile.window)
    if expected is None:
        check.equal(where, "tile", tile.value, INSUFFICIENT)
        check.equal(where, "CSV value is empty", _nan(row["value"]), True)
        return
    match = re.search(
        r"(Largest significant gap|Not significantly different): (.+?) charged at .* "
        r"the rate of (.+?) \(reference group\)",
        tile.caption,
    )
    check.equal(where, "caption names the two groups", bool(match), True)
    if not match:
        return
    check.equal(
        where, "significant", match[1] == "Largest significant gap", expected["significant"]
    )
    check.equal(where, "gap group", match[2], expected["group"])
    check.equal(where, "reference group", match[3], expected["reference"])
    check.equal(where, "tile ratio", pages.number(tile.value), expected["ratio"], 0.005)
    check.equal(where, "CSV ratio", float(row["value"]), expected["ratio"], 1e-9)
    check.equal(where, "CSV interval low", float(row["ci_low"]), expected["low"], 1e-9)
    check.equal(where, "CSV interval high", float(row["ci_high"]), expected["high"], 1e-9)
    # A quarter still in progress is not judged: its counts are partial (readings.judge).
    in_progress = independent.quarter(where.split()[1]).end.date() >= dt.date.today()
    rag = "" if in_progress else "red" if expected["significant"] else "grey"
    check.equal(where, "RAG", tile.rag_class, rag)
    for group in withheld & {g for g, (_, n) in groups.items() if n}:
        check.equal(where, f"{group} named as left out", group in tile.caption, True)


def withheld_groups(client, where: str) -> set[str]:
    """The groups a gap KPI's drill-down download (rolling year, its default) flags as
    withheld ("<5" or withheld)."""
    force_slug, period, offence, kpi = where.split()
    download = client.get(
        f"/forces/{force_slug}/kpis/{kpi}/download.csv", {"period": period, "offence": offence}
    )
    table = pages.deck_csv(download.content)
    table = table[table["table"].str.startswith("breakdown") & (table["period"] == period)]
    flagged = table["value_suppressed"].notna() | table["numerator_suppressed"].notna()
    return set(table.loc[flagged, "group"])


def check_national(check, where, tile, row, table, force, slug):
    """The Home Office figures on a tile: the force's, England and Wales', the region's."""
    mine = table[table["force"] == force.name]
    if mine.empty or not bool(mine["complete"].iloc[0]):
        return
    complete = table[table["complete"]]
    numerator = {"charge-rate": "charges", "withdrawal-share": "withdrawals"}[slug]
    region = complete[complete["region"] == force.region]
    expected = {
        force.name: float(mine[numerator].iloc[0] / mine["outcomes"].iloc[0]),
        "England and Wales": float(complete[numerator].sum() / complete["outcomes"].sum()),
        force.get_region_display(): float(region[numerator].sum() / region["outcomes"].sum()),
    }
    columns = {
        force.name: "home_office_force_value",
        "England and Wales": "england_and_wales_value",
        force.get_region_display(): "regional_value",
    }
    for name, value in expected.items():
        shown = re.search(rf"{re.escape(name)} ({pages.NUMBER})%", tile.comparison)
        check.equal(where, f"comparison names {name}", bool(shown), True)
        if shown:
            check.equal(where, f"{name} (Home Office)", float(shown[1]), value * 100, 0.05)
        check.equal(where, f"CSV {columns[name]}", float(row[columns[name]]), value)
    if slug == "charge-rate":
        rank = re.search(r"(\d+)(?:st|nd|rd|th) of (\d+) forces", tile.comparison)
        check.equal(
            where,
            "national rank",
            rank and (int(rank[1]), int(rank[2])),
            (int(mine["rank"].iloc[0]), len(complete)),
        )


@pytest.mark.parametrize("force_slug", DEMO_FORCES)
@pytest.mark.parametrize("offence", OFFENCES)
def test_every_record_figure_on_the_deck_and_its_csv_equals_a_recount(
    demo, db, client, chief, force_slug, offence
):
    from soteria.models import Force

    force = Force.objects.get(slug=force_slug)
    quarters = chief(force_slug)
    deck = f"/forces/{force_slug}/flight-deck/"
    assert len(quarters) >= 12, quarters  # the demo covers years, not a handful of quarters

    frame = independent.records(force)
    history = frame
    group = independent.in_group(frame, offence)
    check = Check()
    for slug in quarters:
        q = independent.quarter(slug)
        page = client.get(deck, {"period": slug, "offence": offence})
        assert page.status_code == 200
        tiles = pages.deck_tiles(page.content)
        download = client.get(f"{deck}download.csv", {"period": slug, "offence": offence})
        rows = pages.deck_csv(download.content).set_index("kpi")
        figures = independent.figures(group, history, q)
        gaps = independent.gap_groups(group, independent.rolling_year(slug))
        national = independent.national(q, offence)
        for kpi in [
            *SHARES,
            *MISSING,
            *COUNTS,
            *MEDIANS,
            *GAPS,
            "charge-volume-victim-supports",
            "caseload-per-investigator",
        ]:
            where = f"{force_slug} {slug} {offence} {kpi}"
            tile, row, figure = tiles[kpi], rows.loc[kpi], figures[kpi]
            if kpi in MISSING:
                check_missing(check, where, tile, row, figure)
            elif kpi in SHARES:
                check_share(check, where, tile, row, figure)
                if kpi == "repeat-suspect-share" and not figure["insufficient"]:
                    # Not published: a count of suspects under 5, either way, is withheld.
                    few = {figure["numerator"], figure["denominator"] - figure["numerator"]}
                    if any(1 <= n < THRESHOLD for n in few):
                        check.equal(
                            where, "a count under 5 is withheld", WITHHELD in tile.caption, True
                        )
                if kpi == "outcome-distribution" and WITHHELD in tile.caption:
                    continue
                if kpi == "outcome-distribution" and not figure["insufficient"]:
                    check.equal(
                        where,
                        "most common type",
                        re.search(r"\(type (\d+)\)", tile.caption)[1],
                        figure["most_common"],
                    )
            elif kpi in COUNTS:
                if kpi != "charge-volume" and check_withheld(
                    check, where, tile, row, figure["value"]
                ):
                    continue  # open investigations: not published, withheld
                check.equal(where, "tile", tile.value, f"{figure['value']:,}")
                check.equal(where, "CSV value", int(row["value"]), figure["value"])
            elif kpi in MEDIANS:
                if figure["insufficient"]:
                    check.equal(where, "tile", tile.value, INSUFFICIENT)
                else:
                    check.equal(where, "tile days", pages.number(tile.value), figure["value"], 0.5)
                    check.equal(where, "CSV value", float(row["value"]), figure["value"])
                    if not _nan(row["denominator"]):  # the cases may be withheld (days to NFA)
                        check.equal(
                            where, "CSV cases", int(row["denominator"]), figure["denominator"]
                        )
            elif kpi in GAPS:
                check_gap(check, where, tile, row, gaps[kpi], client)
            elif kpi == "charge-volume-victim-supports":
                if check_withheld(check, where, tile, row, figure["value"]):
                    continue
                check.equal(where, "tile", tile.value, f"{figure['value']:,}")
                check.equal(
                    where, "CSV of all charges", int(row["denominator"]), figure["denominator"]
                )
            else:  # caseload per investigator
                if figure["insufficient"]:
                    check.equal(where, "tile", tile.value, INSUFFICIENT)
                    continue
                check.equal(where, "tile", pages.number(tile.value), figure["value"], 0.05)
                shared = (
                    f"{figure['numerator']:,} open investigations shared by "
                    f"{figure['denominator']:,} investigators at the quarter's end; "
                )
                over = f"{figure['above_threshold']} of them over 15 each"
                withheld = "how many have over 15 each is withheld by disclosure control"
                if 1 <= figure["above_threshold"] < 5:  # a count under 5: withheld
                    check.equal(where, "caption", tile.caption, shared + withheld)
                else:  # shown, or withheld to protect a band under 5
                    check.equal(
                        where, "caption", tile.caption in (shared + over, shared + withheld), True
                    )
        if len(national):
            for kpi in ("charge-rate", "withdrawal-share"):
                check_national(
                    check,
                    f"{force_slug} {slug} {offence} {kpi}",
                    tiles[kpi],
                    rows.loc[kpi],
                    national,
                    force,
                    kpi,
                )
            mine = national[national["force"] == force.name]
            if len(mine) and bool(mine["complete"].iloc[0]):
                check.equal(
                    f"{force_slug} {slug} {offence}",
                    "national position",
                    pages.number(tiles["national-position"].value),
                    float(mine["rank"].iloc[0]),
                )
    assert not check.problems, (
        f"{len(check.problems)} of {check.compared} figures differ:\n"
        + "\n".join(check.problems[:40])
    )
    assert check.compared > 500
