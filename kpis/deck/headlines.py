"""Headlines without a value to show: an optional characteristic the force's extract does not
carry ("not supplied"), a missing-data figure whose count disclosure control withheld, and a
headline count it withheld whole ("Withheld": repeat suspects, open investigations, charges
where the victim supports).

The records source stores both (engine.catalogue.withhold_headline; status not_supplied);
this says what a tile, the drill-down and the downloads show instead of the value, and how
a withheld figure is judged: by the range its count is known to lie in, which gives no
more away than "<5" does.
"""

import math
from dataclasses import dataclass

from ..engine.formatting import format_count, format_percent
from ..engine.models import KpiSnapshot

NOT_SUPPLIED = "Not supplied"
NOT_SUPPLIED_LABEL = "Not applicable: not supplied"
WITHHELD = "Withheld"


def is_not_supplied(snapshot: dict | None) -> bool:
    return bool(snapshot) and snapshot.get("status") == KpiSnapshot.Status.NOT_SUPPLIED


def not_supplied_reason(snapshot: dict) -> str:
    column = _detail(snapshot).get("column")
    named = f"no {column} column" if column else "not this column"
    return (
        f"the force's extract has {named}: the force does not supply it, so nothing is "
        "counted as missing"
    )


@dataclass(frozen=True)
class Withheld:
    """A withheld headline: which count was small ("missing", "recorded") or neither
    ("complement": withheld so a small count elsewhere cannot be worked out)."""

    few: str
    threshold: int
    denominator: int

    @property
    def bounds(self) -> tuple[float, float] | None:
        """The least and most the share can be, as anyone reading "<5" already knows."""
        t, d = self.threshold, self.denominator
        if self.few == "missing":
            return 1 / d, (t - 1) / d
        if self.few == "recorded":
            return 1 - (t - 1) / d, 1 - 1 / d
        return None

    @property
    def text(self) -> str:
        """The tile's figure: "<0.5%" (rounded up) or ">98.3%" (rounded down), or withheld."""
        share = self.threshold / self.denominator * 1000
        if self.few == "missing":
            return f"<{format_percent(math.ceil(share) / 1000)}"
        if self.few == "recorded":
            return f">{format_percent(math.floor(1000 - share) / 1000)}"
        return WITHHELD

    @property
    def counts(self) -> str:
        """The count in words: "<5 of 1,234", "all but <5 of 300", or withheld."""
        of = f"of {format_count(self.denominator)}"
        if self.few == "missing":
            return f"<{self.threshold} {of}"
        if self.few == "recorded":
            return f"all but <{self.threshold} {of}"
        return f"withheld {of}"

    @property
    def numerator_flag(self) -> str:
        return "primary" if self.few == "missing" else "secondary"

    @property
    def reason(self) -> str:
        if self.few == "complement":
            return "withheld so that a small count elsewhere cannot be worked out"
        return f"fewer than {self.threshold} offences either way: the count is not shown"


def headline_withheld(snapshot: dict | None) -> bool:
    """A headline count disclosure control withheld whole (not a missing-data share, which
    reads a bound): charges where the victim supports, open investigations, repeat suspects."""
    return bool(snapshot) and _detail(snapshot).get("headline_withheld") is True


def withheld(snapshot: dict | None) -> Withheld | None:
    """The snapshot's headline as disclosure control withheld it, if it did."""
    if not snapshot or snapshot.get("status") != KpiSnapshot.Status.OK:
        return None
    few = _detail(snapshot).get("withheld")
    if not few or snapshot.get("value") is not None or not snapshot.get("denominator"):
        return None
    params = (snapshot.get("provenance") or {}).get("params") or {}
    return Withheld(few, int(params.get("disclosure_threshold") or 5), int(snapshot["denominator"]))


def _detail(snapshot: dict) -> dict:
    return (snapshot.get("provenance") or {}).get("detail") or {}


def partly_supplied(snapshot: dict | None) -> bool:
    """Some of the quarter's offences came from extracts without the optional column."""
    return bool(snapshot) and bool(_detail(snapshot).get("partly_supplied"))
