"""The bookings room's work: taking a place in a slot without ever going beyond its capacity,
one active booking per citizen and procedure, moving, cancelling, officers' marks, blocked
slots, the timetable's settings, the reminder the day before and the clean-up.

Correctness under concurrency rests on two things, the same on SQLite and PostgreSQL:

* the place is taken by one conditional UPDATE of the slot's counter row
  (`booked = booked + 1 WHERE booked < capacity AND not blocked`), inside the transaction that
  writes the booking. PostgreSQL locks the row for the update and re-reads the condition once
  a concurrent transaction commits; SQLite's transaction starts with BEGIN IMMEDIATE, so
  writers queue (busy_timeout) instead of failing when they upgrade a read lock;
* the booking's `active_key` ("citizen:procedure", NULL once over) is unique: a second active
  booking for the same procedure fails on the index and the transaction, with its place, is
  rolled back.
"""

from __future__ import annotations

import datetime as dt
import uuid

from flask import current_app
from peewee import IntegrityError

from webapp.accounts.models import VOLUNTEER
from webapp.audit import log as audit
from webapp.bookings import lifecycle as lc
from webapp.bookings import messages, schedule
from webapp.bookings.models import (
    PERIODS,
    Booking,
    BookingEvent,
    ClosedDay,
    OpeningHours,
    ShopSchedule,
    SlotCounter,
)
from webapp.core import clock
from webapp.core.db import database, is_postgres
from webapp.mandates import services as mandates
from webapp.tracking import lifecycle as tracked
from webapp.tracking.codes import new_code

CODE_ATTEMPTS = 5


class BookingProblem(Exception):
    """Why a booking, a move or a cancellation could not be made; nothing was written."""


class SlotFull(BookingProblem):
    """The slot's last place was just taken (or an officer blocked it)."""


class SlotUnavailable(BookingProblem):
    """No such slot that day, or too close to its start (the cutoff), or the shop is closed."""


class AlreadyBooked(BookingProblem):
    """She already holds an active booking for this procedure."""

    def __init__(self, existing: Booking | None) -> None:
        super().__init__("already booked")
        self.existing = existing


class TooLate(BookingProblem):
    """Past the cutoff: the booking can no longer be moved or cancelled online."""


class NotAllowedToBookFor(BookingProblem):
    """A helper without a live mandate from this citizen for this procedure tried to book."""


def _working_days(booking: Booking) -> int:
    """The booking's "due date" is its day: working days from the (deemed) booking day."""
    cal = clock.calendar()
    booked_on = clock.local_date(booking.submitted_at)
    while not cal.is_working_day(booked_on):
        booked_on += dt.timedelta(days=1)
    return max(0, cal.working_days_between(booked_on, booking.day))


def _notify(booking, event, staff) -> None:
    messages.step(KIND, booking, event, staff)


KIND = tracked.TrackedKind(
    name="booking", lifecycle=lc.LIFECYCLE, item_model=Booking, event_model=BookingEvent,
    item_field="booking", working_days=_working_days, notify=_notify)


def write_transaction():
    """A transaction that holds the write lock from its start on SQLite (BEGIN IMMEDIATE), so
    the capacity check and the booking are one step; PostgreSQL locks the counter row."""
    return database.atomic() if is_postgres() else database.atomic("IMMEDIATE")


# --- Places in slots ---------------------------------------------------------------------------


def _take_place(commune, day: dt.date, start: str, capacity: int) -> None:
    SlotCounter.insert(commune=commune, day=day, start=start, booked=0).on_conflict_ignore(
    ).execute()
    taken = (SlotCounter.update(booked=SlotCounter.booked + 1)
             .where((SlotCounter.commune == commune) & (SlotCounter.day == day)
                    & (SlotCounter.start == start) & (SlotCounter.booked < capacity)
                    & SlotCounter.blocked_reason.is_null())
             .execute())
    if taken != 1:
        raise SlotFull(f"{day} {start}")


def _free_place(commune_id: int, day: dt.date, start: str) -> None:
    (SlotCounter.update(booked=SlotCounter.booked - 1)
     .where((SlotCounter.commune == commune_id) & (SlotCounter.day == day)
            & (SlotCounter.start == start) & (SlotCounter.booked > 0))
     .execute())


def free_place_of(booking: Booking) -> None:
    """Give back the place an active booking holds (before it is deleted)."""
    _free_place(booking.commune_id, booking.day, booking.start)


def _active_key(citizen, procedure) -> str:
    return f"{getattr(citizen, 'id', citizen)}:{getattr(procedure, 'id', procedure)}"


def active_booking(citizen, procedure) -> Booking | None:
    return Booking.get_or_none(Booking.active_key == _active_key(citizen, procedure))


# --- Booking -----------------------------------------------------------------------------------


def may_book_for(helper, citizen, procedure):
    """The mandate (`webapp.mandates.Mandate`) under which this volunteer may book a time for
    this citizen and procedure: a live one she gave naming the volunteer for that procedure
    (`mandates.services.live_for`), or None. Only volunteers act under mandates; nobody else
    books for someone else."""
    if helper is None or helper.role != VOLUNTEER:
        return None
    return mandates.live_for(helper, citizen, procedure)


