""""Làm hồ sơ giúp người dân": a volunteer asks a citizen's consent (a code she reads out, or
a signed paper photographed), then fills the same wizard for her (or books her a time at the
shop: `booking_views`); she follows only the dossiers and bookings made under a live mandate.

Every page is for volunteers; a mandate request is seen only by the volunteer who made it, a
mandate only while it is live (once the citizen ends it, "not found").
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts import codes
from webapp.accounts.auth import current_staff, staff_required
from webapp.accounts.models import VOLUNTEER
from webapp.audit import log as audit
from webapp.bookings.lifecycle import LIFECYCLE as BOOKING_STATES
from webapp.bookings.models import Booking
from webapp.catalogue import Procedure
from webapp.core.clock import utcnow
from webapp.core.forms import Field, Form
from webapp.core.i18n import in_language
from webapp.core.phones import mask_phone
from webapp.dossiers.api import LIFECYCLE, Dossier, DossierDraft, form_for, granted, start_draft
from webapp.mandates import (
    CODE,
    DOSSIER,
    EVIDENCE_WORDS_FOR_STAFF,
    PAPER,
    SCOPE_WORDS,
    Mandate,
    services,
)
from webapp.places.models import Commune
from webapp.tracking.codes import normalize_code
from webapp.uploads import UploadRejected
from webapp.uploads.messages import rejection_message

from . import forms

assisted = Blueprint("assisted", __name__, url_prefix="/tinh-nguyen")

EVIDENCE_CHOICES = {CODE: _l("A code sent to the person's phone, which she reads out to you"),
                    PAPER: _l("A signed or fingerprinted authorisation paper, photographed")}


@assisted.after_request
def _private(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _online_procedures() -> dict[str, Procedure]:
    return {p.slug: p for p in Procedure.select().order_by(Procedure.code)
            if form_for(p) is not None}


def _communes(helper) -> dict[str, Commune]:
    return {c.code: c for c in helper.communes()}


def _pending(mandate_id: int) -> Mandate:
    """A request of the signed-in volunteer still waiting for consent, or 404."""
    mandate = Mandate.get_or_none((Mandate.id == mandate_id) & (Mandate.helper == current_staff())
                                  & Mandate.confirmed_at.is_null())
    return mandate or abort(404)


# --- The volunteer's page ------------------------------------------------------------------


@assisted.get("/")
@staff_required(VOLUNTEER)
def home():
    """Her live mandates, the drafts she is filling in and the dossiers she sent for people."""
    helper = current_staff()
    live = list(Mandate.held_by(helper))
    ids = [m.id for m in live]
    drafts = list(DossierDraft.select().where(
        DossierDraft.mandate.in_(ids) & DossierDraft.dossier.is_null()
        & (DossierDraft.expires_at > utcnow()))) if ids else []
    sent = list(Dossier.select().where(Dossier.mandate.in_(ids))
                .order_by(Dossier.submitted_at.desc())) if ids else []
    booked = list(Booking.select().where(Booking.mandate_id.in_(ids))
                  .order_by(Booking.starts_at.desc())) if ids else []
    return render_template("assisted/home.html", live=live, drafts=drafts, sent=sent,
                           booked=booked, may_start=services.may_start_dossier,
                           scope_words=SCOPE_WORDS, public_label=LIFECYCLE.public_label,
                           booking_label=BOOKING_STATES.public_label)


@assisted.route("/giup-nguoi-dan", methods=["GET", "POST"])
@staff_required(VOLUNTEER)
def ask():
    """Whom she helps (name, phone, commune: nothing more), for what, and how consent is given."""
    helper = current_staff()
    communes, procedures = _communes(helper), _online_procedures()
    if not communes:
        abort(403)  # a volunteer serves at least one commune; an administrator sets it
    initial = {"commune": next(iter(communes)) if len(communes) == 1 else "",
               "procedure": request.args.get("thu-tuc", ""), "scope": DOSSIER, "evidence": CODE}
    form = forms.ask_form(communes, procedures, request.form if request.method == "POST"
                          else None, initial)
    if request.method == "POST" and form.validate():
        data = form.data
        mandate = services.ask(helper, person_name=data["person_name"], phone=data["phone"],
                               commune=communes[data["commune"]],
                               procedure=procedures[data["procedure"]], scope=data["scope"],
                               evidence=data["evidence"])
        if data["evidence"] == PAPER:
            return redirect(url_for("assisted.paper", mandate_id=mandate.id), 303)
        return _send_code(mandate, form) or redirect(
            url_for("assisted.code", mandate_id=mandate.id), 303)
    return render_template(
        "assisted/ask.html", form=form,
        commune_options=[(code, c.name) for code, c in communes.items()],
        procedure_options=[(slug, in_language(p.content)["title"])
                           for slug, p in procedures.items()],
        scope_options=list(SCOPE_WORDS.items()), evidence_options=list(EVIDENCE_CHOICES.items()))


def _send_code(mandate: Mandate, form: Form | None = None, resend: bool = False):
    """Send the consent code; on a refusal, say why (flash, or beside the phone)."""
    try:
        services.send_code(mandate, resend=resend)
    except codes.CodeNotSent as refusal:
        message = (_("A code was sent less than a minute ago. Wait %(seconds)d seconds, then "
                     "send it again.", seconds=refusal.seconds) if refusal.reason == "wait"
                   else _("Too many codes were sent to this number. Try again in an hour, or "
                          "use an authorisation paper."))
        flash(message, "warning")
    return None


# --- Consent by a code ---------------------------------------------------------------------


@assisted.route("/uy-quyen/<int:mandate_id>/ma", methods=["GET", "POST"])
@staff_required(VOLUNTEER)
def code(mandate_id: int):
    """The code the person reads out from her phone."""
    mandate = _pending(mandate_id)
    if mandate.evidence != CODE:
        return redirect(url_for("assisted.paper", mandate_id=mandate.id), 303)
    form = forms.code_form(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        result = services.confirm_code(mandate, form.data["code"])
        if result.status in ("ok", "double_tap"):
            return _begin(Mandate.get_by_id(mandate.id))
        form.add_error("code", _code_problem(result))
    return render_template("assisted/code.html", form=form, mandate=mandate,
                           masked_phone=mask_phone(mandate.phone))


def _code_problem(result: codes.CheckResult) -> str:
    if result.status == "wrong":
        return _("This code is not right. %(count)d tries left. Ask her to read the latest "
                 "message again.", count=result.tries_left)
    return _("This code no longer works. Send a new code.")


@assisted.post("/uy-quyen/<int:mandate_id>/gui-lai-ma")
@staff_required(VOLUNTEER)
def resend(mandate_id: int):
    mandate = _pending(mandate_id)
    _send_code(mandate, resend=True)
    return redirect(url_for("assisted.code", mandate_id=mandate.id), 303)


# --- Consent by a signed paper -------------------------------------------------------------


@assisted.route("/uy-quyen/<int:mandate_id>/giay", methods=["GET", "POST"])
@staff_required(VOLUNTEER)
def paper(mandate_id: int):
    """The photo of the signed (or fingerprinted) paper; the officer checks it on receiving."""
    mandate = _pending(mandate_id)
    form = Form([Field("photo")])
    if request.method == "POST":
        upload = request.files.get("photo")
        if upload is None or not upload.filename:
            form.add_error("photo", _("Take a photo of the signed paper, or choose one."))
        else:
            try:
                services.confirm_paper(mandate, upload.read())
                return _begin(Mandate.get_by_id(mandate.id))
            except UploadRejected as rejection:
                form.add_error("photo", rejection_message(rejection))
    return render_template("assisted/paper.html", form=form, mandate=mandate)


@assisted.get("/uy-quyen/<int:mandate_id>/mau-giay")
@staff_required(VOLUNTEER)
def paper_form(mandate_id: int):
    """The authorisation paper to print, filled in with names, to sign or fingerprint."""
    mandate = Mandate.get_or_none((Mandate.id == mandate_id)
                                  & (Mandate.helper == current_staff())) or abort(404)
    days = current_app.config["MANDATE_DAYS"]
    return render_template("assisted/paper-form.html", mandate=mandate, days=days,
                           title=in_language(mandate.procedure.content)["title"],
                           scope_words=SCOPE_WORDS)


# --- Filling the wizard for her ------------------------------------------------------------


def _begin(mandate: Mandate):
    """A new draft for her under the mandate, prefilled from her profile; on to the wizard."""
    if not services.may_start_dossier(mandate):
        abort(404)
    online = form_for(mandate.procedure) or abort(404)
    draft = start_draft(mandate.citizen, mandate.procedure, online, mandate=mandate)
    audit.record("dossier_draft.started_for_citizen", object_type="dossier_draft",
                 object_id=draft.id, detail={"for_citizen": mandate.citizen_id,
                                             "mandate": mandate.id})
    return redirect(url_for("dossiers.resume", token=draft.token), 303)


@assisted.post("/uy-quyen/<int:mandate_id>/ho-so-moi")
@staff_required(VOLUNTEER)
def new_draft(mandate_id: int):
    """Another dossier under a live mandate for a procedure."""
    mandate = services.live_of_helper(current_staff(), mandate_id) or abort(404)
    return _begin(mandate)


@assisted.get("/ho-so/<code>")
@staff_required(VOLUNTEER)
def dossier(code: str):
    """A dossier she sent for someone: where it is, while the mandate is live; else 404."""
    found = Dossier.by_code(normalize_code(code, current_app.config["DOSSIER_CODE_PREFIX"]))
    if found is None or not granted(current_staff(), found):
        abort(404)
    audit.record("dossier.viewed_by_helper", object_type="dossier", object_id=found.id,
                 detail={"for_citizen": found.citizen_id, "mandate": found.mandate_id})
    return render_template("assisted/dossier.html", dossier=found,
                           title=in_language(found.procedure.content)["title"],
                           status=LIFECYCLE.public_label(found.status),
                           evidence_words=EVIDENCE_WORDS_FOR_STAFF)
