"""Financial quarters: Q1 is April to June. Written `2024-25-q1`, shown as "2024/25 Q1"."""

import datetime as dt
import re
from dataclasses import dataclass

_SLUG = re.compile(r"^(\d{4})-(\d{2})-q([1-4])$")


@dataclass(frozen=True, order=True)
class Period:
    year: int  # the calendar year in which the financial year starts
    quarter: int

    @classmethod
    def parse(cls, slug: str) -> "Period":
        match = _SLUG.match(slug or "")
        if not match:
            raise ValueError(f"{slug!r} is not a period like 2024-25-q1")
        start, end, quarter = int(match[1]), int(match[2]), int(match[3])
        if (start + 1) % 100 != end:
            raise ValueError(f"{slug!r}: {end:02d} does not follow {start}")
        return cls(start, quarter)

    @classmethod
    def containing(cls, day: dt.date) -> "Period":
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @classmethod
    def current(cls) -> "Period":
        return cls.containing(dt.date.today())

    @classmethod
    def latest_complete(cls) -> "Period":
        return cls.current().previous()

    @property
    def slug(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}-q{self.quarter}"

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d} Q{self.quarter}"

    @property
    def in_progress(self) -> bool:
        """True while the quarter has not ended: its figures are to date and will change."""
        return self == Period.current()

    @property
    def status_label(self) -> str:
        """The label people read wherever a quarter is shown, marked while it is unfinished."""
        return f"{self.label} (in progress)" if self.in_progress else self.label

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def start(self) -> dt.date:
        month = 4 + (self.quarter - 1) * 3
        year = self.year
        if month > 12:
            month -= 12
            year += 1
        return dt.date(year, month, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> "Period":
        return (
            Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)
        )

    def previous(self) -> "Period":
        return (
            Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)
        )

    def shift(self, quarters: int) -> "Period":
        index = self.year * 4 + (self.quarter - 1) + quarters
        return Period(index // 4, index % 4 + 1)

    def trailing(self, count: int) -> list["Period"]:
        """This period and the ones before it, oldest first."""
        return [self.shift(-i) for i in range(count - 1, -1, -1)]

    def __str__(self) -> str:
        return self.label


def period_range(first: Period, last: Period) -> list[Period]:
    periods, current = [], first
    while current <= last:
        periods.append(current)
        current = current.next()
    return periods
