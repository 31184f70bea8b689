"""Disclosure control across every KPI of a force-quarter from records, applied before
anything is stored (the algorithm itself is in disclosure.py)."""

from collections.abc import Callable

from . import catalogue
from .catalogue import Breakdown, Measure
from .disclosure import PRIMARY, SECONDARY, Table, protect
from .models import OffenceGroup

GROUPS = (OffenceGroup.RAPE, OffenceGroup.OTHER, OffenceGroup.ALL)

# Count breakdowns add up to these headline totals (public: the force's own totals).
TOTAL_OF = {
    "withdrawals-by-stage": "withdrawals",
    "charges-by-support": "charges",
    "outcomes-by-type": "outcomes",
    "open": "open",
    "investigators": "investigators",
}
# Breakdown cells that are, by definition, a headline total.
SAME_AS = {
    ("charges-by-support", "yes"): "charges-victim-supports",
    ("outcomes-by-type", "1"): "charges",
}
# Counts that do not add up across offence groups (an investigator can hold both).
NON_ADDITIVE = {"investigators"}
# Headline totals the Home Office publishes for every force, quarter and offence group
# (outcomes by type), and the number of investigators holding RASSO cases (a staffing
# figure, about no victim or suspect): public, never withheld. Others (charges where the
# victim supports, open investigations) are cells like any other: withheld when small, or
# when showing them would give a small count away, and then the headline is withheld too.
PUBLISHED = {"charges", "outcomes", "withdrawals", "investigators"}


def _rest(measure: str, base: str) -> str:
    """The never-shown cell of a share: its base less its measure (outcomes not a charge)."""
    return f"{base}-not-{measure}"


def _share_totals(
    table: Table,
    sums: set,
    group: str,
    measure: str,
    base: str,
    count: int,
    whole: int,
    *,
    public: bool = False,
) -> tuple[tuple, tuple, tuple]:
    """A share's totals as cells: its count, its base and the rest (never shown), the count
    and the rest adding up to the base. Returns the three cells, in that order."""
    cells = tuple((group, name, "total") for name in (measure, base, _rest(measure, base)))
    table.add(cells[0], count, public=public)
    table.add(cells[1], whole, public=public)
    table.add(cells[2], whole - count, public=public, shown=False)
    sums.add(((cells[0], cells[2]), cells[1]))
    return cells


def _cells(group: str, breakdown: Breakdown, row) -> dict[str, tuple]:
    """The disclosure cells of one breakdown row: numerator, denominator and the rest."""
    measure = breakdown.measure
    same = SAME_AS.get((measure, row.group))
    numerator = (group, same, "total") if same else (group, measure, breakdown.dimension, row.group)
    if not breakdown.base:
        return {"numerator": numerator}
    return {
        "numerator": numerator,
        "denominator": (group, breakdown.base, breakdown.dimension, row.group),
        "rest": (group, _rest(measure, breakdown.base), breakdown.dimension, row.group),
    }


