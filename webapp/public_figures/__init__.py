"""The public figures (/so-lieu): what the province's online services did, by month, procedure
and commune, for everyone, with charts, tables and a CSV download. Only counts, never personal
data. The figures come from the sets other rooms register in `core.figure_sets` (the dossiers'
by the back office); this room imports none of them, and counts again at most every
PUBLIC_FIGURES_SECONDS per process."""

from __future__ import annotations

from flask import Flask

from webapp.public_figures import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.public_figures)
