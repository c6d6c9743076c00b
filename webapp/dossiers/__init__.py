"""The dossiers room: submit a dossier online, one question at a time, and follow it.

`init_app` reads and checks every form file (a broken one stops the start, naming the file),
registers the blueprint (routes in `wizard_views`, `tracking_views` and `follow_up`), the
message templates (`messages`), the operators' command `flask dossiers purge-drafts` and the
daily purge of expired drafts. Other rooms use this room through `api.py` only.
"""

from __future__ import annotations

from flask import Flask

from webapp.core import housekeeping, kiosk
from webapp.core import personal_data as held

# Importing the route modules registers their views; `messages` registers the texts.
from webapp.dossiers import (  # noqa: F401
    follow_up,
    handover_views,
    messages,
    personal_data,
    receipts,
    services,
    tracking_views,
    wizard_views,
)
from webapp.dossiers.blueprint import dossiers
from webapp.dossiers.cli import dossiers_cli, purge_drafts
from webapp.dossiers.formdefs import read_forms
from webapp.dossiers.models import Attachment
from webapp.uploads import storage


def init_app(app: Flask) -> None:
    """Load the forms, register the routes, the template helpers, the command and the chore."""
    forms = read_forms()
    app.extensions["dossier_forms"] = forms
    app.register_blueprint(dossiers)
    app.jinja_env.globals.update(has_online_form=lambda code: code in forms,
                                 example_code=receipts.example_code)
    app.cli.add_command(dossiers_cli)
    housekeeping.register(app, "expired drafts", purge_drafts)
    kiosk.register_forget(app, "dossier drafts", services.forget_kiosk_drafts)
    housekeeping.register(app, "photos of decided dossiers", personal_data.purge_decided_photos)
    held.register(app, personal_data.DOSSIERS)
    storage.register_owner(app, Attachment.names_in_use)  # photos, PDFs and results of dossiers
