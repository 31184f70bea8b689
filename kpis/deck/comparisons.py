"""What a force's figure is compared with, read from the snapshot's ``comparison``.

The records source stores, with each snapshot of the charge rate, the withdrawal share and
the national position, the Home Office outcomes table's figures for the quarter: the
force's published figure, England and Wales, its region, its rank and the forces left out,
each with its numerator and denominator. Everything compared here comes from that one
table under one definition; the force's own-records value (the tile's headline) is set
beside its published figure only as a data-quality reading, never against the national one.
"""

from ..engine.formatting import format_value, ordinal
from ..engine.models import Kpi

HOME_OFFICE = "Home Office outcomes data, closed basis"
NATIONAL_KPIS = ("charge-rate", "ho-charge-rate", "national-position")  # the rank: charge rate
RATE = Kpi(unit=Kpi.Unit.PERCENT)


def rate_text(value: float | None) -> str:
    return format_value(RATE, value)


def figure_text(comparison: dict, prefix: str = "", *, forces: bool = False) -> str:
    """'10.0% (108 of 1,080)', with the number of forces when asked for."""
    value = comparison.get(f"{prefix}value")
    if value is None:
        return "–"
    counts = f"{comparison[f'{prefix}numerator']:,} of {comparison[f'{prefix}denominator']:,}"
    if forces:
        number = comparison.get(f"{prefix}forces")
        counts += f"; {number} force{'s' if number != 1 else ''}"
    return f"{rate_text(value)} ({counts})"


def is_current(comparison: dict | None) -> bool:
    """A comparison stored by this definition (older snapshots compared other sources)."""
    return bool(comparison) and "value_source" in comparison


JUDGEMENT_WORDS = {
    "higher": "significantly higher",
    "lower": "significantly lower",
    "same": "not significantly different",
}
# The three comparators: the judgement's key, and the prefix of their figures.
COMPARATORS = (("national", ""), ("region", "peer_"), ("similar", "similar_"))


def comparators(kpi: Kpi, comparison: dict | None) -> list[dict]:
    """England and Wales, the region and the most similar forces, each with its published
    figure and whether the force's published figure is significantly higher, lower or not
    different (its 95% Wilson interval against the comparator's rate: kpis.engine.stats).
    Empty for a rank, or without the force's published figure."""
    if not is_current(comparison) or kpi.unit != Kpi.Unit.PERCENT:
        return []
    if comparison.get("force_value") is None:
        return []
    judgements = comparison.get("judgements") or {}
    rows = []
    for key, prefix in COMPARATORS:
        label = comparison.get(f"{prefix}label") if prefix else comparison.get("label")
        if not label:
            continue
        judgement = judgements.get(key)
        rows.append(
            {
                "key": key,
                "label": label,
                "figure": figure_text(comparison, prefix, forces=True),
                "rate": rate_text(comparison.get(f"{prefix}value")),
                "force_rate": rate_text(comparison["force_value"]),
                "value": comparison.get(f"{prefix}value"),
                "judgement": judgement,
                "words": JUDGEMENT_WORDS.get(judgement, "not judged (no figure)"),
                "members": comparison.get("similar_members") if key == "similar" else None,
            }
        )
    return rows


def comparison_notes(comparison: dict | None) -> str:
    """The rank and the forces left out, said under the comparators."""
    if not is_current(comparison):
        return ""
    parts = []
    if comparison.get("rank") is not None:
        parts.append(f"{ordinal(comparison['rank'])} of {comparison['ranked']} forces")
    left_out = len(comparison.get("left_out") or [])
    if left_out:
        parts.append(f"{left_out} force{'s' if left_out != 1 else ''} left out (no complete data)")
    return " · ".join(parts)