def control_disclosure(
    measures: dict[tuple[str, str], Measure],
    *,
    threshold: int,
    decide: Callable[[Table], dict] | None = None,
) -> tuple[Table, dict]:
    """Hide small counts in every breakdown of the force-quarter, with complementary
    suppression across rows, totals and offence groups. Changes the measures in place;
    returns the cell table and what was hidden (for checking).

    ``decide`` chooses what to hide from the table instead (``shown_by_quarters``: a year
    to date shows what its quarters show)."""
    table = Table(threshold=threshold)
    sums: set[tuple] = set()
    additive: set[tuple] = set()
    crossed: set[tuple] = set()  # the cross-tabs' cells, protected in a second pass

    def total(group, name):
        return (group, name, "total")

    for (_, group), measure in measures.items():
        for breakdown in measure.breakdowns:
            if breakdown.public:
                continue
            name = breakdown.measure
            parts = {"numerator": [], "denominator": [], "rest": []}
            for row in breakdown.rows:
                cells = _cells(group, breakdown, row)
                table.add(
                    cells["numerator"],
                    row.numerator,
                    public=cells["numerator"][2] == "total" and cells["numerator"][1] in PUBLISHED,
                )
                parts["numerator"].append(cells["numerator"])
                if breakdown.crosses:
                    crossed.update(cells.values())
                if breakdown.base:
                    table.add(cells["denominator"], row.denominator)
                    table.add(cells["rest"], row.denominator - row.numerator, shown=False)
                    parts["denominator"].append(cells["denominator"])
                    parts["rest"].append(cells["rest"])
                    sums.add(((cells["numerator"], cells["rest"]), cells["denominator"]))
                if breakdown.additive:
                    additive.update(c[1:] for c in cells.values())
            if breakdown.base:
                count, whole = (
                    sum(r.numerator for r in breakdown.rows),
                    sum(r.denominator for r in breakdown.rows),
                )
                totals = _share_totals(
                    table, sums, group, name, breakdown.base, count, whole, public=True
                )
                for part, cell in zip(("numerator", "denominator", "rest"), totals, strict=True):
                    sums.add((tuple(parts[part]), cell))
            else:
                name_total = TOTAL_OF.get(name, name)
                # A missing-data KPI's total is the offences recorded in the quarter (or
                # those with a named suspect): shown as its denominator, so public here.
                table.add(
                    total(group, name_total),
                    sum(r.numerator for r in breakdown.rows),
                    public=name_total in PUBLISHED or breakdown.dimension == catalogue.RECORDING,
                )
                sums.add((tuple(parts["numerator"]), total(group, name_total)))
            if name == "outcomes-by-type":
                withdrawn = tuple(
                    _cells(group, breakdown, r)["numerator"]
                    for r in breakdown.rows
                    if r.group in catalogue.WITHDRAWAL
                )
                withdrawals = sum(
                    r.numerator for r in breakdown.rows if r.group in catalogue.WITHDRAWAL
                )
                table.add(total(group, "withdrawals"), withdrawals, public=True)
                sums.add((withdrawn, total(group, "withdrawals")))
        if measure.measure == "charges-victim-supports":
            table.add(total(group, "charges-victim-supports"), measure.numerator)
    for cell in list(table.values):
        group, rest = cell[0], cell[1:]
        if group == OffenceGroup.ALL and (
            rest in additive or (rest[-1] == "total" and rest[0] not in NON_ADDITIVE)
        ):
            rape, other = (OffenceGroup.RAPE, *rest), (OffenceGroup.OTHER, *rest)
            if rape in table.values and other in table.values:
                sums.add(((rape, other), cell))
    cross_tab_sums(measures, sums)
    headline_cells(measures, table, sums)
    for parts, whole in sums:
        table.add_sum(list(parts), whole)

    hidden = decide(table) if decide else protect_in_two_passes(table, crossed)

    for (_, group), measure in measures.items():
        for breakdown in measure.breakdowns:
            if breakdown.public:
                continue
            for row in breakdown.rows:
                cells = _cells(group, breakdown, row)
                flags = {}
                for part, cell in cells.items():
                    flag = hidden.get(cell, "")
                    value = table.values[cell]
                    if not flag and 1 <= value < threshold:
                        flag = PRIMARY  # a headline total, repeated in a breakdown: still "<5"
                    flags[part] = flag
                if not breakdown.base:  # a count's row reads "of" the table's total
                    whole = (group, TOTAL_OF.get(breakdown.measure, breakdown.measure), "total")
                    flags["denominator"] = hidden.get(whole, "")
                _apply_flags(row, flags)
    withhold_headlines(measures, table, hidden)
    return table, hidden


def headline_cells(measures: dict, table: Table, sums: set) -> None:
    """Counts shown beside a headline that breakdown cells add up to, declared so that they
    cannot give a hidden cell away: the no-further-action outcomes a median is taken over
    (outcome types), and the investigators over the caseload threshold (caseload bands).
    And the repeat suspects a share is read from, a headline count of its own."""
    for (slug, group), measure in measures.items():
        if slug == "days-to-nfa" and measure.denominator:
            types = [
                (group, "outcomes-by-type", "outcome_type", code)
                for code in (*catalogue.NFA, *catalogue.WITHDRAWAL)
            ]
            cell = (group, "nfa-outcomes", "total")
            table.add(cell, measure.denominator)
            sums.add((tuple(c for c in types if c in table.values), cell))
        if slug == "caseload-per-investigator" and "above_threshold" in measure.detail:
            threshold = measure.detail["threshold"]
            bands = [
                (group, "investigators", "caseload_band", band)
                for low, _, band, _ in catalogue.CASELOAD_BANDS
                if low > threshold
            ]
            cell = (group, "investigators-above", "total")
            table.add(cell, measure.detail["above_threshold"])
            if any(low == threshold + 1 for low, *_ in catalogue.CASELOAD_BANDS):
                sums.add((tuple(c for c in bands if c in table.values), cell))
        if slug == "repeat-suspect-share" and measure.denominator:
            # Repeat suspects of the named suspects: a small count is "<5" (people, not
            # offences, so they add up across offence groups no more than investigators).
            count, whole = int(measure.numerator), int(measure.denominator)
            _share_totals(table, sums, group, measure.measure, measure.base, count, whole)
    # Outcomes add up across offence groups (investigators do not: one can hold both).
    nfa = [(group, "nfa-outcomes", "total") for group in GROUPS]
    if all(cell in table.values for cell in nfa):
        sums.add((tuple(nfa[:2]), nfa[2]))


