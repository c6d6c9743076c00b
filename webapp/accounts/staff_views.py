"""Staff sign in at their own address with a password and (officers, administrators) a TOTP
code; administrators invite and lock accounts; officers look up citizens of their communes.

Every page checks the role on the server, and every citizen record is checked against the
communes the staff member serves; each look at personal data goes to the audit log.
"""

from __future__ import annotations

import time

import segno
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
from markupsafe import Markup

from webapp.accounts import forms
from webapp.accounts import staff as accounts_staff
from webapp.accounts.auth import (
    current_staff,
    staff_can_access_commune,
    staff_commune_ids,
    staff_required,
    start_session,
)
from webapp.accounts.models import (
    ADMIN,
    OFFICER,
    STAFF_ROLES,
    Citizen,
    StaffCommune,
    StaffUser,
)
from webapp.accounts.notifications import STAFF_INVITATION, STAFF_SIGN_IN_RESET
from webapp.audit import log as audit
from webapp.core import links, ratelimit
from webapp.core.db import database
from webapp.core.forms import Form
from webapp.core.security import safe_next_url
from webapp.notifications.outbox import enqueue
from webapp.places.models import Commune

staff = Blueprint("staff", __name__, url_prefix="/can-bo")

PENDING_KEY = "staff_pending"  # password checked, second factor still to come
PENDING_MAX_AGE = 5 * 60
PASSWORD_TRIES = {"user": (10, 900), "address": (30, 900)}
TOTP_TRIES = (5, 300)
INVITATION_LINK_KEY = "invitation_link"
RESET_LINK_KEY = "reset_link"

ROLE_NAMES = {
    OFFICER: _l("Officer"),
    ADMIN: _l("Province administrator"),
    "volunteer": _l("Community digital-technology volunteer"),
}


@staff.app_context_processor
def _role_names() -> dict:
    return {"role_names": ROLE_NAMES}


# --- Signing in ------------------------------------------------------------------------------

@staff.get("/dang-nhap")
def sign_in():
    """Username and password."""
    if current_staff() is not None:
        return redirect(url_for("staff.home"))
    return _sign_in_page(forms.staff_sign_in_form(), request.args.get("next"))


def _sign_in_page(form, next_url):
    return render_template("accounts/staff/sign-in.html", form=form,
                           next_url=safe_next_url(next_url, ""))


@staff.post("/dang-nhap")
def check_password():
    """Check the password; officers and administrators go on to their TOTP code."""
    form = forms.staff_sign_in_form(request.form)
    next_url = request.form.get("next")
    if not form.validate():
        return _sign_in_page(form, next_url)
    username = form.data["username"].strip().lower()
    if not _password_tries_left(username):
        form.add_error("username", _l("Too many attempts. Please wait 15 minutes and try again."))
        return _sign_in_page(form, next_url)
    account = StaffUser.by_username(username)
    if not accounts_staff.check_password(account, form.data["password"]):
        audit.record("staff.sign_in_failed", object_type="staff_user",
                     object_id=account.id if account else None, detail={"step": "password"})
        form.add_error("password", _l("The username or the password is not right."))
        return _sign_in_page(form, next_url)
    if not account.needs_second_factor:
        return _signed_in(account, next_url)
    session[PENDING_KEY] = {"id": account.id, "at": int(time.time()), "next": next_url or ""}
    return redirect(url_for("staff.second_factor"), 303)


def _password_tries_left(username: str) -> bool:
    per_user = ratelimit.allow(f"staff-password:user:{username}", *PASSWORD_TRIES["user"])
    per_address = ratelimit.allow(f"staff-password:address:{request.remote_addr}",
                                  *PASSWORD_TRIES["address"])
    return per_user and per_address


def _signed_in(account: StaffUser, next_url: str | None):
    start_session(staff=account)
    audit.record("staff.signed_in", object_type="staff_user", object_id=account.id)
    return redirect(safe_next_url(next_url, url_for("staff.home")), 303)


def _pending_account() -> StaffUser | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_MAX_AGE:
        return None
    account = StaffUser.get_or_none(StaffUser.id == pending.get("id"))
    return account if account is not None and account.is_active else None


@staff.get("/dang-nhap/ma-xac-thuc")
def second_factor():
    """The six digits from the authenticator app."""
    if _pending_account() is None:
        return redirect(url_for("staff.sign_in"))
    return render_template("accounts/staff/second-factor.html", form=forms.totp_form())


