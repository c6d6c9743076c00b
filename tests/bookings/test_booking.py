"""Booking a time: the days and slots a commune's timetable gives (weekends, holidays and
closed days left out), places counted, one active booking per procedure, moving, cancelling up
to the cutoff, the messages, the reminder the day before, and the clean-up; on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.backoffice.conftest import make_citizen
from tests.bookings.conftest import MONDAY, NOW, TUESDAY, fresh_commune, open_shop
from webapp.bookings import lifecycle as lc
from webapp.bookings import messages, schedule, services
from webapp.bookings.models import Booking, BookingEvent, SlotCounter
from webapp.notifications.models import OutboxMessage


def _texts(booking) -> list[str]:
    return [m.template for m in OutboxMessage.select().where(
        OutboxMessage.reference.startswith(f"booking-{booking.id}-")).order_by(OutboxMessage.id)]


def test_slots_run_from_the_opening_one_length_after_another(shop, fake_now):
    slots = schedule.slots_of_day(shop, TUESDAY)
    starts = [slot.start for slot in slots]
    assert starts[:3] == ["07:00", "07:30", "08:00"]
    assert "11:00" in starts and "11:30" not in starts  # 11:30 + 30 min is past closing
    assert "13:30" in starts and starts[-1] == "16:30"
    assert len(starts) == 9 + 7
    assert {slot.places_left for slot in slots} == {2}


def test_today_offers_only_the_slots_after_the_cutoff(shop, fake_now):
    # 08:00 now, a cutoff of two hours: 10:00 is the first time still offered today.
    assert schedule.slots_of_day(shop, MONDAY)[0].start == "10:00"


def test_weekends_holidays_and_closed_days_are_not_offered(in_app, fake_now):
    shop = open_shop(fresh_commune())
    fake_now.return_value = dt.datetime(2026, 12, 30, 1, 0)  # Wednesday 30/12, 08:00
    services.close_day(shop, None, dt.date(2026, 12, 31), "Họp tổng kết")
    days = [day for day, _left in schedule.bookable_days(shop, count=4)]
    # 31/12 closed by the commune, 1/1 a public holiday, 2-3/1 a weekend.
    assert days == [dt.date(2026, 12, 30), dt.date(2027, 1, 4), dt.date(2027, 1, 5),
                    dt.date(2027, 1, 6)]
    assert schedule.slots_of_day(shop, dt.date(2027, 1, 1)) == []


def test_a_commune_without_a_timetable_takes_no_bookings(in_app, fake_now):
    commune = fresh_commune()
    assert not schedule.takes_bookings(commune)
    assert schedule.bookable_days(commune) == []


def test_a_booking_takes_a_place_and_sends_its_confirmation(shop, citizen, procedure, fake_now):
    booking = services.book(citizen, procedure, TUESDAY, "07:30")
    assert booking.status == lc.BOOKED and booking.code.startswith("TN-")
    assert booking.starts_at == dt.datetime(2026, 12, 8, 0, 30)  # 07:30 in Việt Nam
    assert booking.due_date == TUESDAY
    slot = schedule.find_slot(shop, TUESDAY, "07:30")
    assert slot.places_left == 1
    assert _texts(booking) == [messages.BOOKED]
    text = OutboxMessage.get(OutboxMessage.reference == messages.reference(booking, "booked")).text
    assert booking.code in text and "07:30" in text and "08/12/2026" in text


def test_a_full_slot_refuses_and_a_blocked_slot_too(shop, procedure, fake_now):
    for _ in range(2):
        services.book(make_citizen(commune=shop), procedure, TUESDAY, "08:00")
    with pytest.raises(services.SlotFull):
        services.book(make_citizen(commune=shop), procedure, TUESDAY, "08:00")
    services.block_slot(shop, None, TUESDAY, "09:00", "Mất điện")
    assert schedule.find_slot(shop, TUESDAY, "09:00").places_left == 0
    with pytest.raises(services.SlotFull):
        services.book(make_citizen(commune=shop), procedure, TUESDAY, "09:00")
    services.unblock_slot(shop, TUESDAY, "09:00")
    assert services.book(make_citizen(commune=shop), procedure, TUESDAY, "09:00")


def test_no_slot_outside_the_timetable(shop, citizen, procedure, fake_now):
    for day, start in ((TUESDAY, "12:00"), (TUESDAY, "07:15"), (MONDAY, "08:30"),
                       (dt.date(2026, 12, 12), "08:00")):
        with pytest.raises(services.SlotUnavailable):
            services.book(citizen, procedure, day, start)


def test_one_active_booking_per_procedure(shop, citizen, procedure, fake_now):
    from tests.backoffice.conftest import procedure_by_code

    first = services.book(citizen, procedure, TUESDAY, "07:30")
    with pytest.raises(services.AlreadyBooked) as refused:
        services.book(citizen, procedure, TUESDAY, "14:00")
    assert refused.value.existing.id == first.id
    other = procedure_by_code("1.000656")
    assert services.book(citizen, other, TUESDAY, "14:00").status == lc.BOOKED
    assert schedule.find_slot(shop, TUESDAY, "14:00").places_left == 1  # the refusal freed it


def test_the_same_form_twice_books_once(shop, citizen, procedure, fake_now):
    first = services.book(citizen, procedure, TUESDAY, "07:30", request_key="k" * 32)
    again = services.book(citizen, procedure, TUESDAY, "07:30", request_key="k" * 32)
    assert again.id == first.id
    assert SlotCounter.get(commune=shop, day=TUESDAY, start="07:30").booked == 1


def test_cancel_gives_the_place_back_and_frees_the_procedure(shop, citizen, procedure,
                                                            fake_now):
    booking = services.book(citizen, procedure, TUESDAY, "07:30")
    services.cancel(booking, citizen, booking.version)
    booking = Booking.get_by_id(booking.id)
    assert booking.status == lc.CANCELLED and booking.active_key is None
    assert schedule.find_slot(shop, TUESDAY, "07:30").places_left == 2
    assert _texts(booking) == [messages.BOOKED, messages.CANCELLED]
    assert services.book(citizen, procedure, TUESDAY, "08:00").status == lc.BOOKED


def test_move_takes_the_new_place_and_gives_back_the_old(shop, citizen, procedure, fake_now):
    booking = services.book(citizen, procedure, TUESDAY, "07:30")
    services.move(booking, citizen, booking.version, dt.date(2026, 12, 9), "14:00")
    booking = Booking.get_by_id(booking.id)
    assert (booking.day, booking.start, booking.status) == (dt.date(2026, 12, 9), "14:00",
                                                            lc.BOOKED)
    assert booking.due_date == dt.date(2026, 12, 9)
    assert schedule.find_slot(shop, TUESDAY, "07:30").places_left == 2
    assert schedule.find_slot(shop, dt.date(2026, 12, 9), "14:00").places_left == 1
    assert _texts(booking) == [messages.BOOKED, messages.MOVED]
    moved = OutboxMessage.get(OutboxMessage.template == messages.MOVED,
                              OutboxMessage.reference.startswith(f"booking-{booking.id}-"))
    assert "14:00" in moved.text and "09/12/2026" in moved.text


def test_a_move_to_a_full_slot_changes_nothing(shop, citizen, procedure, fake_now):
    booking = services.book(citizen, procedure, TUESDAY, "07:30")
    for _ in range(2):
        services.book(make_citizen(commune=shop), procedure, TUESDAY, "10:00")
    with pytest.raises(services.SlotFull):
        services.move(booking, citizen, booking.version, TUESDAY, "10:00")
    booking = Booking.get_by_id(booking.id)
    assert (booking.start, booking.version) == ("07:30", 1)
    assert schedule.find_slot(shop, TUESDAY, "07:30").places_left == 1


def test_no_change_after_the_cutoff(shop, citizen, procedure, fake_now):
    booking = services.book(citizen, procedure, MONDAY, "11:00")
    fake_now.return_value = NOW + dt.timedelta(hours=1, minutes=1)  # 09:01, 1h59 before
    assert not services.can_change(booking)
    with pytest.raises(services.TooLate):
        services.cancel(booking, citizen, booking.version)
    with pytest.raises(services.TooLate):
        services.move(booking, citizen, booking.version, TUESDAY, "08:00")


def test_officers_marks_end_the_booking(shop, citizen, procedure, fake_now):
    booking = services.book(citizen, procedure, MONDAY, "10:00")
    services.mark(booking, None, "arrive", booking.version)
    booking = Booking.get_by_id(booking.id)
    assert booking.status == lc.ARRIVED and booking.active_key is None
    assert _texts(booking) == [messages.BOOKED]  # no message for an officer's mark
    with pytest.raises(Exception):  # noqa: B017 (IllegalTransition or StaleItem)
        services.cancel(booking, citizen, booking.version)


def test_a_past_booking_never_marked_does_not_block_a_new_one(shop, citizen, procedure,
                                                             fake_now):
    services.book(citizen, procedure, MONDAY, "10:00")
    fake_now.return_value = NOW + dt.timedelta(days=1)  # Tuesday 08:00
    assert services.book(citizen, procedure, dt.date(2026, 12, 9), "08:00").status == lc.BOOKED


def test_the_reminder_goes_once_the_day_before(shop, citizen, procedure, fake_now):
    # Other tests' bookings share the database: count this one's messages only.
    booking = services.book(citizen, procedure, dt.date(2026, 12, 9), "08:00")
    services.send_reminders()  # Monday: the booking is on Wednesday
    assert _texts(booking) == [messages.BOOKED]
    fake_now.return_value = NOW + dt.timedelta(days=1, hours=7)  # Tuesday 15:00
    services.send_reminders()
    services.send_reminders()
    assert _texts(booking) == [messages.BOOKED, messages.REMINDER]
    assert Booking.get_by_id(booking.id).reminded_at == fake_now.return_value
    text = OutboxMessage.get(OutboxMessage.template == messages.REMINDER,
                             OutboxMessage.reference.startswith(f"booking-{booking.id}-")).text
    assert booking.code in text and "08:00" in text


def test_a_cancelled_booking_gets_no_reminder(shop, citizen, procedure, fake_now):
    booking = services.book(citizen, procedure, TUESDAY, "08:00")
    services.cancel(booking, citizen, booking.version)
    fake_now.return_value = NOW + dt.timedelta(hours=7)
    services.send_reminders()
    assert messages.REMINDER not in _texts(booking)


def test_old_bookings_go_with_their_steps(app, shop, citizen, procedure, fake_now):
    booking = services.book(citizen, procedure, TUESDAY, "08:00")
    fake_now.return_value = NOW + dt.timedelta(days=app.config["BOOKING_KEEP_DAYS"] + 2)
    services.remove_old()
    assert Booking.get_or_none(Booking.id == booking.id) is None
    assert not BookingEvent.select().where(BookingEvent.booking == booking.id).exists()
    assert not SlotCounter.select().where(SlotCounter.commune == shop).exists()


def test_her_data_lists_her_bookings_and_erasing_frees_the_place(shop, citizen, procedure,
                                                                fake_now):
    from webapp.bookings.personal_data import BOOKINGS

    booking = services.book(citizen, procedure, TUESDAY, "08:00")
    other = services.book(make_citizen(commune=shop), procedure, TUESDAY, "08:00")
    items = BOOKINGS.collect(citizen)
    assert [item.data["code"] for item in items] == [booking.code]
    assert BOOKINGS.erase(citizen) == 1
    assert Booking.get_or_none(Booking.id == booking.id) is None
    assert Booking.get_by_id(other.id).status == lc.BOOKED
    assert schedule.find_slot(shop, TUESDAY, "08:00").places_left == 1


def _volunteer_with_mandate(app, shop, procedure, **fields):
    """A volunteer of the shop's commune holding a live mandate of a citizen living there."""
    from tests.accounts.helpers import create_staff
    from tests.mandates.helpers import given_mandate
    from webapp.accounts.models import VOLUNTEER

    volunteer = create_staff(app, role=VOLUNTEER, communes=[shop], full_name="Trần Thị Hạnh")
    mandate = given_mandate(app, helper=volunteer, commune=shop,
                            procedure_code=fields.pop("procedure_code", procedure.code), **fields)
    from webapp.mandates import Mandate

    return volunteer, Mandate.get_by_id(mandate.id)


