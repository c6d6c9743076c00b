"""Following a dossier: the receipt, status look-up without an account, "my dossiers", photos.

Status look-up needs the dossier code and the phone number given in it, and says the same thing
whether the code is unknown or the phone is wrong, so a code cannot be confirmed by guessing.
It is rate-limited per visitor and per code. A successful look-up is remembered in the session
(for this dossier only), so the status page can be refreshed and polled without asking again.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _

from webapp.accounts.auth import (
    citizen_required,
    current_citizen,
)
from webapp.audit.log import record
from webapp.core import links, ratelimit
from webapp.core.db import database
from webapp.core.forms import Field, FieldError, Form
from webapp.core.htmx import render
from webapp.core.i18n import current_language
from webapp.core.phones import InvalidPhone, mask_phone, normalize_mobile
from webapp.dossiers import access, lifecycle, messages, receipts
from webapp.dossiers.blueprint import current_helper, dossiers
from webapp.dossiers.models import Attachment, Dossier, DossierDraft
from webapp.dossiers.steps import KIND
from webapp.mandates import services as mandates
from webapp.tracking import timeline
from webapp.tracking.codes import normalize_code
from webapp.uploads.serving import stored_file_response

LOOKUP_GRANTS = "dossier_lookups"  # session key: ids of dossiers this visitor looked up
MAX_GRANTS = 10
LOOKUPS_PER_VISITOR = (10, 600)  # 10 tries per 10 minutes from one address
LOOKUPS_PER_CODE = (5, 600)  # and 5 per code, whoever tries: a phone cannot be brute-forced
POLL_SECONDS = 20
STOP_POLLING = 286  # htmx stops polling when it gets this status


def may_follow(dossier: Dossier) -> bool:
    return access.owned_by_visitor(dossier) or dossier.id in session.get(LOOKUP_GRANTS, [])


def dossier_or_404(code: str) -> Dossier:
    dossier = Dossier.by_code(normalize_code(code, current_app.config["DOSSIER_CODE_PREFIX"]))
    return dossier or abort(404)


# --- Receipt --------------------------------------------------------------------------------------


@dossiers.get("/ho-so/<code>")
@citizen_required
def receipt(code: str):
    """The receipt: a page (Zalo's webview swallows downloads), printable, with a QR code."""
    dossier = dossier_or_404(code)
    if not access.owned_by_visitor(dossier):
        abort(404)
    lookup_url = links.external("dossiers.lookup", ma=dossier.code)
    response = render(
        "dossiers/receipt.html", dossier=dossier, procedure=dossier.procedure,
        commune=dossier.commune, masked_phone=mask_phone(dossier.contact_phone),
        qr_svg=receipts.qr_svg(lookup_url), language=current_language())
    response.vary.add("User-Agent")  # in Zalo (core/webview.py): "send to my phone", no print
    return response


@dossiers.post("/ho-so/<code>/gui-bien-nhan")
@citizen_required
def send_receipt(code: str):
    """Send the receipt's code and link to her phone (Zalo's webview cannot print); a second
    tap the same day sends nothing more (the outbox reference is the dossier and the day)."""
    dossier = dossier_or_404(code)
    if not access.owned_by_visitor(dossier):
        abort(404)
    with database.atomic():
        messages.receipt(dossier, dossier.procedure.content["vi"]["title"],
                         dossier.commune.name)
    flash(_("The receipt is on its way to %(phone)s. The message can take a minute to arrive.",
            phone=mask_phone(dossier.contact_phone)))
    return redirect(url_for("dossiers.receipt", code=dossier.code), 303)


# --- Status look-up -------------------------------------------------------------------------------


def _clean_code(raw: str) -> str:
    code = normalize_code(raw, current_app.config["DOSSIER_CODE_PREFIX"])
    if not code:
        raise FieldError(_("Type the dossier code as it is on the receipt, for example "
                           "%(example)s.", example=receipts.example_code()))
    return code


def _clean_phone(raw: str) -> str:
    try:
        return normalize_mobile(raw)
    except InvalidPhone:
        raise FieldError(_("Type the mobile number given in the dossier, for example "
                           "0912 345 678.")) from None


def _lookup_form(formdata=None) -> Form:
    return Form([
        Field("code", required_message=_("Type the dossier code from the receipt."),
              clean=_clean_code),
        Field("phone", required_message=_("Type the phone number given in the dossier."),
              clean=_clean_phone),
    ], formdata=formdata, initial={"code": request.args.get("ma", "")[:20]})


def _within_rate_limit(code: str) -> bool:
    visitor = request.remote_addr or "unknown"
    return (ratelimit.allow(f"dossier-lookup:{visitor}", *LOOKUPS_PER_VISITOR)
            and ratelimit.allow(f"dossier-lookup-code:{code}", *LOOKUPS_PER_CODE))


def grant_lookup(dossier: Dossier) -> None:
    """Remember in the session that this visitor may follow this dossier (and only it)."""
    grants = [i for i in session.get(LOOKUP_GRANTS, []) if i != dossier.id]
    session[LOOKUP_GRANTS] = [*grants, dossier.id][-MAX_GRANTS:]


def _find(form: Form) -> tuple[Dossier | None, int]:
    """The dossier matching code and phone, or the form's error and the status to answer."""
    code, phone = form.data["code"], form.data["phone"]
    if not _within_rate_limit(code):
        form.add_error("code", _("Too many tries. Wait 10 minutes, then try again, or call "
                                 "the support line."))
        return None, 429
    dossier = Dossier.by_code(code)
    if dossier is None or dossier.contact_phone != phone:
        form.add_error("code", _("No dossier has this code and phone number. Check the code "
                                 "on the receipt and the phone number given in the dossier."))
        return None, 200
    return dossier, 200


@dossiers.route("/tra-cuu-ho-so", methods=["GET", "POST"])
def lookup():
    """Find a dossier by its code and phone number, without an account."""
    if request.method == "GET":
        return render("dossiers/lookup.html", form=_lookup_form())
    form = _lookup_form(request.form)
    status = 200
    if form.validate():
        dossier, status = _find(form)
        if dossier:
            grant_lookup(dossier)
            return redirect(url_for("dossiers.status", code=dossier.code), 303)
    return render("dossiers/lookup.html", form=form), status


def status_context(dossier: Dossier) -> dict:
    return {
        "dossier": dossier, "procedure": dossier.procedure, "commune": dossier.commune,
        "status_label": lifecycle.public_label(dossier.status),
        "events": timeline.public_events(KIND, dossier),
        "polling": timeline.is_moving(KIND, dossier),
        "poll_seconds": POLL_SECONDS, "language": current_language(),
    }


@dossiers.get("/tra-cuu-ho-so/<code>")
def status(code: str):
    """Where the dossier is, in plain words, with what happened so far."""
    dossier = dossier_or_404(code)
    if not may_follow(dossier):
        return redirect(url_for("dossiers.lookup", ma=dossier.code), 303)
    return render("dossiers/status.html", **status_context(dossier))


@dossiers.get("/tra-cuu-ho-so/<code>/the-trang-thai")
def status_card(code: str):
    """The status card alone, polled by htmx while the office works; 286 stops the polling."""
    dossier = dossier_or_404(code)
    if not may_follow(dossier):
        abort(404)
    context = status_context(dossier)
    response = render("dossiers/status.html", fragment="dossiers/_status-card.html", **context)
    if not context["polling"]:
        response.status_code = STOP_POLLING
    return response


# --- My dossiers ----------------------------------------------------------------------------------


@dossiers.get("/ho-so-cua-toi")
@citizen_required
def mine():
    """The citizen's unfinished drafts and sent dossiers."""
    citizen = current_citizen()
    return render("dossiers/mine.html", drafts=list(DossierDraft.in_progress(citizen)),
                  dossiers=list(Dossier.of_citizen(citizen)), language=current_language(),
                  public_label=lifecycle.public_label)


# --- Photos of papers -----------------------------------------------------------------------------


def _may_see(attachment: Attachment) -> bool:
    """The dossier's owner, its commune's officers, or a helper granted that dossier (see
    webapp/dossiers/access.py); a photo on a draft its owner, or the helper filling the draft
    in for her under a live mandate. Staff looks are logged."""
    citizen = current_citizen()
    if attachment.dossier_id is None:
        if citizen is not None:
            return citizen.id == attachment.citizen_id
        draft = attachment.draft
        return draft is not None and mandates.covers(draft.mandate_id, current_helper(),
                                                     draft.citizen_id)
    dossier = attachment.dossier
    if not access.visitor_may_see(dossier):
        return False
    if not access.owned_by_visitor(dossier):
        record("attachment_viewed", object_type="attachment", object_id=attachment.id,
               detail={"dossier": dossier.code, "paper": attachment.paper_key})
    return True


@dossiers.get("/ho-so/tep/<int:attachment_id>")
@dossiers.get("/ho-so/tep/<int:attachment_id>/<size>")
def attachment(attachment_id: int, size: str = ""):
    """A photo of a paper, for its owner and the officers entitled to it; never cached."""
    item = Attachment.get_or_none(Attachment.id == attachment_id)
    if item is None or size not in ("", "nho") or not _may_see(item):
        abort(404)
    return stored_file_response(item.storage_name, item.media_type, small=size == "nho")
