"""The dossiers room's blueprint and what every one of its views shares."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, redirect, request, url_for

from webapp.accounts.auth import citizen_required, current_citizen, current_staff
from webapp.accounts.models import VOLUNTEER
from webapp.audit import log as audit
from webapp.core.clock import utcnow
from webapp.dossiers import services
from webapp.dossiers.models import DossierDraft
from webapp.mandates import services as mandates

dossiers = Blueprint("dossiers", __name__)


@dossiers.after_request
def _private(response):
    """Dossier pages carry personal data: never keep them in a shared cache or on a kiosk."""
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def current_helper():
    """The signed-in volunteer, when a volunteer (not a citizen) is signed in; else None."""
    staff = current_staff()
    return staff if staff is not None and staff.role == VOLUNTEER else None


def drafter_required(view: Callable) -> Callable:
    """A wizard page: the citizen herself, or a volunteer (who then needs a live mandate for
    the draft, checked by `owned_draft`); anyone else is sent to the citizen's sign-in."""
    guarded = citizen_required(view)

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_citizen() is None and current_helper() is not None:
            return view(*args, **kwargs)
        return guarded(*args, **kwargs)

    return wrapper


def sent_url(dossier) -> str:
    """Where a sent draft leads: her receipt, or the helper's page of the dossier."""
    if current_helper() is not None and current_citizen() is None:
        return url_for("assisted.dossier", code=dossier.code)
    return url_for("dossiers.receipt", code=dossier.code)


def _mine(draft: DossierDraft) -> bool:
    """Hers, or filled in for her under a live mandate naming the signed-in helper."""
    citizen = current_citizen()
    if citizen is not None:
        return draft.citizen_id == citizen.id
    return mandates.covers(draft.mandate_id, current_helper(), draft.citizen_id)


def owned_draft(token: str):
    """The signed-in citizen's unsent draft (or one her helper fills in under a live mandate),
    or the right answer instead of it.

    A draft of someone else and an expired draft are both "not found" (404), so tokens cannot
    be probed; a draft already sent leads to its receipt, so an old tab never sends it again.
    Once she ends the mandate, her helper gets "not found" too. Every change a helper makes is
    written to the audit log: who acted, for whom, under which mandate.
    """
    draft = DossierDraft.get_or_none(DossierDraft.token == token)
    if draft is None or draft.expires_at <= utcnow() or not _mine(draft):
        abort(404)
    if draft.dossier_id:
        abort(redirect(sent_url(draft.dossier), 303))
    if request.method == "POST" and current_citizen() is None:
        audit.record("dossier_draft.changed_for_citizen", object_type="dossier_draft",
                     object_id=draft.id, detail={"for_citizen": draft.citizen_id,
                                                 "mandate": draft.mandate_id,
                                                 "step": request.endpoint})
    form = services.form_for(draft.procedure) or abort(404)
    return draft, form, services.draft_wizard(draft, form)
