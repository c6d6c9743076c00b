"""A commune's timetable: which days its one-stop shop takes bookings, its slots, and how many
places each has left.

A day is bookable when the state offices' calendar says it is a working day (weekends, public
holidays, substitute days and announced swaps: `core.clock.calendar()`), the commune has not
closed it, and it opens that weekday. Slots run from each opening's start, one slot length
after another, while a whole slot fits before it closes. A slot can be booked until the
cutoff before it starts (BOOKING_CUTOFF_MINUTES), the same rule as for moving or cancelling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app

from webapp.bookings.models import (
    AFTERNOON,
    MORNING,
    PERIODS,
    ClosedDay,
    OpeningHours,
    ShopSchedule,
    SlotCounter,
)
from webapp.core import clock

# The usual hours of state offices, offered to an officer setting the timetable for the
# first time (the province has not published the one-stop shops' own hours).
USUAL_HOURS = {MORNING: ("07:00", "11:30"), AFTERNOON: ("13:30", "17:00")}
WORKING_WEEKDAYS = range(5)  # Monday to Friday
DAY_SEARCH_LIMIT = 60  # calendar days looked at to find the next bookable days


@dataclass(frozen=True)
class Slot:
    """One time of one day, with its places."""

    day: dt.date
    start: str  # "HH:MM"
    capacity: int
    booked: int
    blocked: bool

    @property
    def places_left(self) -> int:
        return 0 if self.blocked else max(0, self.capacity - self.booked)

    @property
    def starts_at(self) -> dt.datetime:
        return starts_at(self.day, self.start)


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def as_hhmm(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


def starts_at(day: dt.date, start: str) -> dt.datetime:
    """The UTC moment a slot starts."""
    return clock.local_to_utc(dt.datetime.combine(day, dt.time()) +
                              dt.timedelta(minutes=minutes(start)))


def settings_of(commune) -> ShopSchedule | None:
    return ShopSchedule.get_or_none(ShopSchedule.commune == commune)


def hours_of(commune) -> dict[tuple[int, str], tuple[str, str]]:
    """(weekday, period) -> (opens, closes) for the commune's openings."""
    return {(row.weekday, row.period): (row.opens, row.closes)
            for row in OpeningHours.select().where(OpeningHours.commune == commune)}


def hours_for_form(commune) -> dict[tuple[int, str], tuple[str, str]]:
    """The commune's hours, or the usual hours of state offices when none are set yet."""
    return hours_of(commune) or {(weekday, period): USUAL_HOURS[period]
                                 for weekday in WORKING_WEEKDAYS for period in PERIODS}


def takes_bookings(commune) -> bool:
    """Whether the commune has set a timetable with at least one opening."""
    return settings_of(commune) is not None and bool(hours_of(commune))


def closed_days(commune, since: dt.date):
    return (ClosedDay.select().where((ClosedDay.commune == commune) & (ClosedDay.day >= since))
            .order_by(ClosedDay.day))


def slot_starts(settings: ShopSchedule, hours, day: dt.date) -> list[str]:
    """Every slot start of `day` from its openings, in order."""
    starts = []
    for period in PERIODS:
        opening = hours.get((day.weekday(), period))
        if not opening:
            continue
        at, closes = minutes(opening[0]), minutes(opening[1])
        while at + settings.slot_minutes <= closes:
            starts.append(as_hhmm(at))
            at += settings.slot_minutes
    return starts


def cutoff() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["BOOKING_CUTOFF_MINUTES"])


@dataclass(frozen=True)
class _Timetable:
    """What the slots of a run of days need, read in four queries (not four a day)."""

    settings: ShopSchedule
    hours: dict
    closed: frozenset
    counters: dict  # (day, start) -> SlotCounter

    @classmethod
    def load(cls, commune, first: dt.date, last: dt.date) -> _Timetable | None:
        settings, hours = settings_of(commune), hours_of(commune)
        if settings is None or not hours:
            return None
        closed = frozenset(row.day for row in closed_days(commune, first) if row.day <= last)
        counters = {(row.day, row.start): row for row in SlotCounter.select().where(
            (SlotCounter.commune == commune) & (SlotCounter.day >= first)
            & (SlotCounter.day <= last))}
        return cls(settings, hours, closed, counters)

    def is_open(self, day: dt.date) -> bool:
        return (clock.calendar().is_working_day(day) and day not in self.closed
                and any((day.weekday(), period) in self.hours for period in PERIODS))

    def slots(self, day: dt.date, earliest: dt.datetime) -> list[Slot]:
        if not self.is_open(day):
            return []
        found = []
        for start in slot_starts(self.settings, self.hours, day):
            if starts_at(day, start) < earliest:
                continue
            counter = self.counters.get((day, start))
            found.append(Slot(day, start, self.settings.capacity,
                              counter.booked if counter else 0,
                              bool(counter and counter.blocked_reason is not None)))
        return found


def slots_of_day(commune, day: dt.date, now: dt.datetime | None = None) -> list[Slot]:
    """The day's slots that can still be booked (after the cutoff from `now`), with their
    places; [] when the shop does not take bookings that day."""
    timetable = _Timetable.load(commune, day, day)
    if timetable is None:
        return []
    return timetable.slots(day, (now or clock.utcnow()) + cutoff())


def bookable_days(commune, now: dt.datetime | None = None,
                  count: int | None = None) -> list[tuple[dt.date, int]]:
    """The next `count` days (BOOKING_DAYS_AHEAD) with a slot still bookable, each with the
    places left that day (0: full)."""
    now = now or clock.utcnow()
    count = count or current_app.config["BOOKING_DAYS_AHEAD"]
    today = clock.local_date(now)
    timetable = _Timetable.load(commune, today, today + dt.timedelta(days=DAY_SEARCH_LIMIT))
    if timetable is None:
        return []
    earliest, found = now + cutoff(), []
    for offset in range(DAY_SEARCH_LIMIT):
        slots = timetable.slots(today + dt.timedelta(days=offset), earliest)
        if slots:
            found.append((slots[0].day, sum(slot.places_left for slot in slots)))
        if len(found) >= count:
            break
    return found


def find_slot(commune, day: dt.date, start: str, now: dt.datetime | None = None) -> Slot | None:
    """The bookable slot of `day` starting at `start`, or None (past the cutoff, closed...)."""
    return next((slot for slot in slots_of_day(commune, day, now) if slot.start == start), None)