def book(citizen, procedure, day: dt.date, start: str, *, request_key: str | None = None,
         helper=None, now: dt.datetime | None = None) -> Booking:
    """Take a place for `citizen` at her commune's shop; the confirmation message goes out in
    the same transaction. The same `request_key` again (a double tap, a retry) returns the
    booking already made. Raises SlotUnavailable, SlotFull or AlreadyBooked, writing nothing.
    `helper`: a volunteer booking for her, allowed only under a live mandate (`may_book_for`,
    else NotAllowedToBookFor); the booking records both and the audit log says so."""
    if request_key:
        earlier = Booking.get_or_none(Booking.request_key == request_key)
        if earlier is not None:
            return earlier
    commune = citizen.commune
    slot = schedule.find_slot(commune, day, start, now) if commune else None
    if slot is None:
        raise SlotUnavailable(f"{day} {start}")
    return _create_once(citizen, procedure, slot, request_key, helper)


def _create_once(citizen, procedure, slot, request_key, helper) -> Booking:
    """The booking in one transaction; after a failure on a unique index, say which."""
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with write_transaction():
                return _create(citizen, procedure, slot, request_key, helper)
        except IntegrityError:
            earlier = Booking.get_or_none(Booking.request_key == request_key) if request_key \
                else None
            if earlier is not None:
                return earlier  # the same form, sent twice at once: the first one won
            existing = active_booking(citizen, procedure)
            if existing is not None:
                raise AlreadyBooked(existing) from None
            # else the random code was taken: draw another
    raise RuntimeError("no free booking code after several attempts")


def _create(citizen, procedure, slot: schedule.Slot, request_key, helper) -> Booking:
    # The mandate is read in the booking's transaction: one she ends meanwhile books nothing.
    mandate = may_book_for(helper, citizen, procedure) if helper is not None else None
    if helper is not None and mandate is None:
        raise NotAllowedToBookFor(str(helper.id))
    now = clock.utcnow()
    key = _active_key(citizen, procedure)
    # A booking whose time has passed without an officer's mark no longer counts as active.
    Booking.update(active_key=None).where((Booking.active_key == key)
                                          & (Booking.starts_at < now)).execute()
    _take_place(citizen.commune_id, slot.day, slot.start, slot.capacity)
    booking = Booking.create(
        code=new_code(current_app.config["DOSSIER_CODE_PREFIX"]), status=lc.BOOKED,
        contact_phone=citizen.phone or "", submitted_at=now, due_date=slot.day,
        updated_at=now, citizen=citizen, commune=citizen.commune_id, procedure=procedure,
        day=slot.day, start=slot.start, starts_at=slot.starts_at,
        active_key=key, request_key=request_key,
        booked_by=helper, mandate_id=mandate.id if mandate else None)
    BookingEvent.create(booking=booking, created_at=now, kind="submitted", to_status=lc.BOOKED,
                        actor_citizen=None if helper else citizen, actor_staff=helper)
    if mandate is not None:
        audit.record("booking.made_for_citizen", object_type="booking", object_id=booking.id,
                     detail={"for_citizen": citizen.id, "mandate": mandate.id},
                     actor=helper)
    if booking.contact_phone:
        messages.booked(booking)  # the same confirmation as when she books herself
    return booking


def new_request_key() -> str:
    """A key for one booking form, so that sending it twice books once."""
    return uuid.uuid4().hex


def can_change(booking: Booking, now: dt.datetime | None = None) -> bool:
    """Whether she may still move or cancel it online (before the cutoff)."""
    now = now or clock.utcnow()
    return booking.status == lc.BOOKED and now + schedule.cutoff() <= booking.starts_at


def cancel(booking: Booking, citizen, version: int) -> None:
    """Cancel before the cutoff: the place is given back in the same transaction."""
    if not can_change(booking):
        raise TooLate(booking.code)

    def give_back(item, _event) -> None:
        _free_place(item.commune_id, item.day, item.start)
        Booking.update(active_key=None).where(Booking.id == item.id).execute()

    with write_transaction():
        tracked.perform(KIND, booking, tracked.Move("cancel", version, citizen=citizen,
                                                    after=give_back))


def move(booking: Booking, citizen, version: int, day: dt.date, start: str,
         now: dt.datetime | None = None) -> None:
    """Move to another slot before the cutoff: the new place is taken and the old one given
    back in one transaction; SlotFull leaves the booking as it was."""
    if not can_change(booking, now):
        raise TooLate(booking.code)
    slot = schedule.find_slot(booking.commune, day, start, now)
    if slot is None:
        raise SlotUnavailable(f"{day} {start}")
    if (slot.day, slot.start) == (booking.day, booking.start):
        return

    def change_slot(item, _event) -> None:
        _take_place(item.commune_id, slot.day, slot.start, slot.capacity)
        _free_place(item.commune_id, item.day, item.start)
        item.day, item.start, item.starts_at = slot.day, slot.start, slot.starts_at
        item.due_date, item.reminded_at = slot.day, None
        Booking.update(day=slot.day, start=slot.start, starts_at=slot.starts_at,
                       due_date=slot.day, reminded_at=None).where(Booking.id == item.id
                                                                  ).execute()

    with write_transaction():
        tracked.perform(KIND, booking, tracked.Move(
            "move", version, citizen=citizen, after=change_slot,
            public_message=f"{slot.start} {slot.day.strftime('%d/%m/%Y')}"))


