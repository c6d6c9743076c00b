"""Mandates: a citizen's recorded consent that one community helper may act for her, for one
procedure or one dossier, until a date or until she ends it (docs/mandates.md). The dossiers
room reads them (a draft and a dossier made under one), the assisted-mode room asks for them,
the back office shows their evidence. `init_app` registers her page, the messages, the daily
clean-up and her data section."""

from __future__ import annotations

from flask import Flask

from webapp.core import housekeeping
from webapp.core import personal_data as held
from webapp.mandates import messages, personal_data, services, views  # noqa: F401
from webapp.mandates.models import (
    CODE,
    DOSSIER,
    EVIDENCE_KINDS,
    PAPER,
    PROCEDURE,
    SCOPES,
    Mandate,
    MandatePaper,
)
from webapp.mandates.views import EVIDENCE_WORDS, EVIDENCE_WORDS_FOR_STAFF, SCOPE_WORDS
from webapp.uploads import storage

__all__ = ["CODE", "DOSSIER", "EVIDENCE_KINDS", "EVIDENCE_WORDS", "EVIDENCE_WORDS_FOR_STAFF",
           "PAPER", "PROCEDURE",
           "SCOPES", "SCOPE_WORDS", "Mandate", "MandatePaper", "init_app", "services"]


def init_app(app: Flask) -> None:
    app.register_blueprint(views.mandates)
    housekeeping.register(app, "consent requests and authorisation papers", services.purge)
    held.register(app, personal_data.MANDATES)
    storage.register_owner(app, MandatePaper.names_in_use)
