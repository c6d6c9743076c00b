"""Operators' commands of the uploads room: `flask uploads purge-stray` (run by housekeeping)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.core import db

from . import storage

uploads_cli = AppGroup("uploads", help="Stored photos and PDFs.")


@uploads_cli.command("purge-stray")
def purge_stray_command() -> None:
    """Delete stored files over an hour old that no row uses (left by a crash between writing
    the file and its row) and temporary files left by a crash or a full disk."""
    with db.database.connection_context():
        removed = storage.remove_stray_files()
    click.echo(f"Removed {removed} stray upload file(s).")
