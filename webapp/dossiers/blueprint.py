"""The dossiers room's blueprint and what every one of its views shares."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for

from webapp.accounts.auth import current_citizen
from webapp.core.clock import utcnow
from webapp.dossiers import services
from webapp.dossiers.models import DossierDraft

dossiers = Blueprint("dossiers", __name__)


@dossiers.after_request
def _private(response):
    """Dossier pages carry personal data: never keep them in a shared cache or on a kiosk."""
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def owned_draft(token: str):
    """The signed-in citizen's unsent draft, or the right answer instead of it.

    A draft of someone else and an expired draft are both "not found" (404), so tokens cannot
    be probed; a draft already sent leads to its receipt, so an old tab never sends it again.
    """
    draft = DossierDraft.get_or_none(
        (DossierDraft.token == token) & (DossierDraft.citizen == current_citizen()))
    if draft is None or draft.expires_at <= utcnow():
        abort(404)
    if draft.dossier_id:
        abort(redirect(url_for("dossiers.receipt", code=draft.dossier.code), 303))
    form = services.form_for(draft.procedure) or abort(404)
    return draft, form, services.draft_wizard(draft, form)