@staff.post("/dang-nhap/ma-xac-thuc")
def check_second_factor():
    """Check the TOTP code (five tries per five minutes), then sign in."""
    account = _pending_account()
    if account is None:
        return redirect(url_for("staff.sign_in"), 303)
    form = forms.totp_form(request.form)
    if not form.validate():
        return render_template("accounts/staff/second-factor.html", form=form)
    if not ratelimit.allow(f"staff-totp:{account.id}", *TOTP_TRIES):
        form.add_error("code", _l("Too many attempts. Please wait 5 minutes and try again."))
        return render_template("accounts/staff/second-factor.html", form=form)
    if not accounts_staff.check_totp(account, form.data["code"]):
        audit.record("staff.sign_in_failed", object_type="staff_user", object_id=account.id,
                     detail={"step": "totp"})
        form.add_error("code", _l("This code is not right, or was already used. Wait for the "
                                  "next code in the app and type it."))
        return render_template("accounts/staff/second-factor.html", form=form)
    return _signed_in(account, session.get(PENDING_KEY, {}).get("next"))


# --- Home ------------------------------------------------------------------------------------

@staff.get("/")
@staff_required()
def home():
    """Who is signed in, their role and the communes they serve."""
    account = current_staff()
    communes = [] if account.role == ADMIN else list(account.communes())
    return render_template("accounts/staff/home.html", account=account, communes=communes)


# --- Administrators: accounts ----------------------------------------------------------------

@staff.get("/nhan-vien")
@staff_required(ADMIN)
def staff_list():
    """Every staff account, with a way to invite and to lock."""
    return render_template("accounts/staff/staff-list.html",
                           accounts=list(StaffUser.listing()), communes_of=_commune_names(),
                           invitation_link=session.pop(INVITATION_LINK_KEY, None),
                           reset_link=session.pop(RESET_LINK_KEY, None))


def _commune_names() -> dict[int, list[str]]:
    """Each officer's and volunteer's communes by name, in one query."""
    names: dict[int, list[str]] = {}
    rows = (StaffCommune.select(StaffCommune.staff, Commune.name).join(Commune)
            .order_by(Commune.position).tuples())
    for staff_id, name in rows:
        names.setdefault(staff_id, []).append(name)
    return names


@staff.get("/nhan-vien/moi")
@staff_required(ADMIN)
def invite():
    """Invite an officer, administrator or volunteer."""
    return _invite_page(forms.invitation_form(), [])


def _invite_page(form, chosen_codes):
    roles = [(role, ROLE_NAMES[role]) for role in STAFF_ROLES]
    return render_template("accounts/staff/invite.html", form=form, roles=roles,
                           communes=list(Commune.in_order()), chosen=set(chosen_codes))


@staff.post("/nhan-vien/moi")
@staff_required(ADMIN)
def send_invitation():
    """Make the invitation, send its link to the invitee's phone, and show it once."""
    form = forms.invitation_form(request.form)
    chosen = request.form.getlist("communes")
    communes = list(Commune.select().where(Commune.code.in_(chosen)))
    if form.validate():
        _check_invitation(form, communes)
    if form.errors:
        return _invite_page(form, chosen)
    token, invitation = _make_invitation(form.data, communes)
    session[INVITATION_LINK_KEY] = _invitation_url(token)
    return redirect(url_for("staff.staff_list"), 303)


NO_COMMUNE_MESSAGE = _l("Choose at least one commune this person serves.")


def _check_invitation(form, communes) -> None:
    if StaffUser.by_username(form.data["username"]) is not None:
        form.add_error("username", _l("This username is taken. Choose another."))
    if form.data["role"] != ADMIN and not communes:
        form.add_error("communes", NO_COMMUNE_MESSAGE)


def _make_invitation(data: dict, communes):
    with database.atomic():
        token, invitation = accounts_staff.invite(
            invited_by=current_staff(), username=data["username"], full_name=data["full_name"],
            phone=data["phone"] or "", role=data["role"],
            commune_ids=[] if data["role"] == ADMIN else [c.id for c in communes])
        _text_the_link(STAFF_INVITATION, invitation, token)
        audit.record("staff.invited", object_type="staff_invitation", object_id=invitation.id,
                     detail={"role": data["role"], "username": data["username"],
                             "phone": data["phone"], "communes": [c.code for c in communes]})
    return token, invitation


def _invitation_url(token: str) -> str:
    """The one-time link of an invitation or a reset, as the person opens it."""
    return links.external("staff.accept_invitation", token=token)


