"""`flask places load` (the communes and wards of the configured province) and `flask places
check` (what the province file leaves unconfirmed)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.core import db
from webapp.places.check import report
from webapp.places.models import sync_communes

places_cli = AppGroup("places", help="Communes and wards of the province.")


@places_cli.command("load")
def load_places_command() -> None:
    """Load the communes and wards of the configured province."""
    with db.database.connection_context():
        count = sync_communes(current_app.extensions["province"].code)
    click.echo(f"Loaded {count} communes and wards.")


@places_cli.command("check")
def check_places_command() -> None:
    """List the province file's unconfirmed values and the one-stop shops that lack an
    address, hours or phone; exits with status 1 while any remain (pages leave them out)."""
    lines, complete = report(current_app.extensions["province"])
    click.echo("\n".join(lines))
    if not complete:
        raise SystemExit(1)
