"""`flask places load`: the communes and wards of the configured province."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.core import db
from webapp.places.models import sync_communes

places_cli = AppGroup("places", help="Communes and wards of the province.")


@places_cli.command("load")
def load_places_command() -> None:
    """Load the communes and wards of the configured province."""
    with db.database.connection_context():
        count = sync_communes(current_app.extensions["province"].code)
    click.echo(f"Loaded {count} communes and wards.")