def _text_the_link(template: str, invitation, token: str) -> None:
    """Send an invitation's or a reset's link to the person's phone, if there is one."""
    if not invitation.phone:
        return
    app_name = current_app.extensions["province"].content["vi"]["app_name"]
    enqueue(template=template, phone=invitation.phone,
            data={"app": app_name, "link": _invitation_url(token)},
            reference=f"staff-invitation-{invitation.id}-{invitation.token_hash[:12]}")


def _other_active_account_or_404(staff_id: int) -> StaffUser | None:
    """The account an administrator acts on; None (with a message) if it is their own."""
    account = StaffUser.get_or_none(StaffUser.id == staff_id)
    if account is None or not account.is_active:
        abort(404)
    if account.id == current_staff().id:
        return None
    return account


@staff.post("/nhan-vien/<int:staff_id>/dat-lai-dang-nhap")
@staff_required(ADMIN)
def reset_sign_in(staff_id: int):
    """A lost phone or a forgotten password: the old ones stop working now, and the person
    gets a one-time link to choose a new password and set up the authenticator again."""
    account = _other_active_account_or_404(staff_id)
    if account is None:
        flash(_l("You cannot reset your own sign-in. Ask another administrator."))
        return redirect(url_for("staff.staff_list"), 303)
    with database.atomic():
        token, invitation = accounts_staff.reset_sign_in(account=account,
                                                         reset_by=current_staff())
        _text_the_link(STAFF_SIGN_IN_RESET, invitation, token)
        audit.record("staff.sign_in_reset", object_type="staff_user", object_id=account.id)
    session[RESET_LINK_KEY] = {"username": account.username, "link": _invitation_url(token)}
    return redirect(url_for("staff.staff_list"), 303)


@staff.post("/nhan-vien/<int:staff_id>/khoa")
@staff_required(ADMIN)
def lock(staff_id: int):
    """Lock an account: its sessions end at once and it cannot sign in again."""
    account = StaffUser.get_or_none(StaffUser.id == staff_id)
    if account is None:
        abort(404)
    if account.id == current_staff().id:
        flash(_l("You cannot lock your own account."))
        return redirect(url_for("staff.staff_list"), 303)
    accounts_staff.lock(account)
    audit.record("staff.locked", object_type="staff_user", object_id=account.id)
    flash(_l("The account %(username)s is locked.", username=account.username))
    return redirect(url_for("staff.staff_list"), 303)


def _commune_holder_or_404(staff_id: int) -> StaffUser:
    """An officer's or volunteer's account (administrators serve every commune)."""
    account = StaffUser.get_or_none(StaffUser.id == staff_id)
    if account is None or account.role == ADMIN:
        abort(404)
    return account


def _communes_page(account, form, chosen_codes):
    return render_template("accounts/staff/communes.html", account=account, form=form,
                           communes=list(Commune.in_order()), chosen=set(chosen_codes))


@staff.get("/nhan-vien/<int:staff_id>/xa-phuong")
@staff_required(ADMIN)
def communes(staff_id: int):
    """Which communes an officer or volunteer serves, to change when they move or cover."""
    account = _commune_holder_or_404(staff_id)
    return _communes_page(account, Form([]), [c.code for c in account.communes()])


@staff.post("/nhan-vien/<int:staff_id>/xa-phuong")
@staff_required(ADMIN)
def change_communes(staff_id: int):
    """Save the communes; the person's queue and citizens follow from their next page."""
    account = _commune_holder_or_404(staff_id)
    chosen = request.form.getlist("communes")
    new = list(Commune.select().where(Commune.code.in_(chosen)).order_by(Commune.position))
    if not new:
        form = Form([])
        form.add_error("communes", NO_COMMUNE_MESSAGE)
        return _communes_page(account, form, chosen)
    before = [c.code for c in account.communes()]
    accounts_staff.set_communes(account, [c.id for c in new])
    audit.record("staff.communes_changed", object_type="staff_user", object_id=account.id,
                 detail={"before": before, "after": [c.code for c in new]})
    flash(_l("%(username)s now serves: %(communes)s.", username=account.username,
             communes=", ".join(c.name for c in new)))
    return redirect(url_for("staff.staff_list"), 303)


# --- Accepting an invitation -----------------------------------------------------------------

def _invitation_or_404(token: str):
    invitation = accounts_staff.open_invitation(token)
    if invitation is None:
        abort(404)
    return invitation


