"""Assisted mode (issue 12): a community volunteer does a dossier for a citizen with her
recorded consent (a mandate, `webapp.mandates`), in the same wizard; the dossier is hers. And
"Tôi cần người giúp": anyone asks for help, a volunteer of the commune takes it (a tracked
item). The room sits beside the back office, above `dossiers`, which it uses through
`dossiers.api`, and books a time for her at the shop under a mandate (`booking_views`, with
the bookings room's own day and time pages). `init_app` registers the pages, the message, the
daily chore, her data section and the one grant by which a volunteer may see a dossier: a live
mandate of its citizen naming her, under which it was made."""

from __future__ import annotations

from flask import Flask

from webapp.accounts.models import VOLUNTEER
from webapp.assisted import (  # noqa: F401 (booking_views adds its pages to the blueprint)
    booking_views,
    help_views,
    messages,
    personal_data,
    views,
)
from webapp.assisted.demo import load_demo_help
from webapp.assisted.help_requests import forget_old
from webapp.core import housekeeping
from webapp.core import personal_data as held
from webapp.dossiers.api import register_grant
from webapp.mandates import services as mandates

__all__ = ["helper_follows", "init_app", "load_demo_help"]


def helper_follows(staff, dossier) -> bool:
    """A volunteer sees a dossier made under a live mandate naming her, and nothing else."""
    return staff.role == VOLUNTEER and mandates.covers(dossier.mandate_id, staff,
                                                      dossier.citizen_id)


def init_app(app: Flask) -> None:
    app.register_blueprint(views.assisted)
    app.register_blueprint(help_views.help_requests)
    register_grant(app, helper_follows)
    housekeeping.register(app, "old help requests", forget_old)
    held.register(app, personal_data.HELP_REQUESTS)
