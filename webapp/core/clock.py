"""Time as the province lives it: UTC in the database, Việt Nam's date on screens and in due
dates, and the state offices' working-day calendar.

Every room asks here for "now", "today" and the calendar, so that a test (or a kiosk's idle
timer) fakes one clock, and a due date computed by the back office matches the one the citizen
was promised.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from webapp.core.workdays import HolidayCalendar

# Việt Nam has kept UTC+7 without daylight saving since 1975; a fixed offset is exact and
# cheaper than a time-zone lookup on every row of a queue.
VIETNAM_OFFSET = dt.timedelta(hours=7)
_ONE_DAY = dt.timedelta(days=1)


def utcnow() -> dt.datetime:
    """The current time in UTC without tzinfo: the app stores UTC and shows local time."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_date(utc: dt.datetime) -> dt.date:
    """The day in Việt Nam of a UTC timestamp (a dossier sent at 23:30 UTC counts the next day)."""
    return (utc + VIETNAM_OFFSET).date()


def local_today() -> dt.date:
    """Today in Việt Nam."""
    return local_date(utcnow())


def local_to_utc(moment: dt.datetime) -> dt.datetime:
    """The UTC timestamp of a wall-clock time in Việt Nam (the start of a local day, say)."""
    return moment - VIETNAM_OFFSET


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@cache
def calendar() -> HolidayCalendar:
    """The office calendar: the Labour Code rules plus the announced arrangements (cached)."""
    return HolidayCalendar.default()


def remaining_working_days(due: dt.date, on: dt.date) -> int:
    """Working days left after `on` until `due` (negative when late).

    Same as calendar().working_days_between(on, due), in constant time: the queue asks it for
    every row, and an item months overdue would otherwise be counted day by day.
    """
    return _working_day_number(due) - _working_day_number(on)


@cache
def _working_days_in_year(year: int) -> tuple[int, ...]:
    """For each day of `year`, how many working days there are from 1 January to that day."""
    cal, counted, running = calendar(), [], 0
    day = dt.date(year, 1, 1)
    while day.year == year:
        running += cal.is_working_day(day)
        counted.append(running)
        day += _ONE_DAY
    return tuple(counted)


@cache
def _working_days_before_year(year: int) -> int:
    """Working days from 1 January 2000 to the last day before `year` (negative before 2000)."""
    if year >= 2000:
        return sum(_working_days_in_year(y)[-1] for y in range(2000, year))
    return -sum(_working_days_in_year(y)[-1] for y in range(year, 2000))


def _working_day_number(day: dt.date) -> int:
    """A running count of working days, so that differences count the days between."""
    return _working_days_before_year(day.year) + _working_days_in_year(day.year)[
        day.timetuple().tm_yday - 1]
