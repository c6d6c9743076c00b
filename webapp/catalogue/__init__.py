"""The procedure catalogue: what each commune-level procedure is, in plain words, browsable by
life event and searchable without diacritics. The facts live in `procedures/*.toml`.

Other rooms use what this module exports (the import contracts say so)."""

from __future__ import annotations

from flask import Flask

from webapp.catalogue import cli, views
from webapp.catalogue.cli import load_catalogue_command
from webapp.catalogue.models import LifeEvent, Procedure

__all__ = ["LifeEvent", "Procedure", "init_app", "load_catalogue_command"]


def init_app(app: Flask) -> None:
    """The public pages and `flask catalogue load`."""
    app.register_blueprint(views.catalogue)
    app.cli.add_command(cli.catalogue_cli)