def comparison_line(kpi: Kpi, comparison: dict | None) -> str:
    """The tile's comparison: the force's Home Office figure, England and Wales, its region."""
    if not is_current(comparison):
        return ""
    force = comparison["force"]
    if comparison.get("force_value") is None:
        reason = comparison.get("force_missing") or "no published figure"
        if kpi.unit == Kpi.Unit.RANK:
            return f"{force} is left out of the ranking: {reason}"
        return f"{HOME_OFFICE}: no figure for {force} ({reason}), so no national comparison"
    parts = [f"{force} {rate_text(comparison['force_value'])}"]
    judged = {row["key"]: row for row in comparators(kpi, comparison)}
    for key, prefix in COMPARATORS:
        if key != "national" and (kpi.unit == Kpi.Unit.RANK or key not in judged):
            continue
        label = comparison.get(f"{prefix}label") if prefix else comparison["label"]
        text = f"{label} {rate_text(comparison.get(f'{prefix}value'))}"
        if key in judged and judged[key]["judgement"]:
            text += f" ({judged[key]['words']})"
        parts.append(text)
    left_out = len(comparison.get("left_out") or [])
    if kpi.unit == Kpi.Unit.RANK:
        text = f"Ranked among {comparison['ranked']} forces by charge rate ({HOME_OFFICE}): "
        text += " · ".join(parts)
    else:
        text = f"{HOME_OFFICE}: " + " · ".join(parts)
        if comparison.get("rank") is not None:
            text += f" · {ordinal(comparison['rank'])} of {comparison['ranked']} forces"
    if left_out:
        text += f" · {left_out} force{'s' if left_out != 1 else ''} left out (no complete data)"
    return text


def value_source(kpi: Kpi, snapshot: dict | None) -> str:
    """Where the headline comes from, said where it is set beside another source's figures."""
    comparison = (snapshot or {}).get("comparison")
    if not is_current(comparison) or kpi.unit == Kpi.Unit.RANK:
        return ""
    source = comparison["value_source"]
    return source[:1].upper() + source[1:]


def national_rows(kpi: Kpi, current: dict | None) -> list[list[str]] | None:
    """The national position's rows, on the drill-downs of the KPIs it is about only."""
    if kpi.slug not in NATIONAL_KPIS:
        return None
    comparison = (current or {}).get("comparison")
    if not is_current(comparison):
        return [["Rank", "No Home Office table for this quarter yet"]]
    force = comparison["force"]
    rank = comparison.get("rank")
    rows = [
        [
            "Source",
            f"{HOME_OFFICE}: charges (outcome type 1) as a share of outcomes 1 to 22",
        ],
        [
            "Rank",
            f"{ordinal(rank)} of {comparison['ranked']} forces ranked"
            if rank is not None
            else f"Not ranked: {comparison.get('force_missing') or 'no published figure'}",
        ],
        [f"{force} (Home Office)", figure_text(comparison, "force_")],
        [comparison["label"], figure_text(comparison, forces=True)],
    ]
    if comparison.get("peer_value") is not None:
        rows.append([comparison["peer_label"], figure_text(comparison, "peer_", forces=True)])
    reasons: dict[str, list[str]] = {}
    for row in comparison.get("left_out") or []:
        reasons.setdefault(row["reason"], []).append(row["force"])
    if not reasons:
        rows.append(["Left out of the ranking", "None: every force has complete data"])
    for reason, forces in reasons.items():
        count = f"{len(forces)} force{'s' if len(forces) != 1 else ''}"
        rows.append([f"Left out ({reason})", f"{count}: {', '.join(forces)}"])
    return rows


def sources_rows(kpi: Kpi, current: dict | None) -> tuple[list[list[str]], str] | None:
    """The force's own-records figure beside its Home Office published one, and the difference.

    Only where both exist: a force that imported its own records and is in the Home Office
    table with complete data for the quarter. A data-quality reading, not a comparison.
    """
    if not current or kpi.source != Kpi.Source.RECORDS or kpi.unit != Kpi.Unit.PERCENT:
        return None
    comparison = current.get("comparison")
    own, numerator, denominator = current["value"], current["numerator"], current["denominator"]
    if not is_current(comparison) or comparison.get("force_value") is None:
        return None
    if own is None or numerator is None or not denominator:
        return None
    published = comparison["force_value"]
    points = (own - published) * 100
    difference = f"{abs(points):.1f} points"
    if round(points, 1) != 0:
        difference += " (own records higher)" if points > 0 else " (own records lower)"
    own_counts = f"{numerator:,.0f} of {denominator:,.0f}"
    published_counts = f"{comparison['force_numerator']:,} of {comparison['force_denominator']:,}"
    rows = [
        ["Own records", rate_text(own), f"{numerator:,.0f}", f"{denominator:,.0f}"],
        [
            "Home Office published",
            rate_text(published),
            f"{comparison['force_numerator']:,}",
            f"{comparison['force_denominator']:,}",
        ],
        ["Difference", difference, "", ""],
    ]
    note = (
        f"Own records {rate_text(own)} ({own_counts}) · Home Office published "
        f"{rate_text(published)} ({published_counts}) · difference {difference}. Both count "
        "outcomes given in the quarter; a difference is a data-quality reading (records "
        "updated since the return, or outcomes recorded differently), not performance."
    )
    return rows, note
