"""`flask catalogue load`: the procedure catalogue from its files."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.catalogue.loader import load_catalogue
from webapp.core import db

catalogue_cli = AppGroup("catalogue", help="The procedure catalogue.")


@catalogue_cli.command("load")
def load_catalogue_command() -> None:
    """Load the procedure catalogue from webapp/catalogue/procedures."""
    with db.database.connection_context():
        click.echo(f"Loaded {load_catalogue()} procedures.")
