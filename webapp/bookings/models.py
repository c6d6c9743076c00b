"""What the bookings room keeps: each commune's one-stop-shop timetable (opening hours per
weekday, slot length, places per slot, closed days, blocked slots), one counter row per slot
that has bookings, and the bookings themselves (tracked items: a code, a timeline, messages)."""

from __future__ import annotations

from peewee import (
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
)

from webapp.accounts.models import Citizen, StaffUser
from webapp.catalogue import Procedure
from webapp.core.clock import utcnow
from webapp.core.db import BaseModel
from webapp.places.models import Commune
from webapp.tracking.models import TrackedEvent, TrackedItem

MORNING, AFTERNOON = "morning", "afternoon"
PERIODS = (MORNING, AFTERNOON)


class ShopSchedule(BaseModel):
    """How one commune's one-stop shop takes bookings: slot length and places per slot."""

    commune = ForeignKeyField(Commune, unique=True, on_delete="CASCADE")
    slot_minutes = SmallIntegerField(default=30)
    capacity = SmallIntegerField(default=2)  # people received at once (counters open)
    updated_at = DateTimeField(default=utcnow)
    updated_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")


class OpeningHours(BaseModel):
    """One opening of a weekday (0 = Monday): the morning or the afternoon, "07:00"-"11:30"."""

    commune = ForeignKeyField(Commune, on_delete="CASCADE")
    weekday = SmallIntegerField()
    period = CharField()  # MORNING or AFTERNOON
    opens = CharField()  # "HH:MM", local time
    closes = CharField()

    class Meta:
        indexes = ((("commune", "weekday", "period"), True),)


class ClosedDay(BaseModel):
    """A day the commune's shop takes no bookings besides the calendar's holidays."""

    commune = ForeignKeyField(Commune, on_delete="CASCADE")
    day = DateField()
    reason = CharField(default="")
    created_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("commune", "day"), True),)


class SlotCounter(BaseModel):
    """How many places of one slot are taken (or blocked by an officer).

    The capacity check is one conditional UPDATE of this row (`booked < capacity`), so two
    people can never both take the last place, on SQLite and PostgreSQL alike.
    """

    commune = ForeignKeyField(Commune, on_delete="CASCADE")
    day = DateField()
    start = CharField()  # "HH:MM", local time
    booked = IntegerField(default=0)
    blocked_reason = CharField(null=True)  # set: the slot takes nobody
    blocked_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("commune", "day", "start"), True),)


class Booking(TrackedItem):
    """A time at the commune's one-stop shop for one procedure.

    `active_key` is "citizen:procedure" while the booking is active and NULL afterwards; its
    unique index is what keeps one active booking per citizen and procedure, whatever the
    concurrency (NULLs never collide, on both databases). `request_key` makes a double tap or
    a retry of the same form return the same booking.
    """

    citizen = ForeignKeyField(Citizen, backref="bookings", on_delete="CASCADE")
    commune = ForeignKeyField(Commune, on_delete="CASCADE")
    procedure = ForeignKeyField(Procedure, on_delete="CASCADE")
    day = DateField(index=True)
    start = CharField()  # "HH:MM", local time
    starts_at = DateTimeField(index=True)  # UTC, for the cutoff and the reminder
    active_key = CharField(null=True, unique=True)
    request_key = CharField(null=True, unique=True)
    # Booked for her by a volunteer (shown to her and to officers) under this mandate (its id:
    # migration 0051 says why not a foreign key); the volunteer sees the booking only while
    # that mandate is live (`mandates.services.covers`). Both empty for her own.
    booked_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
    mandate_id = IntegerField(null=True, index=True)
    reminded_at = DateTimeField(null=True)

    @classmethod
    def of_citizen(cls, citizen):
        return cls.select().where(cls.citizen == citizen).order_by(cls.starts_at.desc())


class BookingEvent(TrackedEvent):
    """A step of a booking (booked, moved, cancelled, arrived, did not come), with who acted."""

    booking = ForeignKeyField(Booking, backref="events", on_delete="CASCADE")
