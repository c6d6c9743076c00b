"""The bookings' figures for the province office, on the figures page every room adds to
(`core.figure_sets`): bookings at the one-stop shops by month of their day, by commune or by
procedure; how many came, did not come or cancelled; and the share a volunteer booked for a
citizen under her mandate. Only counts, never a name or a phone number.

A booking counts in the month of its day (the time at the shop), whatever its state; one moved
to another month counts there. Bookings are deleted BOOKING_KEEP_DAYS after their day, so the
figures reach back that far.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from peewee import fn

from webapp.bookings import lifecycle as lc
from webapp.bookings.models import Booking
from webapp.bookings.views import procedure_title
from webapp.catalogue import Procedure
from webapp.core.figure_sets import (
    BY_COMMUNE,
    BY_MONTH,
    BY_PROCEDURE,
    PERCENT,
    FigureSet,
    Measure,
    month_key,
    month_label,
)
from webapp.places.models import Commune


@dataclass
class Row:
    """One month, commune or procedure (or the total): the bookings of its days."""

    key: object = None
    label: str = ""
    bookings: int = 0
    arrived: int = 0
    no_show: int = 0
    cancelled: int = 0
    by_volunteer: int = 0  # booked by a volunteer for the citizen, under a mandate

    def add(self, status: str, count: int, by_volunteer: int) -> None:
        self.bookings += count
        self.by_volunteer += by_volunteer
        if status == lc.ARRIVED:
            self.arrived += count
        elif status == lc.NO_SHOW:
            self.no_show += count
        elif status == lc.CANCELLED:
            self.cancelled += count

    @property
    def volunteer_share(self) -> float | None:
        """Per cent of the bookings a volunteer made; unknown without bookings."""
        return 100 * self.by_volunteer / self.bookings if self.bookings else None


def _days_of(months: tuple[str, ...]) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(f"{min(months)}-01")
    year, month = map(int, max(months).split("-"))
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def _counts(months: tuple[str, ...]):
    """(day, commune id, procedure id, status, bookings, by a volunteer) over the months:
    grouped in the database, so a province's year is a few thousand rows, not every booking."""
    first, last = _days_of(months)
    return (Booking.select(Booking.day, Booking.commune, Booking.procedure, Booking.status,
                           fn.COUNT(Booking.id), fn.COUNT(Booking.booked_by))
            .where(Booking.day.between(first, last))
            .group_by(Booking.day, Booking.commune, Booking.procedure, Booking.status)
            .tuples())


def _labelled(grouping: str, table: dict, months: tuple[str, ...]) -> list[Row]:
    if grouping == BY_MONTH:
        for key in months:  # every month of the period, also one without bookings
            table.setdefault(key, Row(key))
        found = [table[key] for key in sorted(table)]
        for row in found:
            row.label = month_label(row.key)
        return found
    if grouping == BY_COMMUNE:
        names = dict(Commune.select(Commune.id, Commune.name).tuples())
    else:
        names = {p.id: procedure_title(p) for p in Procedure.select()}
    for row in table.values():
        row.label = names.get(row.key, str(row.key))
    return sorted(table.values(), key=lambda row: row.label)


def count(months: tuple[str, ...], grouping: str, today: dt.date | None = None):
    """The province's bookings over `months`, grouped by month, commune or procedure, named
    in the reader's language, and the totals row."""
    wanted, table, total = set(months), {}, Row()
    for day, commune, procedure, status, bookings, by_volunteer in _counts(months):
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
        if month_key(day) not in wanted:
            continue
        key = {BY_MONTH: month_key(day), BY_COMMUNE: commune, BY_PROCEDURE: procedure}[grouping]
        table.setdefault(key, Row(key)).add(status, bookings, by_volunteer)
        total.add(status, bookings, by_volunteer)
    return _labelled(grouping, table, months), total


MEASURES = (
    Measure("bookings", _l("Bookings"), "bookings", chart=_l("Bookings at the one-stop shops")),
    Measure("arrived", _l("Arrived"), "arrived"),
    Measure("no-show", _l("Did not come"), "no_show"),
    Measure("cancelled", _l("Cancelled"), "cancelled"),
    Measure("volunteer-share", _l("Booked by a volunteer (%)"), "volunteer_share",
            kind=PERCENT, chart=_l("Share booked by a volunteer for the citizen"),
            maximum=100),
)

BOOKINGS = FigureSet(
    key="lich-hen",
    title=_l("Bookings at the one-stop shops"),
    measures=MEASURES,
    count=count,
    headline=("bookings", "arrived", "volunteer-share"),
    explanation=_l("Each booking counts in the month of its day at the one-stop shop. Arrived "
                   "and did not come are the officers' marks on the day; a volunteer books "
                   "for a citizen only with her consent."),
    order=40,
)
