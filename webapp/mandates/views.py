"""The citizen's own view of her mandates: who may help her with what, since when, until when,
how she agreed, and a button to end one now."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import citizen_required, current_citizen
from webapp.mandates import services
from webapp.mandates.models import CODE, DOSSIER, PAPER, PROCEDURE, Mandate

mandates = Blueprint("mandates", __name__)

EVIDENCE_WORDS = {CODE: _l("You read out a code sent to your phone"),
                  PAPER: _l("You signed an authorisation paper")}
# The same, for the helper and the officer (in the third person).
EVIDENCE_WORDS_FOR_STAFF = {CODE: _l("She read out the code sent to her phone"),
                            PAPER: _l("A signed or fingerprinted authorisation paper")}
SCOPE_WORDS = {PROCEDURE: _l("Dossiers of this procedure"), DOSSIER: _l("One dossier")}


@mandates.after_request
def _private(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


@mandates.get("/tai-khoan/uy-quyen")
@citizen_required
def mine():
    """Her mandates, the live ones first, each with "End it now"."""
    found = list(Mandate.of_citizen(current_citizen()))
    return render_template("mandates/mine.html",
                           live=[m for m in found if m.is_live()],
                           ended=[m for m in found if not m.is_live()],
                           evidence_words=EVIDENCE_WORDS, scope_words=SCOPE_WORDS)


@mandates.post("/tai-khoan/uy-quyen/<int:mandate_id>/ket-thuc")
@citizen_required
def end(mandate_id: int):
    """End one of her mandates now; the helper can no longer open anything under it."""
    mandate = Mandate.get_or_none((Mandate.id == mandate_id)
                                  & (Mandate.citizen == current_citizen()))
    if mandate is None:
        abort(404)
    if services.end(mandate, citizen=current_citizen()):
        flash(_("Done: %(helper)s can no longer act for you.",
                helper=mandate.helper.full_name), "success")
    return redirect(url_for("mandates.mine"), 303)
