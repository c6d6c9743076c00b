"""The audit log: who did what to which personal data, append-only, with personal data masked.

Other rooms call `webapp.audit.log.record(...)`; administrators read the latest events at
/can-bo/nhat-ky. The masking filter on every log handler lives here too (`log.init_app`).
"""

from __future__ import annotations

from flask import Flask

from webapp.audit import log
from webapp.audit.views import audit


def init_app(app: Flask) -> None:
    """Mask personal data in every log line; register the administrators' page."""
    log.init_app(app)
    app.register_blueprint(audit)
