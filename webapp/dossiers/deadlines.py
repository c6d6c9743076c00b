"""Due dates of dossiers in working days, with the clock paused while the office waits.

The clock starts on the day the citizen sent the dossier (local time in Việt Nam), so a dossier
left unreceived in the queue still uses up its time. It runs for the procedure's processing
time in working days (`webapp.core.workdays`: weekends, public holidays, substitute days).
It stops while the office waits for the citizen: from the day after the officer asked for more
papers until the day the citizen sent them. Counting resumes the next working day, so the
officer gets back exactly the working days that were left.

Pauses are derived from the dossier's status-change events, never stored, so the same history
always gives the same due date, and recomputing it is safe at any time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from webapp.core.workdays import HolidayCalendar
from webapp.dossiers.lifecycle import MORE_PAPERS_REQUESTED

# Việt Nam has kept UTC+7 without daylight saving since 1975; the database stores UTC.
VIETNAM_OFFSET = dt.timedelta(hours=7)
_ONE_DAY = dt.timedelta(days=1)

Pause = tuple[dt.date, dt.date]


@cache
def calendar() -> HolidayCalendar:
    """The office calendar: the Labour Code rules plus the announced arrangements (cached)."""
    return HolidayCalendar.default()


def local_date(utc: dt.datetime) -> dt.date:
    """The day in Việt Nam of a UTC timestamp from the database."""
    return (utc + VIETNAM_OFFSET).date()


def local_today() -> dt.date:
    """Today in Việt Nam."""
    return local_date(dt.datetime.now(dt.UTC).replace(tzinfo=None))


@dataclass(frozen=True)
class StatusChange:
    """One move of a dossier's status, on a local day."""

    on: dt.date
    from_status: str
    to_status: str


def pauses(changes: Iterable[StatusChange], today: dt.date | None = None) -> list[Pause]:
    """Inclusive periods in which the clock stood still, in order.

    A pause starts the day after the request (the officer worked on the dossier that day) and
    ends on the day the papers came back. A pause still open ends `today`, which gives the due
    date the dossier would have if the citizen answered today.
    """
    found: list[Pause] = []
    started: dt.date | None = None
    for change in sorted(changes, key=lambda c: c.on):
        if change.to_status == MORE_PAPERS_REQUESTED and started is None:
            started = change.on + _ONE_DAY
        elif change.from_status == MORE_PAPERS_REQUESTED and started is not None:
            found.append((started, change.on))
            started = None
    if started is not None and today is not None:
        found.append((started, today))
    # A request answered the same day paused nothing.
    return [(first, last) for first, last in found if first <= last]


def due_date(received_on: dt.date, working_days: int, changes: Sequence[StatusChange] = (),
             today: dt.date | None = None) -> dt.date:
    """The due date of a dossier received on `received_on` that takes `working_days`."""
    return calendar().due_date(received_on, working_days, pauses(changes, today))


def remaining_working_days(due: dt.date, on: dt.date) -> int:
    """Working days left after `on` until `due` (negative when late).

    Same as calendar().working_days_between(on, due), in constant time: the queue asks it for
    every row, and a dossier months overdue would otherwise be counted day by day.
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


def processing_working_days(received_on: dt.date, decided_on: dt.date,
                            changes: Sequence[StatusChange] = ()) -> int:
    """Working days the office took, not counting the days it waited for the citizen."""
    cal = calendar()
    paused = pauses(changes)
    start = next(d for d in _days_from(received_on) if cal.is_working_day(d))
    days = (start + dt.timedelta(days=i) for i in range(1, (decided_on - start).days + 1))
    return sum(1 for d in days
               if cal.is_working_day(d) and not any(a <= d <= b for a, b in paused))


def _days_from(start: dt.date):
    day = start
    while True:
        yield day
        day += _ONE_DAY


# --- Reading a dossier's history -------------------------------------------------------------


def status_changes(dossier_id: int) -> list[StatusChange]:
    """The status changes of a dossier, oldest first, in one query."""
    from webapp.dossiers.models import DossierEvent

    rows = (DossierEvent.select(DossierEvent.created_at, DossierEvent.from_status,
                                DossierEvent.to_status)
            .where((DossierEvent.dossier == dossier_id) & DossierEvent.to_status.is_null(False)
                   & (DossierEvent.to_status != ""))
            .order_by(DossierEvent.created_at, DossierEvent.id).tuples())
    return [StatusChange(local_date(at), from_s or "", to_s) for at, from_s, to_s in rows]


def due_date_after(dossier, from_status: str, to_status: str, now: dt.datetime) -> dt.date:
    """The due date to store once `dossier` moves from `from_status` to `to_status` at `now`."""
    changes = [*status_changes(dossier.id), StatusChange(local_date(now), from_status, to_status)]
    return due_date(local_date(dossier.submitted_at), dossier.procedure.processing_working_days,
                    changes)
