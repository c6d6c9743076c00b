"""What the bookings room holds about a citizen: her bookings, each with its steps."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.bookings import lifecycle as lc
from webapp.bookings import services
from webapp.bookings.models import Booking
from webapp.core.personal_data import Item, Section
from webapp.core.templating import format_date

DAY_LIST = "booking_day"  # the audit log's object for an officer's look at a day's list


def day_list_id(commune_id: int, day) -> str:
    return f"{commune_id}:{day.isoformat()}"


def _item(booking: Booking) -> Item:
    title = booking.procedure.content.get("vi", {}).get("title", booking.procedure.code)
    # Booked for her by a volunteer under her mandate: she sees who.
    helper = booking.booked_by.full_name if booking.booked_by_id else ""
    return Item(
        title=_l("Booking %(code)s", code=booking.code),
        facts=((_l("Procedure"), title), (_l("Day"), format_date(booking.day)),
               (_l("Time"), booking.start), (_l("Place"), booking.commune.name),
               (_l("Status"), lc.LIFECYCLE.public_label(booking.status)),
               *(((_l("Booked for you by volunteer"), helper),) if helper else ())),
        data={"code": booking.code, "procedure": title, "day": booking.day.isoformat(),
              "start": booking.start, "commune": booking.commune.name,
              "status": booking.status, "booked_at": booking.submitted_at.isoformat(),
              **({"booked_by_volunteer": helper} if helper else {})},
        opened_as=(("booking", str(booking.id)),
                   (DAY_LIST, day_list_id(booking.commune_id, booking.day))))


def collect(citizen) -> list[Item]:
    return [_item(booking) for booking in Booking.of_citizen(citizen)]


def erase(citizen) -> int:
    """Her bookings go, with their steps; a place still held is given back first."""
    count = 0
    for booking in Booking.of_citizen(citizen):
        if booking.status == lc.BOOKED:
            services.free_place_of(booking)
        count += booking.delete_instance()
    return count


BOOKINGS = Section("bookings", _l("Your bookings at the one-stop shop"), collect, erase,
                   order=60)