@staff.get("/loi-moi/<token>")
def accept_invitation(token: str):
    """Step 1: choose a password."""
    invitation = _invitation_or_404(token)
    return render_template("accounts/staff/accept.html", form=forms.new_password_form(),
                           invitation=invitation, token=token)


@staff.post("/loi-moi/<token>")
def choose_password(token: str):
    """Save the password's hash; officers and administrators then set up TOTP."""
    invitation = _invitation_or_404(token)
    form = forms.new_password_form(request.form)
    if form.validate() and form.data["password"] != form.data["password_again"]:
        form.add_error("password_again", _l("The two passwords are not the same."))
    if form.errors:
        return render_template("accounts/staff/accept.html", form=form, invitation=invitation,
                               token=token)
    invitation.password_hash = accounts_staff.hash_password(form.data["password"])
    if not accounts_staff.needs_second_factor(invitation.role):
        invitation.save()
        return _finish_invitation(invitation)
    invitation.totp_secret = invitation.totp_secret or accounts_staff.new_totp_secret()
    invitation.save()
    return redirect(url_for("staff.set_up_second_factor", token=token), 303)


def _qr_svg(uri: str) -> Markup:
    """The otpauth link as an inline SVG QR code (drawn on the server; no script, no request)."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff",
                                                         svgclass="qr", lineclass=None))


def _totp_page(invitation, token: str, form):
    uri = accounts_staff.provisioning_uri(invitation.totp_secret, invitation.username)
    secret = invitation.totp_secret
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return render_template("accounts/staff/set-up-second-factor.html", form=form, token=token,
                           qr=_qr_svg(uri), secret=grouped)


@staff.get("/loi-moi/<token>/ma-xac-thuc")
def set_up_second_factor(token: str):
    """Step 2: scan the QR code in an authenticator app, then type one code from it."""
    invitation = _invitation_or_404(token)
    if not invitation.password_hash or not invitation.totp_secret:
        return redirect(url_for("staff.accept_invitation", token=token))
    return _totp_page(invitation, token, forms.totp_form())


@staff.post("/loi-moi/<token>/ma-xac-thuc")
def confirm_second_factor(token: str):
    """A right code proves the app is set up; the account is made and signed in."""
    invitation = _invitation_or_404(token)
    if not invitation.password_hash or not invitation.totp_secret:
        return redirect(url_for("staff.accept_invitation", token=token), 303)
    form = forms.totp_form(request.form)
    step = None
    if form.validate():
        step = accounts_staff.matching_step(invitation.totp_secret, form.data["code"])
        if step is None:
            form.add_error("code", _l("This code is not right. Check the time on your phone "
                                      "and type the code the app shows now."))
    if form.errors:
        return _totp_page(invitation, token, form)
    return _finish_invitation(invitation, step)


def _finish_invitation(invitation, totp_step: int = 0):
    action = "staff.sign_in_renewed" if invitation.is_reset else "staff.invitation_accepted"
    account = accounts_staff.accept_invitation(invitation, totp_step)
    if account is None:
        abort(404)
    audit.record(action, object_type="staff_user", object_id=account.id, actor=account)
    return _signed_in(account, None)


# --- Officers: citizens of their communes ----------------------------------------------------

PAGE_SIZE = 50


@staff.get("/cong-dan")
@staff_required(OFFICER, ADMIN)
def citizens():
    """Citizens whose profile names one of the communes this officer serves (phones masked)."""
    account = current_staff()
    page = max(1, request.args.get("trang", 1, type=int))
    rows = list(Citizen.in_communes(staff_commune_ids(account)).paginate(page, PAGE_SIZE))
    audit.record("citizen.listed", object_type="citizen", object_id=None,
                 detail={"page": page, "count": len(rows)})
    return render_template("accounts/staff/citizens.html", citizens=rows, page=page,
                           has_more=len(rows) == PAGE_SIZE)


@staff.get("/cong-dan/<int:citizen_id>")
@staff_required(OFFICER, ADMIN)
def citizen_detail(citizen_id: int):
    """One citizen's profile, for an officer of their commune; every look is audited."""
    account = current_staff()
    citizen = Citizen.get_or_none(Citizen.id == citizen_id)
    if citizen is None:
        abort(404)
    if not staff_can_access_commune(account, citizen.commune_id):
        audit.record("citizen.access_refused", object_type="citizen", object_id=citizen.id)
        abort(403)
    audit.record("citizen.viewed", object_type="citizen", object_id=citizen.id)
    return render_template("accounts/staff/citizen.html", citizen=citizen)
