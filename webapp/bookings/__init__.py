"""The bookings room: a citizen books a time at her commune's one-stop shop for a procedure
(a tracked item: a code, a timeline, messages when booked, moved, cancelled and the day
before); officers set their commune's timetable, block slots, and mark who came.

No slot is ever booked beyond its places and a citizen holds at most one active booking per
procedure, under concurrency, on SQLite and PostgreSQL (`services`). A volunteer may book for
a citizen only under a live mandate of hers for that procedure (`services.may_book_for`); the
assisted room's pages offer it with this room's day and time pages.
"""

from __future__ import annotations

import os

from flask import Flask

from webapp.bookings import cli, figures, personal_data, staff_views, views
from webapp.core import figure_sets, housekeeping
from webapp.core import personal_data as held

SETTINGS = {
    # Booking, moving and cancelling online close this long before the time.
    "BOOKING_CUTOFF_MINUTES": 120,
    # How many bookable days a citizen is offered.
    "BOOKING_DAYS_AHEAD": 10,
    # Bookings are deleted this long after their day (the figures keep no names).
    "BOOKING_KEEP_DAYS": 365,
}


def init_app(app: Flask) -> None:
    """The citizen's and the officers' pages, the commands, the chores, her data section and
    the figures (the public and the province office's figures page)."""
    for key, default in SETTINGS.items():
        app.config.setdefault(key, int(os.environ.get(key, default)))
    app.register_blueprint(views.bookings)
    app.register_blueprint(staff_views.staff_bookings)
    app.jinja_env.globals.update(weekday_name=views.weekday_name)
    app.cli.add_command(cli.bookings_cli)
    housekeeping.register(app, "booking reminders", cli.remind)
    housekeeping.register(app, "old bookings", cli.purge)
    held.register(app, personal_data.BOOKINGS)
    figure_sets.register(app, figures.BOOKINGS)
