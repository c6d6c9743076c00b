"""Hand-over pages: the kiosk shows the QR code and waits; the phone opens the link, asks her
to sign in there, and takes the draft. Every refusal (a forged, used or expired link, or the
phone signed in with another number) is a page in plain words, never a bare error."""

from __future__ import annotations

from flask import abort, make_response, redirect, render_template, request, session, url_for

from webapp.accounts.auth import citizen_required, current_citizen, current_session
from webapp.core.htmx import is_htmx
from webapp.core.kiosk import current_kiosk, on_kiosk
from webapp.core.phones import mask_phone
from webapp.dossiers import handover
from webapp.dossiers.blueprint import dossiers, owned_draft
from webapp.dossiers.models import DossierDraft
from webapp.dossiers.receipts import qr_svg

SESSION_KEY = "hand_over"  # in the kiosk's signed cookie: {id, signed}; wiped with the visitor
POLL_SECONDS = 3
REFUSED_STATUS = {"forged": 404, "expired": 410, "used": 410, "other": 403, "kiosk": 400}


# --- At the kiosk ------------------------------------------------------------------------------

@dossiers.post("/ho-so-nhap/<token>/sang-dien-thoai")
@citizen_required
def offer_hand_over(token: str):
    """"Tiếp tục trên điện thoại của tôi": a new QR code for this draft (only on a kiosk; at
    home she simply signs in on her phone and finds it in "Hồ sơ của tôi")."""
    if not on_kiosk():
        abort(404)
    draft, _form, _wizard = owned_draft(token)
    row, signed = handover.offer(draft, current_kiosk(), current_session())
    session[SESSION_KEY] = {"id": row.id, "signed": signed, "draft": draft.token}
    return redirect(url_for("dossiers.hand_over_shown"), 303)


def _forget_kiosk_visitor():
    """Taken on her phone: the kiosk forgets her as "Bắt đầu lại" does (browser side too)."""
    target = url_for("kiosk.timed_out")
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


@dossiers.get("/quay/tiep-tuc-tren-dien-thoai")
def hand_over_shown():
    """The QR code, while it waits; once her phone took the draft, the kiosk forgets her. With
    htmx the page asks every few seconds; without, "I opened it on my phone" asks once.
    Open to anyone at the kiosk: the kiosk's session has ended by then, and the page shows
    nothing of hers but the code of a link that only her phone, signed in as her, can use."""
    if not on_kiosk():
        abort(404)
    kept = session.get(SESSION_KEY) or {}
    row = handover.of_id(kept.get("id"))
    if row is None:
        return redirect(url_for("site.home"), 303)
    if row.claimed_at is not None:
        return _forget_kiosk_visitor()
    if is_htmx():
        return make_response("", 204)  # still waiting: nothing to swap
    expired = handover.expired(row)
    return render_template(
        "dossiers/hand-over-kiosk.html", expired=expired, poll_seconds=POLL_SECONDS,
        qr=None if expired else qr_svg(handover.link(kept["signed"])),
        minutes=handover.HAND_OVER_MINUTES, draft_token=kept.get("draft"),
        signed_in=current_citizen() is not None and current_citizen().id == row.citizen_id)


# --- On her phone ------------------------------------------------------------------------------

def _refused(error: handover.HandOverRefused):
    citizen, row = current_citizen(), error.row
    masked = (mask_phone(row.citizen.phone) if error.reason == "other" and row.citizen.phone
              else "")
    response = make_response(render_template(
        "dossiers/hand-over-refused.html", reason=error.reason, masked_phone=masked,
        minutes=handover.HAND_OVER_MINUTES, signed_in=citizen is not None),
        REFUSED_STATUS[error.reason])
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _already_hers(error: handover.Used):
    """A used link opened again by the citizen who took it (a double tap, a second look): her
    draft, not a refusal."""
    citizen, row = current_citizen(), error.row
    if citizen is not None and row is not None and row.citizen_id == citizen.id:
        draft = DossierDraft.get_or_none(DossierDraft.id == row.draft_id)
        if draft is not None:
            return redirect(url_for("dossiers.resume", token=draft.token), 303)
    return None


@dossiers.get("/tiep-tuc/<signed>")
def hand_over(signed: str):
    """What the QR code opens: sign in here first, then one button takes the draft (a GET
    never does: a link preview or a scanner's prefetch must not use the code up)."""
    if on_kiosk():
        return _refused(handover.OnKiosk())
    try:
        row = handover.read(signed)
    except handover.Used as error:
        return _already_hers(error) or _refused(error)
    except handover.HandOverRefused as error:
        return _refused(error)
    citizen = current_citizen()
    if citizen is not None and citizen.id != row.citizen_id:
        return _refused(handover.OtherCitizen(row))
    return render_template("dossiers/hand-over-phone.html", signed=signed,
                           signed_in=citizen is not None, minutes=handover.HAND_OVER_MINUTES,
                           sign_in_url=url_for("accounts.sign_in", next=request.path))


@dossiers.post("/tiep-tuc/<signed>")
@citizen_required
def claim_hand_over(signed: str):
    """Take the draft on this phone; the kiosk forgets her visit."""
    if on_kiosk():
        return _refused(handover.OnKiosk())
    try:
        draft = handover.claim(signed, current_citizen())
    except handover.Used as error:
        return _already_hers(error) or _refused(error)
    except handover.HandOverRefused as error:
        return _refused(error)
    return redirect(url_for("dossiers.resume", token=draft.token), 303)
