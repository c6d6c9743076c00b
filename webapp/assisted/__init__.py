"""Assisted mode (issue 12): a community volunteer does a dossier for a citizen with her
recorded consent (a mandate, `webapp.mandates`), in the same wizard; the dossier is hers. The
room sits beside the back office, above `dossiers`, which it uses through `dossiers.api`.
`init_app` registers the volunteer's pages and the one grant by which a volunteer may see a
dossier: a live mandate of its citizen naming her, under which it was made."""

from __future__ import annotations

from flask import Flask

from webapp.accounts.models import VOLUNTEER
from webapp.assisted import views
from webapp.dossiers.api import register_grant
from webapp.mandates import services as mandates


def helper_follows(staff, dossier) -> bool:
    """A volunteer sees a dossier made under a live mandate naming her, and nothing else."""
    return staff.role == VOLUNTEER and mandates.covers(dossier.mandate_id, staff,
                                                      dossier.citizen_id)


def init_app(app: Flask) -> None:
    app.register_blueprint(views.assisted)
    register_grant(app, helper_follows)
