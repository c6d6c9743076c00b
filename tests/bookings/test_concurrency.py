"""Many people at once, each on a connection of her own (threads), as a busy morning's phones
would: the last place of a slot goes to exactly one of them, a citizen tapping several times
at once holds one booking per procedure, and the same form sent twice at once books once; on
SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

from tests.backoffice.conftest import make_citizen, procedure_by_code
from tests.bookings.conftest import NOW, TUESDAY, fresh_commune, open_shop
from webapp.bookings import services
from webapp.bookings.models import Booking, SlotCounter
from webapp.core.db import database

PEOPLE = 12


def _race(app, attempts):
    """Run each attempt in a thread of its own, all released at once; what each returned or
    raised."""
    barrier = threading.Barrier(len(attempts))

    def run(attempt):
        with app.app_context(), database.connection_context():
            barrier.wait(timeout=30)
            try:
                return attempt()
            except services.BookingProblem as problem:
                return problem

    # One patch for all the threads: patching a module's attribute in each thread at once is
    # not thread-safe (a thread saves another's mock as "the original" and puts it back, so
    # the fake clock would outlive the test for every test after it).
    with mock.patch("webapp.core.clock.utcnow", return_value=NOW), \
            ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(run, attempts))


def _prepare(app, capacity=2):
    with app.app_context(), database.connection_context():
        shop = open_shop(fresh_commune(), capacity=capacity)
        return shop, procedure_by_code()


def test_the_last_place_goes_to_exactly_one(app):
    shop, procedure = _prepare(app)
    with app.app_context(), database.connection_context(), \
            mock.patch("webapp.core.clock.utcnow", return_value=NOW):
        services.book(make_citizen(commune=shop), procedure, TUESDAY, "08:00")  # one left
        people = [make_citizen(commune=shop) for _ in range(PEOPLE)]

    results = _race(app, [lambda who=who: services.book(who, procedure, TUESDAY, "08:00")
                          for who in people])

    won = [r for r in results if isinstance(r, Booking)]
    assert len(won) == 1
    assert all(isinstance(r, services.SlotFull) for r in results if r not in won)
    with app.app_context(), database.connection_context():
        assert Booking.select().where((Booking.commune == shop) & (Booking.day == TUESDAY)
                                      & (Booking.start == "08:00")).count() == 2
        assert SlotCounter.get(commune=shop, day=TUESDAY, start="08:00").booked == 2


def test_many_taps_for_one_procedure_hold_one_booking(app):
    shop, procedure = _prepare(app, capacity=5)
    with app.app_context(), database.connection_context():
        citizen = make_citizen(commune=shop)
    times = ["07:00", "07:30", "08:00", "08:30", "09:00", "09:30", "10:00", "10:30"]

    results = _race(app, [lambda at=at: services.book(citizen, procedure, TUESDAY, at)
                          for at in times])

    won = [r for r in results if isinstance(r, Booking)]
    assert len(won) == 1
    assert all(isinstance(r, services.AlreadyBooked) for r in results if r not in won)
    with app.app_context(), database.connection_context():
        assert Booking.select().where(Booking.citizen == citizen).count() == 1
        taken = {row.start: row.booked for row in SlotCounter.select().where(
            SlotCounter.commune == shop)}
        assert sum(taken.values()) == 1 and taken[won[0].start] == 1  # refused places freed


def test_the_same_form_sent_at_once_books_once(app):
    shop, procedure = _prepare(app)
    with app.app_context(), database.connection_context():
        citizen = make_citizen(commune=shop)

    results = _race(app, [lambda: services.book(citizen, procedure, TUESDAY, "08:00",
                                                 request_key="same-form-key-" + str(shop.id))
                          for _ in range(6)])

    assert all(isinstance(r, Booking) for r in results), results
    assert len({r.id for r in results}) == 1
    with app.app_context(), database.connection_context():
        assert SlotCounter.get(commune=shop, day=TUESDAY, start="08:00").booked == 1