def withhold_headlines(measures: dict, table: Table, hidden: dict) -> None:
    """A headline count that is not published (open investigations, investigators, charges
    where the victim supports, the most common outcome type's count) and was withheld: the
    KPI's figure is withheld with it. A withheld count beside a headline (the outcomes a
    median is taken over, the investigators over the caseload threshold) is dropped."""
    for (slug, group), measure in measures.items():
        cells = {(group, measure.measure, "total"), (group, measure.base, "total")}
        if slug == "outcome-distribution" and "most_common" in measure.detail:
            cells.add((group, "outcomes-by-type", "outcome_type", measure.detail["most_common"]))
        if any(cell in hidden for cell in cells if cell in table.values):
            measure.value = measure.numerator = measure.denominator = None
            measure.ci_low = measure.ci_high = None
            measure.insufficient = True
            measure.detail = {"headline_withheld": True}
        if slug == "days-to-nfa" and (group, "nfa-outcomes", "total") in hidden:
            measure.denominator = None
            measure.detail["denominator_withheld"] = True
        if (
            slug == "caseload-per-investigator"
            and (group, "investigators-above", "total") in hidden
        ):
            measure.detail.pop("above_threshold", None)
            measure.detail["above_threshold_withheld"] = True


def shown_by_quarters(table: Table, quarters: list[tuple[Table, dict]]) -> dict:
    """What a window of quarters hides when it may show only what its quarters show: a
    cell is withheld when the same cell is hidden in any of the quarters (``quarters``:
    each quarter's table and what it hid), or when no quarter has it at all (a quarter
    without the cell counted 0 in it). It reads "withheld" whatever its size, "<5" too.

    Every number such a window shows is then a sum of numbers its quarters show (its public
    totals are the quarters' public totals added up), and what it hides says nothing of
    their size: nothing read from it says more than the quarters' own tables, so a year to
    date beside the year to date a quarter earlier cannot give the later quarter's hidden
    counts away by subtraction. A small count is given away (``Table.known``) only where
    every quarter's hidden part of it is. The year to date uses it for its first three
    quarters (the fourth is the rolling year, windows.py)."""
    hidden = {}
    for key, value in table.values.items():
        if key in table.public or key in table.unshown:
            continue
        parts = [(quarter, withheld) for quarter, withheld in quarters if key in withheld]
        if parts or (value and not any(key in quarter.values for quarter, _ in quarters)):
            hidden[key] = SECONDARY
            if table.small(key) and parts and all(key in q.known for q, _ in parts):
                table.known.add(key)
    table.any_size = set(hidden)
    return hidden


def protect_in_two_passes(table: Table, later: set) -> dict:
    """Protect the table without the cells in ``later`` first, then with them, keeping the
    first pass's choices: the cross-tab is protected by withholding its own cells only, never
    a one-way breakdown cell it adds up to (disclosure.py)."""
    if not later:
        return protect(table)
    first = Table(
        threshold=table.threshold,
        values={k: v for k, v in table.values.items() if k not in later},
        public=table.public - later,
        sums=[s for s in table.sums if not later.intersection((*s[0], s[1]))],
        unshown=table.unshown - later,
    )
    decided = protect(first)
    table.settled = {
        k for k in first.values if k not in decided and k not in first.unshown
    } - table.public
    table.known |= first.known
    return protect(table, decided=decided)


def _apply_flags(row, flags: dict[str, str]) -> None:
    numerator_flag = flags.get("numerator", "")
    denominator_flag = flags.get("denominator", "")
    rest_flag = flags.get("rest", "")
    row.numerator_flag = numerator_flag
    row.denominator_flag = denominator_flag
    if numerator_flag:
        row.numerator = None
    if denominator_flag:
        row.denominator = None
    if numerator_flag or denominator_flag or rest_flag:
        row.suppressed = (
            PRIMARY if PRIMARY in (numerator_flag, denominator_flag, rest_flag) else "secondary"
        )
        row.value = row.ci_low = row.ci_high = None
        row.ratio = row.ratio_low = row.ratio_high = None


def cross_tab_sums(measures: dict[tuple[str, str], Measure], sums: set[tuple]) -> None:
    """A cross-tab's row and column sums, added to ``sums``: each row (a relationship context)
    of its cells adds up to that context's cell in the relationship breakdown, and each
    column to the characteristic's, for the numerator, the denominator and the rest alike
    (Table.add_sum drops a sum whose total is not in the table). The sum of every cell to
    the headline total, which those imply, is taken out: it would tie every hidden cell of
    the cross-tab to every other, and the search for complements grows with that."""
    for (_, group), measure in measures.items():
        for breakdown in measure.breakdowns:
            if not breakdown.crosses or breakdown.public:
                continue
            lines: dict[tuple, list] = {}
            for row in breakdown.rows:
                keys = row.group.split("|")
                for part, cell in _cells(group, breakdown, row).items():
                    for dimension, key in zip(breakdown.crosses, keys, strict=True):
                        lines.setdefault((part, dimension, key), []).append(cell)
            for (_, dimension, key), cells in lines.items():
                whole = (*cells[0][:2], dimension, key)
                sums.add((tuple(cells), whole))
            for part in ("numerator", "denominator", "rest"):
                cells = tuple(_cells(group, breakdown, row)[part] for row in breakdown.rows)
                for implied in [s for s in sums if s[0] == cells]:
                    sums.discard(implied)
