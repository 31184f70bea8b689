"""The problem profile's tables: cells that know what they count, and disclosure control
across the whole profile.

A count cell carries a key naming what it counts ("victims recorded this year with sex not
recorded"); the same count in two sections has the same key, so it is hidden in both or
shown in both. Sums between keys are declared as the sections are built, and
``protect`` runs the engine's one suppression algorithm (kpis/engine/disclosure.py) over
every count of the profile together. A share is shown only while the count it is a share
of is shown.
"""

from collections.abc import Hashable
from dataclasses import dataclass, field

from ..engine import disclosure
from ..engine.formatting import format_count, format_days, format_percent

HIDDEN_SHARE = "–"


@dataclass
class Cell:
    value: float | int | str | None
    kind: str  # "count", "percent", "days", "number" or "text"
    key: Hashable = None  # a count's disclosure key; a share's: the count it depends on
    flag: str = ""  # "primary", "secondary" (set by protect) or "insufficient"
    threshold: int = 5

    @property
    def shown(self) -> float | int | str | None:
        """The value a reader may see (None when hidden or too few to say)."""
        return None if self.flag else self.value

    @property
    def text(self) -> str:
        if self.kind == "count":
            if self.flag == disclosure.PRIMARY:
                return f"<{self.threshold}"
            if self.flag == disclosure.SECONDARY:
                return "withheld"
            return format_count(self.value)
        if self.flag:
            return "too few" if self.flag == "insufficient" else HIDDEN_SHARE
        if self.value is None:
            return "–"
        if self.kind == "percent":
            return format_percent(self.value)
        if self.kind == "days":
            return format_days(self.value)
        if self.kind == "number":
            return format_count(round(self.value, 1))
        return str(self.value)


@dataclass
class ProfileTable:
    slug: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    note: str = ""
    figure: dict | None = None


@dataclass
class Section:
    slug: str
    title: str
    intro: str
    tables: list[ProfileTable] = field(default_factory=list)


@dataclass
class Counts:
    """Every count of a profile and the sums between them, for disclosure control."""

    threshold: int
    cells: list[Cell] = field(default_factory=list)
    table: disclosure.Table = None

    def __post_init__(self):
        self.table = disclosure.Table(self.threshold)

    def count(self, key: Hashable, value: int, *, public: bool = False) -> Cell:
        """A count to show; ``public`` for one that is published anyway (recorded crime by
        force and offence group): never hidden, but still protecting the cells it totals."""
        value = int(value)
        if key in self.table.values and self.table.values[key] != value:
            raise ValueError(f"{key!r} counted twice with different values")
        self.table.add(key, value, public=public or key in self.table.public)
        cell = Cell(value, "count", key, threshold=self.threshold)
        self.cells.append(cell)
        return cell

    def share(self, key: Hashable, numerator: int, denominator: int) -> Cell:
        cell = Cell(numerator / denominator if denominator else None, "percent", key)
        self.cells.append(cell)
        return cell

    def adds_up(self, parts: list[Hashable], total: Hashable) -> None:
        self.table.add_sum(list(parts), total)

    def protect(self) -> None:
        hidden = disclosure.protect(self.table)
        for cell in self.cells:
            if cell.key in hidden and cell.kind in ("count", "percent"):
                cell.flag = hidden[cell.key]
