"""`flask dossiers purge-drafts`, and the same purge as a daily housekeeping chore."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.core import db
from webapp.dossiers import services

dossiers_cli = AppGroup("dossiers", help="Online dossiers.")


def purge_drafts() -> str:
    """Delete unsent drafts (and their photos) past their retention time; say how many."""
    with db.database.connection_context():
        return f"Deleted {services.purge_expired_drafts()} expired draft(s)."


@dossiers_cli.command("purge-drafts")
def purge_drafts_command() -> None:
    """Delete unsent drafts (and their photos) past their retention time. Run it daily."""
    click.echo(purge_drafts())
