"""Fixtures of the bookings tests: a commune of their own with a timetable, citizens living
there, and a faked clock (Monday 7 December 2026, 08:00 in Việt Nam)."""

from __future__ import annotations

import datetime as dt
import itertools
from unittest import mock

import pytest

from tests.backoffice.conftest import first_commune, in_app, make_citizen  # noqa: F401
from webapp.bookings import services
from webapp.bookings.models import AFTERNOON, MORNING

NOW = dt.datetime(2026, 12, 7, 1, 0)  # UTC: 08:00 on Monday 7/12/2026 in Việt Nam
MONDAY, TUESDAY = dt.date(2026, 12, 7), dt.date(2026, 12, 8)
USUAL = {(weekday, period): hours for weekday in range(5)
         for period, hours in ((MORNING, ("07:00", "11:30")), (AFTERNOON, ("13:30", "17:00")))}

# Each test takes a commune no other test of the session has used in its database (the first
# thirty are left to the other rooms' tests), so counters, closed days and bookings never meet.
FIRST_OWN_COMMUNE = 30
_communes: dict[tuple, itertools.count] = {}


def fresh_commune():
    from webapp.core.db import database

    which = (type(database.obj).__name__, database.obj.database)
    offset = next(_communes.setdefault(which, itertools.count(FIRST_OWN_COMMUNE)))
    commune = first_commune(offset)
    assert commune is not None, "the bookings tests have used every commune: use fewer"
    return commune


def open_shop(commune, capacity: int = 2, slot_minutes: int = 30, hours=None):
    services.save_settings(commune, None, slot_minutes, capacity, hours or USUAL)
    return commune


@pytest.fixture
def fake_now():
    """The clock stands at NOW (move it with `fake_now.return_value = ...`)."""
    with mock.patch("webapp.core.clock.utcnow", return_value=NOW) as patched:
        yield patched


@pytest.fixture
def shop(in_app):  # noqa: F811 (the fixture imported above)
    """An open shop: Monday to Friday, 07:00-11:30 and 13:30-17:00, 30 minutes, 2 places."""
    return open_shop(fresh_commune())


@pytest.fixture
def procedure(in_app):  # noqa: F811
    from tests.backoffice.conftest import procedure_by_code

    return procedure_by_code()


@pytest.fixture
def citizen(shop):
    return make_citizen(commune=shop)


def make_booking(citizen, commune, procedure=None, day=TUESDAY, start="08:00", status="booked",
                 **fields):
    """A booking row as the service leaves it, without taking a place (for access tests)."""
    from flask import current_app

    from tests.backoffice.conftest import procedure_by_code
    from webapp.bookings.models import Booking, BookingEvent
    from webapp.bookings.schedule import starts_at
    from webapp.tracking.codes import new_code

    procedure = procedure or procedure_by_code()
    booking = Booking.create(
        code=new_code(current_app.config["DOSSIER_CODE_PREFIX"]), status=status,
        contact_phone=citizen.phone or "", submitted_at=NOW, due_date=day, updated_at=NOW,
        citizen=citizen, commune=commune, procedure=procedure, day=day, start=start,
        starts_at=starts_at(day, start), **fields)
    BookingEvent.create(booking=booking, created_at=NOW, kind="submitted", to_status="booked",
                        actor_citizen=citizen)
    return booking
