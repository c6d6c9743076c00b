"""The citizen's messages about her booking, one function per event: booked, moved, cancelled,
and the reminder the day before. Each says the code, the time, the place and where to see it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.core import links
from webapp.core.templating import format_date
from webapp.notifications import templates
from webapp.notifications.outbox import enqueue
from webapp.tracking import messages as tracked

BOOKED = "booking_booked"
MOVED = "booking_moved"
CANCELLED = "booking_cancelled"
REMINDER = "booking_reminder"

for _key, _text in (
    (BOOKED, _l("Your booking %(code)s is confirmed: %(hour)s on %(day)s at the one-stop shop "
                "of %(commune)s, for %(procedure)s. To change or cancel it: %(link)s")),
    (MOVED, _l("Your booking %(code)s has been moved to %(hour)s on %(day)s at the one-stop "
               "shop of %(commune)s. To change or cancel it: %(link)s")),
    (CANCELLED, _l("Your booking %(code)s for %(hour)s on %(day)s has been cancelled. To book "
                   "another time: %(link)s")),
    (REMINDER, _l("Reminder: tomorrow %(day)s at %(hour)s you have a booking %(code)s at the "
                  "one-stop shop of %(commune)s. Please bring your papers. Details: %(link)s")),
):
    templates.register(_key, text=_text, zns_setting=None, zns_params=[])


def _data(booking) -> dict:
    return {"code": booking.code, "hour": booking.start, "day": format_date(booking.day),
            "commune": booking.commune.name,
            "procedure": booking.procedure.content.get("vi", {}).get("title", ""),
            "link": links.external("bookings.detail", code=booking.code)}


def reference(booking, what: str) -> str:
    """The outbox's idempotency key. With the code as well as the id: SQLite gives a deleted
    newest booking's id (her data erased) to the next one, whose confirmation would otherwise
    meet the old one's key and never be sent."""
    return f"booking-{booking.id}-{booking.code}-{what}"


def booked(booking) -> None:
    enqueue(template=BOOKED, phone=booking.contact_phone, data=_data(booking),
            reference=reference(booking, "booked"))


def reminder(booking) -> None:
    enqueue(template=REMINDER, phone=booking.contact_phone, data=_data(booking),
            reference=reference(booking, f"reminder-{booking.day.isoformat()}"))


def step(kind, booking, event, _staff=None) -> None:
    """The message of a citizen's step (a move or a cancellation); officers' marks send none."""
    if event.to_status == event.from_status:
        template = MOVED
    else:
        template = {"cancelled": CANCELLED}.get(event.to_status)
    if template:
        tracked.enqueue_step(kind, booking, template=template, data=_data(booking))
