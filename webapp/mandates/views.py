"""The citizen's own view of her mandates: who may help her with what, since when, until when,
how she agreed, and a button to end one now. And the office's: an administrator, or an officer
of the mandate's commune, sees the live mandates and ends one with a reason (a helper who
misuses it, a citizen who asks at the counter)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import (
    citizen_required,
    current_citizen,
    current_staff,
    staff_can_access_commune,
    staff_commune_ids,
    staff_required,
)
from webapp.accounts.models import ADMIN, OFFICER
from webapp.audit import log as audit
from webapp.core.forms import Field, Form, at_most
from webapp.core.phones import mask_phone
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


# --- The office -------------------------------------------------------------------------------

REASON_MAX_CHARS = 500


def _office_mandate(mandate_id: int) -> Mandate:
    """A mandate of a commune the signed-in officer serves (an administrator: any); anything
    else is "not found", so ids of other communes cannot be probed."""
    mandate = Mandate.get_or_none(Mandate.id == mandate_id)
    if (mandate is None or mandate.confirmed_at is None
            or not staff_can_access_commune(current_staff(), mandate.commune_id)):
        abort(404)
    return mandate


def end_form(formdata=None) -> Form:
    return Form([Field("reason", clean=at_most(REASON_MAX_CHARS), required_message=_l(
        "Write why you end this consent: the citizen and the helper are told."))], formdata)


@mandates.get("/can-bo/uy-quyen")
@staff_required(OFFICER, ADMIN)
def office_list():
    """The live mandates of the officer's communes (an administrator's: all)."""
    found = list(Mandate.live_in(staff_commune_ids(current_staff())))
    audit.record("mandate.office_list_viewed", object_type="mandate", object_id=None,
                 detail={"count": len(found)})  # names of citizens, seen by an officer
    return render_template("mandates/office-list.html", mandates=found, staff_user=current_staff(),
                           scope_words=SCOPE_WORDS, evidence_words=EVIDENCE_WORDS_FOR_STAFF,
                           mask_phone=mask_phone)


def _end_page(mandate: Mandate, form: Form):
    return render_template("mandates/office-end.html", mandate=mandate, form=form,
                           staff_user=current_staff(),
                           scope_words=SCOPE_WORDS, masked_phone=mask_phone(mandate.phone),
                           max_chars=REASON_MAX_CHARS)


@mandates.get("/can-bo/uy-quyen/<int:mandate_id>/ket-thuc")
@staff_required(OFFICER, ADMIN)
def office_end_page(mandate_id: int):
    """Ask why before ending: the reason is told to the citizen and the helper."""
    mandate = _office_mandate(mandate_id)
    audit.record("mandate.viewed_by_office", object_type="mandate", object_id=mandate.id)
    return _end_page(mandate, end_form())


@mandates.post("/can-bo/uy-quyen/<int:mandate_id>/ket-thuc")
@staff_required(OFFICER, ADMIN)
def office_end(mandate_id: int):
    """End the mandate now with the reason; the helper can no longer act under it. Ending twice
    (a double tap, two officers) is one end and one pair of messages."""
    mandate = _office_mandate(mandate_id)
    form = end_form(request.form)
    if not form.validate():
        return _end_page(mandate, form), 200
    if services.end(mandate, staff=current_staff(), reason=form.data["reason"]):
        flash(_("Done: %(helper)s can no longer act for %(citizen)s. Both are told why.",
                helper=mandate.helper.full_name, citizen=mandate.person_name), "success")
    else:
        flash(_("This consent had already ended."), "success")
    return redirect(url_for("mandates.office_list"), 303)
