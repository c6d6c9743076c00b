"""`flask bookings remind` (the message the day before) and `flask bookings purge`, the same two
as daily housekeeping chores."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.bookings import services
from webapp.core import db

bookings_cli = AppGroup("bookings", help="Bookings at the one-stop shops.")


def remind() -> str:
    """Queue tomorrow's reminders not sent yet; say how many."""
    with db.database.connection_context():
        return f"{services.send_reminders()} reminder(s) queued for tomorrow's bookings."


def purge() -> str:
    with db.database.connection_context():
        return services.remove_old()


@bookings_cli.command("remind")
def remind_command() -> None:
    """Text everyone booked for tomorrow (once each). Run it daily, in the afternoon."""
    click.echo(remind())


@bookings_cli.command("purge")
def purge_command() -> None:
    """Delete bookings older than BOOKING_KEEP_DAYS and past slots' counters."""
    click.echo(purge())
