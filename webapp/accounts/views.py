"""Citizens sign in (a code by phone, or Zalo), see and correct their profile, and sign out.

Reading, searching and looking up a dossier need no account; only submitting does. Every step
is a plain form with Post/Redirect/Get, so it works without JavaScript and inside the Zalo
webview; the step in progress lives in the signed cookie session and in `PhoneChallenge`.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l

from webapp.accounts import codes, forms, zalo
from webapp.accounts.auth import (
    citizen_required,
    current_citizen,
    current_staff,
    end_session,
    start_session,
)
from webapp.accounts.models import Citizen
from webapp.audit import log as audit
from webapp.core.citizen_ids import mask_citizen_id
from webapp.core.clock import utcnow
from webapp.core.kiosk import on_kiosk
from webapp.core.phones import format_for_display, mask_phone
from webapp.core.security import safe_next_url
from webapp.integrations.zalo_oauth import ZaloOAuthError, ZaloUnavailable
from webapp.places.models import Commune
from webapp.places.views import finder_requested

accounts = Blueprint("accounts", __name__)

CODE_FLOW = "code_flow"  # {"challenge": id, "next": url} while a code is on its way

NOT_SENT_MESSAGES = {
    "number_limit": _l("Too many codes were sent to this number in the last hour. Please try "
                       "again in an hour, or call the support line."),
    "address_limit": _l("Too many codes were asked for from this device in the last hour. "
                        "Please try again in an hour, or call the support line."),
}


def _default_next() -> str:
    return url_for("accounts.profile")


def _next_from(values) -> str:
    return safe_next_url(values.get("next"), _default_next())


# --- Signing in with a code ------------------------------------------------------------------

@accounts.get("/dang-nhap")
def sign_in():
    """Choose how to sign in: Zalo (when configured) or a code sent to the phone."""
    if current_citizen() is not None:
        return redirect(_next_from(request.args))
    return _sign_in_page(forms.phone_form(), _next_from(request.args))


def _sign_in_page(form, next_url: str):
    return render_template("accounts/sign-in.html", form=form, next_url=next_url,
                           zalo_enabled=zalo.configured() and not on_kiosk())


@accounts.post("/dang-nhap")
def send_code():
    """Send a code to the number typed, then ask for it."""
    form = forms.phone_form(request.form)
    next_url = _next_from(request.form)
    if not form.validate():
        return _sign_in_page(form, next_url)
    return _send_or_explain(form, codes.SIGN_IN, next_url,
                            lambda f: _sign_in_page(f, next_url))


def _send_or_explain(form, purpose: str, next_url: str, render_again, context=None):
    """Ask for a code for the form's phone; on refusal, show the form again with the reason."""
    flow = session.get(CODE_FLOW) or {}
    try:
        challenge = codes.request_code(form.data["phone"], purpose, context=context,
                                       current_id=flow.get("challenge"))
    except codes.CodeNotSent as refusal:
        # The form again with the reason beside the field, answered 200 like any other form
        # error (a 429 document only adds a console error in the browser).
        form.add_error("phone", _not_sent_message(refusal))
        return render_again(form)
    if challenge.id != flow.get("challenge"):
        audit.record("citizen.code_sent", object_type="phone", object_id=None,
                     detail={"phone": challenge.phone, "purpose": purpose})
    session[CODE_FLOW] = {"challenge": challenge.id, "next": next_url}
    return redirect(url_for("accounts.enter_code"), 303)


def _not_sent_message(refusal: codes.CodeNotSent):
    if refusal.reason == "wait":
        return _l("A code was sent to this number a moment ago. Please wait %(seconds)d "
                  "seconds before asking for another.", seconds=refusal.seconds)
    return NOT_SENT_MESSAGES[refusal.reason]


def _flow_challenge():
    flow = session.get(CODE_FLOW) or {}
    return codes.PhoneChallenge.get_or_none(codes.PhoneChallenge.id == flow.get("challenge"))


@accounts.get("/dang-nhap/ma-xac-nhan")
def enter_code():
    """Type the six digits from the message."""
    challenge = _flow_challenge()
    if challenge is None:
        return redirect(url_for("accounts.sign_in"))
    return _code_page(forms.code_form(), challenge)