def test_a_volunteer_books_for_her_under_a_live_mandate_and_she_gets_the_confirmation(
        app, in_app, shop, procedure, fake_now):
    from tests.accounts.outbox import messages_to
    from webapp.audit.models import AuditEvent

    volunteer, mandate = _volunteer_with_mandate(app, shop, procedure)
    citizen = mandate.citizen
    booking = services.book(citizen, procedure, TUESDAY, "08:00", helper=volunteer)
    assert (booking.citizen_id, booking.booked_by_id, booking.mandate_id) == (
        citizen.id, volunteer.id, mandate.id)
    event = BookingEvent.get(BookingEvent.booking == booking)
    assert (event.actor_staff_id, event.actor_citizen_id) == (volunteer.id, None)
    # To her phone, the same confirmation as when she books herself (and only that).
    [sent] = messages_to(citizen.phone, messages.BOOKED)
    assert sent["data"]["code"] == booking.code
    [audited] = AuditEvent.select().where((AuditEvent.action == "booking.made_for_citizen")
                                          & (AuditEvent.object_id == str(booking.id)))
    assert (audited.actor_type, audited.actor_id) == ("staff", volunteer.id)
    assert audited.detail["mandate"] == mandate.id
    assert schedule.find_slot(shop, TUESDAY, "08:00").places_left == 1
    # Her data says who booked it for her.
    from webapp.bookings.personal_data import BOOKINGS

    [item] = BOOKINGS.collect(citizen)
    assert item.data["booked_by_volunteer"] == "Trần Thị Hạnh"


