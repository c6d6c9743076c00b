"""Demonstration timetables (development only): the communes of the demo officers take bookings
on the usual hours of state offices, and the demo citizen holds one booking."""

from __future__ import annotations

from flask import current_app

from webapp.accounts.models import Citizen
from webapp.bookings import schedule, services
from webapp.catalogue import Procedure
from webapp.places.models import Commune

DEMO_COMMUNES = ("25459", "25645")  # Tân Ninh, Hòa Thành: the demo officers' communes
DEMO_CITIZEN_PHONE = "0912345678"
DEMO_PROCEDURE = "1.000894"


def load_demo_bookings() -> list[str]:
    if current_app.config.get("APP_ENV") == "production":
        return ["Demo bookings: skipped (APP_ENV=production)."]
    opened = 0
    for commune in Commune.select().where(Commune.code.in_(list(DEMO_COMMUNES))):
        if not schedule.takes_bookings(commune):
            services.save_settings(commune, None, 30, 2, schedule.hours_for_form(commune))
            opened += 1
    citizen = Citizen.by_phone(DEMO_CITIZEN_PHONE)
    procedure = Procedure.get_or_none(Procedure.code == DEMO_PROCEDURE)
    booked = ""
    if citizen and citizen.commune and procedure and not services.active_booking(citizen,
                                                                                  procedure):
        days = schedule.bookable_days(citizen.commune, count=2)
        slots = schedule.slots_of_day(citizen.commune, days[-1][0]) if days else []
        if slots:
            booking = services.book(citizen, procedure, slots[0].day, slots[0].start)
            booked = f", citizen {DEMO_CITIZEN_PHONE} booked {booking.code}"
    return [f"Demo bookings: {opened} commune timetable(s) opened{booked}."]