def _code_page(form, challenge):
    return render_template("accounts/enter-code.html", form=form,
                           masked_phone=mask_phone(challenge.phone),
                           minutes=int(codes.CODE_TTL.total_seconds() // 60),
                           purpose=challenge.purpose,
                           dev_messages_url=_dev_messages_url())


def _dev_messages_url() -> str | None:
    """In development no SMS leaves the machine: point at the page that shows the messages."""
    endpoint = "notifications_dev.messages"
    return url_for(endpoint) if endpoint in current_app.view_functions else None


CHECK_MESSAGES = {
    "locked": _l("The code was typed wrongly 5 times, so it no longer works. Press \"Send a new "
                 "code\" below to get another."),
    "expired": _l("This code has expired: a code works for 5 minutes only. Press \"Send a new "
                  "code\" below to get another."),
    "used": _l("This code has already been used. Press \"Send a new code\" below to get "
               "another."),
}


@accounts.post("/dang-nhap/ma-xac-nhan")
def check_code():
    """Check the code; when right, finish what it was sent for (sign in, link Zalo, new phone)."""
    challenge = _flow_challenge()
    if challenge is None:
        return redirect(url_for("accounts.sign_in"), 303)
    form = forms.code_form(request.form)
    if not form.validate():
        return _code_page(form, challenge)
    result = codes.check_code(challenge.id, form.data["code"])
    if result.status == "ok":
        return FINISH[challenge.purpose](challenge)
    if result.status == "double_tap":
        return redirect(_flow_next() or _default_next(), 303)
    _record_wrong_code(challenge, result)
    form.add_error("code", _check_message(result))
    return _code_page(form, challenge)


def _check_message(result: codes.CheckResult):
    if result.status == "wrong":
        return _l("This code is not right. Check the latest message and try again: "
                  "%(count)d tries left.", count=result.tries_left)
    return CHECK_MESSAGES[result.status]


def _record_wrong_code(challenge, result: codes.CheckResult) -> None:
    audit.record("citizen.code_refused", object_type="phone", object_id=None,
                 detail={"phone": challenge.phone, "status": result.status})


@accounts.post("/dang-nhap/gui-lai-ma")
def resend_code():
    """Send a new code to the same number (after 60 seconds)."""
    challenge = _flow_challenge()
    if challenge is None:
        return redirect(url_for("accounts.sign_in"), 303)
    flow = session[CODE_FLOW]
    try:
        fresh = codes.request_code(challenge.phone, challenge.purpose,
                                   context=challenge.context, resend=True)
    except codes.CodeNotSent as refusal:
        form = forms.code_form()
        form.add_error("code", _not_sent_message(refusal))
        return _code_page(form, challenge)
    audit.record("citizen.code_sent", object_type="phone", object_id=None,
                 detail={"phone": fresh.phone, "purpose": fresh.purpose, "resend": True})
    session[CODE_FLOW] = {**flow, "challenge": fresh.id}
    flash(_l("A new code has been sent. Use the code in the latest message."))
    return redirect(url_for("accounts.enter_code"), 303)


# --- What a right code does ------------------------------------------------------------------

def _flow_next() -> str | None:
    return (session.get(CODE_FLOW) or {}).get("next")


def _finish_sign_in(challenge):
    citizen, created = Citizen.get_or_create_by_phone(challenge.phone)
    return _signed_in(citizen, "phone", _flow_next(), created=created)


def _signed_in(citizen: Citizen, method: str, next_url: str | None, **detail):
    start_session(citizen=citizen)
    audit.record("citizen.signed_in", object_type="citizen", object_id=citizen.id,
                 detail={"method": method, **detail})
    return redirect(safe_next_url(next_url, _default_next()), 303)


def _finish_zalo_link(challenge):
    context = challenge.context
    citizen, replaced = zalo.link(challenge.phone, context["zalo_id"], context.get("name", ""))
    return _signed_in(citizen, "zalo", _flow_next(), linked=True, replaced_zalo=replaced)


def _finish_phone_change(challenge):
    citizen = current_citizen()
    if citizen is None or citizen.id != challenge.context.get("citizen_id"):
        return redirect(url_for("accounts.sign_in"), 303)
    if Citizen.by_phone(challenge.phone) is not None:
        flash(_l("This number already belongs to another account, so it was not changed. "
                 "Please call the support line if you need help."))
        return redirect(url_for("accounts.profile"), 303)
    old_phone = citizen.phone
    Citizen.update(phone=challenge.phone, updated_at=utcnow()).where(
        Citizen.id == citizen.id).execute()
    audit.record("citizen.phone_changed", object_type="citizen", object_id=citizen.id,
                 detail={"old_phone": old_phone, "new_phone": challenge.phone})
    session.pop(CODE_FLOW, None)
    flash(_l("Your phone number is now %(phone)s.", phone=format_for_display(challenge.phone)))
    return redirect(url_for("accounts.profile"), 303)


FINISH = {codes.SIGN_IN: _finish_sign_in, codes.LINK_ZALO: _finish_zalo_link,
          codes.CHANGE_PHONE: _finish_phone_change}


# --- Signing in with Zalo --------------------------------------------------------------------

@accounts.get("/dang-nhap/zalo")
def zalo_start():
    """Leave for Zalo's permission page.

    A link (GET), not a form: the CSP's form-action 'self' would block a form whose answer
    redirects to Zalo. Nothing changes on the server; only the cookie gets a state and verifier.
    """
    if not zalo.configured() or on_kiosk():  # no Zalo account left open on a shared screen
        abort(404)
    return redirect(zalo.begin(_next_from(request.args)))


@accounts.get("/dang-nhap/zalo/ve")
def zalo_callback():
    """Back from Zalo. The one GET that signs someone in: OAuth requires it, and the `state`
    kept in this browser's cookie plays the CSRF token's part."""
    flow = zalo.take_flow()
    if flow is None:
        return _zalo_problem("expired")
    try:
        profile = zalo.profile_from_callback(request.args, flow)
    except zalo.PersonSaidNo:
        return _zalo_problem("denied")
    except ZaloOAuthError:
        return _zalo_problem("refused")
    except ZaloUnavailable:
        return _zalo_problem("unavailable", 502)
    citizen = zalo.citizen_for_zalo_id(profile.id)
    if citizen is not None:
        return _signed_in(citizen, "zalo", flow["next"])
    zalo.remember_pending(profile.id, profile.name, flow["next"])
    return redirect(url_for("accounts.zalo_phone"))


def _zalo_problem(kind: str, status: int = 200):
    return render_template("accounts/zalo-problem.html", kind=kind), status


@accounts.get("/dang-nhap/zalo/so-dien-thoai")
def zalo_phone():
    """First Zalo sign-in: ask for the phone number, once."""
    pending = zalo.pending()
    if pending is None:
        return redirect(url_for("accounts.sign_in"))
    return _zalo_phone_page(forms.phone_form(), pending)


def _zalo_phone_page(form, pending):
    return render_template("accounts/zalo-phone.html", form=form, zalo_name=pending["name"])


@accounts.post("/dang-nhap/zalo/so-dien-thoai")
def zalo_send_code():
    """Send a code to confirm the number given after a first Zalo sign-in."""
    pending = zalo.pending()
    if pending is None:
        return redirect(url_for("accounts.sign_in"), 303)
    form = forms.phone_form(request.form)
    if not form.validate():
        return _zalo_phone_page(form, pending)
    context = {"zalo_id": pending["id"], "name": pending["name"]}
    return _send_or_explain(form, codes.LINK_ZALO, pending["next"],
                            lambda f: _zalo_phone_page(f, pending),
                            context=context)


# --- Signing out -----------------------------------------------------------------------------

@accounts.post("/dang-xuat")
def sign_out():
    """End the session on the server and in the browser (citizens and staff alike)."""
    staff, citizen = current_staff(), current_citizen()
    if staff or citizen:
        kind = "staff" if staff else "citizen"
        audit.record(f"{kind}.signed_out", object_type=kind, object_id=(staff or citizen).id)
    end_session()
    session.clear()
    return redirect(url_for("accounts.signed_out"), 303)


@accounts.get("/da-dang-xuat")
def signed_out():
    """Confirm that nobody is signed in on this device any more."""
    return render_template("accounts/signed-out.html")


# --- The citizen's profile -------------------------------------------------------------------

@accounts.get("/tai-khoan")
@citizen_required
def profile():
    """What we know about the signed-in citizen; later forms are prefilled from it."""
    citizen = current_citizen()
    return render_template("accounts/profile.html", citizen=citizen,
                           commune=citizen.commune if citizen.commune_id else None,
                           masked_id=mask_citizen_id(citizen.citizen_id or ""),
                           phone=format_for_display(citizen.phone) if citizen.phone else "")


def _profile_initial(citizen: Citizen) -> dict:
    born = citizen.date_of_birth
    return {
        "full_name": citizen.full_name,
        "date_of_birth": {"day": born.day, "month": born.month, "year": born.year} if born else {},
        "citizen_id": citizen.citizen_id or "",
        "commune": citizen.commune.code if citizen.commune_id else "",
        "address": citizen.address,
    }


def _profile_page(form):
    options = [(c.code, c.name) for c in Commune.in_order()]
    return render_template("accounts/edit-profile.html", form=form, communes_options=options)


@accounts.get("/tai-khoan/thong-tin")
@citizen_required
def edit_profile():
    """Correct name, date of birth, citizen ID number, commune and address."""
    return _profile_page(forms.profile_form(initial=_profile_initial(current_citizen())))


@accounts.post("/tai-khoan/thong-tin")
@citizen_required
def save_profile():
    """Save the profile; nothing typed is lost when something needs fixing."""
    form = forms.profile_form(request.form)
    if finder_requested(request.form, "commune"):
        return _profile_page(form)  # the communes for the address typed; nothing saved or lost
    if form.validate():
        forms.check_id_matches_birth(form)
    if form.errors:
        return _profile_page(form)
    citizen = current_citizen()
    changed = citizen.update_profile(form.data)
    audit.record("citizen.profile_updated", object_type="citizen", object_id=citizen.id,
                 detail={"fields": changed})
    flash(_l("Your details have been saved."))
    return redirect(url_for("accounts.profile"), 303)


@accounts.get("/tai-khoan/so-dien-thoai")
@citizen_required
def change_phone():
    """Give a new phone number; it is confirmed with a code before it replaces the old one."""
    return _change_phone_page(forms.phone_form())


def _change_phone_page(form):
    return render_template("accounts/change-phone.html", form=form)


@accounts.post("/tai-khoan/so-dien-thoai")
@citizen_required
def send_change_phone_code():
    """Send a code to the new number."""
    form = forms.phone_form(request.form)
    citizen = current_citizen()
    if form.validate() and form.data["phone"] == citizen.phone:
        form.add_error("phone", _l("This is already your phone number."))
    if form.errors:
        return _change_phone_page(form)
    return _send_or_explain(form, codes.CHANGE_PHONE, url_for("accounts.profile"),
                            _change_phone_page, context={"citizen_id": citizen.id})
