"""The dossiers room: submit a dossier online, one question at a time, and follow it.

`init_app` reads and checks every form file (a broken one stops the start, naming the file),
registers the blueprint (routes in `wizard_views` and `tracking_views`), the message templates
and the operators' command `flask dossiers purge-drafts`.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from webapp.core import db

# Importing the route modules registers their views; `messages` registers the texts.
from webapp.dossiers import (  # noqa: F401
    follow_up,
    messages,
    receipts,
    services,
    tracking_views,
    wizard_views,
)
from webapp.dossiers.blueprint import dossiers
from webapp.dossiers.formdefs import read_forms
from webapp.dossiers.models import Attachment
from webapp.uploads import storage

dossiers_cli = AppGroup("dossiers", help="Online dossiers.")


@dossiers_cli.command("purge-drafts")
def purge_drafts_command() -> None:
    """Delete unsent drafts (and their photos) past their retention time. Run it daily."""
    with db.database.connection_context():
        click.echo(f"Deleted {services.purge_expired_drafts()} expired draft(s).")


def init_app(app: Flask) -> None:
    """Load the forms, register the routes, the template helper and the command."""
    forms = read_forms()
    app.extensions["dossier_forms"] = forms
    app.register_blueprint(dossiers)
    app.jinja_env.globals.update(has_online_form=lambda code: code in forms,
                                 example_code=receipts.example_code)
    app.cli.add_command(dossiers_cli)
    storage.register_owner(app, Attachment.names_in_use)  # photos, PDFs and results of dossiers