def test_no_booking_for_her_once_the_mandate_has_ended(app, in_app, shop, procedure,
                                                       fake_now):
    from webapp.mandates import services as mandates

    volunteer, mandate = _volunteer_with_mandate(app, shop, procedure)
    assert services.may_book_for(volunteer, mandate.citizen, procedure) is not None
    mandates.end(mandate, citizen=mandate.citizen)
    assert services.may_book_for(volunteer, mandate.citizen, procedure) is None
    with pytest.raises(services.NotAllowedToBookFor):
        services.book(mandate.citizen, procedure, TUESDAY, "08:00", helper=volunteer)
    assert not Booking.select().where(Booking.citizen == mandate.citizen).exists()
    assert schedule.find_slot(shop, TUESDAY, "08:00").places_left == 2


def test_a_mandate_for_one_procedure_books_no_other(app, in_app, shop, procedure, fake_now):
    from tests.backoffice.conftest import procedure_by_code

    other = procedure_by_code("1.000656")
    assert other.id != procedure.id
    volunteer, mandate = _volunteer_with_mandate(app, shop, procedure,
                                                 procedure_code=other.code)
    with pytest.raises(services.NotAllowedToBookFor):
        services.book(mandate.citizen, procedure, TUESDAY, "08:00", helper=volunteer)
    assert services.book(mandate.citizen, other, TUESDAY, "08:00",
                         helper=volunteer).mandate_id == mandate.id


def test_a_mandate_from_one_citizen_books_nothing_for_another(app, in_app, shop, procedure,
                                                              fake_now):
    from tests.accounts.helpers import create_staff
    from webapp.accounts.models import OFFICER

    volunteer, _mandate = _volunteer_with_mandate(app, shop, procedure)
    neighbour = make_citizen(commune=shop)
    with pytest.raises(services.NotAllowedToBookFor):
        services.book(neighbour, procedure, TUESDAY, "08:00", helper=volunteer)
    # Nor does anyone but a volunteer act under a mandate, whatever it names.
    officer = create_staff(app, role=OFFICER, communes=[shop])
    assert services.may_book_for(officer, neighbour, procedure) is None
    assert not Booking.select().where(Booking.citizen == neighbour).exists()

