"""When an evidence return is due: 20 working days after the quarter, skipping bank holidays."""

import datetime as dt
from functools import cache

import holidays

from soteria.periods import Period

from ...engine.models import Kpi

WORKING_DAYS_TO_RETURN = 20
# Quarters in which a less-than-quarterly figure is due (the financial year ends in Q4).
DUE_QUARTERS = {
    Kpi.Frequency.QUARTERLY: (1, 2, 3, 4),
    Kpi.Frequency.SIX_MONTHLY: (2, 4),
    Kpi.Frequency.YEARLY: (4,),
}
# How many quarters an approved figure stays current on the flight deck.
CURRENT_FOR_QUARTERS = {
    Kpi.Frequency.QUARTERLY: 1,
    Kpi.Frequency.SIX_MONTHLY: 2,
    Kpi.Frequency.YEARLY: 4,
}


@cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    # England and Wales share one list of bank holidays (subdivision "ENG" = "WLS").
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (weekends and bank holidays skipped)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def default_due_date(period: Period) -> dt.date:
    return add_working_days(period.end, WORKING_DAYS_TO_RETURN)


def is_due(kpi: Kpi, period: Period) -> bool:
    """Must this KPI be reported in this quarter's return?"""
    return period.quarter in DUE_QUARTERS.get(kpi.frequency, (1, 2, 3, 4))


def frequency_note(kpi: Kpi) -> str:
    if kpi.frequency == Kpi.Frequency.YEARLY:
        return "Yearly: due in the Q4 return"
    if kpi.frequency == Kpi.Frequency.SIX_MONTHLY:
        return "Six-monthly: due in the Q2 and Q4 returns"
    return "Quarterly"
