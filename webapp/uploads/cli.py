"""Operators' command of the uploads room, `flask uploads purge-stray`, and the same purge as a
daily housekeeping chore."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.core import db

from . import storage

uploads_cli = AppGroup("uploads", help="Stored photos and PDFs.")


def purge_stray() -> str:
    """Delete stray upload files (see storage.remove_stray_files); say how many."""
    with db.database.connection_context():
        return f"Removed {storage.remove_stray_files()} stray upload file(s)."


@uploads_cli.command("purge-stray")
def purge_stray_command() -> None:
    """Delete stored files over an hour old that no row uses (left by a crash between writing
    the file and its row) and temporary files left by a crash or a full disk."""
    click.echo(purge_stray())
