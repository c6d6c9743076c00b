"""The one-stop shop's back office: each commune's queue, a dossier's page and the steps that
move it, internal notes, and the figures. Uses the dossiers room through its `api` only.
"""

from __future__ import annotations

from flask import Flask

# Importing the route modules registers their views (and `cli` its command) on the blueprint.
from webapp.backoffice import cli, figure_views, step_views, views  # noqa: F401
from webapp.backoffice.blueprint import backoffice
from webapp.backoffice.demo import load_demo_dossiers
from webapp.backoffice.public_figures import DOSSIERS
from webapp.core import figure_sets

__all__ = ["init_app", "load_demo_dossiers"]


def init_app(app: Flask) -> None:
    """The pages under /can-bo, `flask backoffice generate`, and the dossiers' public figures."""
    app.register_blueprint(backoffice)
    figure_sets.register(app, DOSSIERS)
