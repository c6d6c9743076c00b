"""The back office's blueprint, under /can-bo, and what every one of its pages shows."""

from __future__ import annotations

from flask import Blueprint

from webapp.accounts.auth import current_staff
from webapp.dossiers.api import lifecycle as lc

backoffice = Blueprint("backoffice", __name__, url_prefix="/can-bo")


@backoffice.context_processor
def _staff_context() -> dict:
    return {"staff_user": current_staff(), "staff_label": lc.staff_label,
            "public_label": lc.public_label}