def mark(booking: Booking, staff, action: str, version: int) -> None:
    """An officer marks her arrived or not come; the booking stops being active."""

    def close(item, _event) -> None:
        Booking.update(active_key=None).where(Booking.id == item.id).execute()

    with write_transaction():
        tracked.perform(KIND, booking, tracked.Move(action, version, staff=staff, after=close))


# --- The commune's timetable ------------------------------------------------------------------


def save_settings(commune, staff, slot_minutes: int, capacity: int,
                  hours: dict[tuple[int, str], tuple[str, str]]) -> None:
    """Replace the commune's slot length, places and opening hours in one transaction."""
    now = clock.utcnow()
    with database.atomic():
        row = {ShopSchedule.slot_minutes: slot_minutes, ShopSchedule.capacity: capacity,
               ShopSchedule.updated_at: now, ShopSchedule.updated_by: staff}
        (ShopSchedule.insert({ShopSchedule.commune: commune, **row})
         .on_conflict(conflict_target=[ShopSchedule.commune], update=row).execute())
        OpeningHours.delete().where(OpeningHours.commune == commune).execute()
        for (weekday, period), (opens, closes) in sorted(hours.items()):
            assert period in PERIODS
            OpeningHours.create(commune=commune, weekday=weekday, period=period, opens=opens,
                                closes=closes)


def close_day(commune, staff, day: dt.date, reason: str) -> None:
    (ClosedDay.insert(commune=commune, day=day, reason=reason, created_by=staff)
     .on_conflict(conflict_target=[ClosedDay.commune, ClosedDay.day],
                  update={"reason": reason}).execute())


def reopen_day(commune, day: dt.date) -> int:
    return ClosedDay.delete().where((ClosedDay.commune == commune) & (ClosedDay.day == day)
                                    ).execute()


def block_slot(commune, staff, day: dt.date, start: str, reason: str) -> None:
    """Take the slot out of booking (those already booked keep their time)."""
    with write_transaction():
        SlotCounter.insert(commune=commune, day=day, start=start, booked=0).on_conflict_ignore(
        ).execute()
        (SlotCounter.update(blocked_reason=reason or "-", blocked_by=staff)
         .where((SlotCounter.commune == commune) & (SlotCounter.day == day)
                & (SlotCounter.start == start)).execute())


def unblock_slot(commune, day: dt.date, start: str) -> None:
    (SlotCounter.update(blocked_reason=None, blocked_by=None)
     .where((SlotCounter.commune == commune) & (SlotCounter.day == day)
            & (SlotCounter.start == start)).execute())


# --- Officers' day -----------------------------------------------------------------------------


def day_list(commune, day: dt.date):
    """The day's bookings at the commune, in time order (cancelled ones last)."""
    return (Booking.select().where((Booking.commune == commune) & (Booking.day == day)
                                   & (Booking.status != lc.CANCELLED))
            .order_by(Booking.start, Booking.id))


def blocked_slots(commune, day: dt.date) -> dict[str, str]:
    return {row.start: row.blocked_reason for row in SlotCounter.select().where(
        (SlotCounter.commune == commune) & (SlotCounter.day == day)
        & SlotCounter.blocked_reason.is_null(False))}


# --- Chores ------------------------------------------------------------------------------------


def send_reminders(now: dt.datetime | None = None) -> int:
    """The message the day before, once per booking and day; how many went out."""
    now = now or clock.utcnow()
    tomorrow = clock.local_date(now) + dt.timedelta(days=1)
    sent = 0
    due = Booking.select().where((Booking.status == lc.BOOKED) & (Booking.day == tomorrow)
                                 & Booking.reminded_at.is_null())
    for booking in due:
        with database.atomic():
            claimed = (Booking.update(reminded_at=now)
                       .where((Booking.id == booking.id) & Booking.reminded_at.is_null())
                       .execute())
            if claimed and booking.contact_phone:
                messages.reminder(booking)
                sent += 1
    return sent


def remove_old(now: dt.datetime | None = None) -> str:
    """Bookings whose day is more than BOOKING_KEEP_DAYS past go, with their events, the past
    slots' counters and closed days."""
    today = clock.local_date(now or clock.utcnow())
    before = today - dt.timedelta(days=current_app.config["BOOKING_KEEP_DAYS"])
    with database.atomic():
        bookings = Booking.delete().where(Booking.day < before).execute()
        SlotCounter.delete().where(SlotCounter.day < today).execute()
        ClosedDay.delete().where(ClosedDay.day < today).execute()
    return f"{bookings} old bookings deleted"
