"""Kiosk pages: an administrator turns this device into a kiosk or revokes one; a visitor
starts again (the button on every page, the idle countdown, or without JavaScript the page's
refresh), which forgets everything of hers on the server and in the browser."""

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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.auth import (
    current_citizen,
    current_session,
    current_staff,
    end_session,
    staff_required,
)
from webapp.accounts.models import ADMIN
from webapp.audit import log as audit
from webapp.core.clock import utcnow
from webapp.core.forms import Field, FieldError, Form
from webapp.core.i18n import LANG_COOKIE
from webapp.core.kiosk import current_kiosk, forget_visitor, on_kiosk
from webapp.core.templating import CONTRAST_COOKIE, TEXT_COOKIE
from webapp.kiosk import devices
from webapp.kiosk.models import A4, PAPERS, ROLL_80MM, Kiosk
from webapp.places.models import Commune
from webapp.places.views import commune_options

kiosk = Blueprint("kiosk", __name__)

PAPER_WORDS = {A4: _l("A4 sheets"), ROLL_80MM: _l("80 mm receipt roll")}
NAME_MAX_CHARS = 80
# What a visitor may have left in the browser: her choices of text size, contrast and language.
VISITOR_COOKIES = (TEXT_COOKIE, CONTRAST_COOKIE, LANG_COOKIE)


# --- Administrators ---------------------------------------------------------------------------

def _name(raw: str) -> str:
    if len(raw) > NAME_MAX_CHARS:
        raise FieldError(_("Please write at most %(count)d characters.", count=NAME_MAX_CHARS))
    return raw


def _commune(raw: str) -> Commune:
    found = Commune.get_or_none(Commune.code == raw)
    if found is None:
        raise FieldError(_("Choose the commune or ward of this one-stop shop."))
    return found


def _paper(raw: str) -> str:
    if raw not in PAPERS:
        raise FieldError(_("Choose the paper its printer takes."))
    return raw


def kiosk_form(formdata=None) -> Form:
    return Form([
        Field("name", required_message=_l("Name this kiosk, for example “Quầy 1”."), clean=_name),
        Field("commune", required_message=_l("Choose the commune or ward of this one-stop shop."),
              clean=_commune),
        Field("paper", required_message=_l("Choose the paper its printer takes."), clean=_paper),
    ], formdata)


def _admin_page(form: Form, status: int = 200):
    return render_template("kiosk/admin.html", form=form, kiosks=list(Kiosk.in_order()),
                           communes=commune_options(), paper_words=PAPER_WORDS,
                           here=current_kiosk()), status


@kiosk.get("/can-bo/quay-tu-phuc-vu")
@staff_required(ADMIN)
def admin():
    """The kiosks of the province, and making this device one."""
    return _admin_page(kiosk_form())


@kiosk.post("/can-bo/quay-tu-phuc-vu")
@staff_required(ADMIN)
def make():
    """Make this device a kiosk: the administrator is signed out (a kiosk starts with nobody
    signed in) and the device keeps a long-lived cookie only the server can check."""
    form = kiosk_form(request.form)
    if not form.validate():
        return _admin_page(form)
    value, digest = devices.new_token()
    made = Kiosk.create(name=form.data["name"], commune=form.data["commune"],
                        paper=form.data["paper"], token_hash=digest, created_by=current_staff())
    audit.record("kiosk.made", object_type="kiosk", object_id=made.id,
                 detail={"commune": made.commune.code})
    end_session()
    session.clear()
    response = redirect(url_for("site.home"), 303)
    devices.set_cookie(response, value)
    return response


@kiosk.post("/can-bo/quay-tu-phuc-vu/<int:kiosk_id>/thu-hoi")
@staff_required(ADMIN)
def revoke(kiosk_id: int):
    """Revoke a kiosk (lost, stolen, moved): its cookie is worthless from the next request."""
    found = Kiosk.get_or_none(Kiosk.id == kiosk_id)
    if found is None:
        abort(404)
    if found.revoked_at is None:
        Kiosk.update(revoked_at=utcnow(), revoked_by=current_staff()).where(
            (Kiosk.id == found.id) & Kiosk.revoked_at.is_null()).execute()
        audit.record("kiosk.revoked", object_type="kiosk", object_id=found.id)
    flash(_("The kiosk “%(name)s” is revoked.", name=found.name))
    return redirect(url_for("kiosk.admin"), 303)


# --- Visitors ---------------------------------------------------------------------------------

def _forget_the_visitor():
    """Everything of the visitor, gone: what rooms keep of her visit (unsent drafts and their
    photos), her session, her cookies but the kiosk's own, the browser's cache and storage."""
    response = redirect(url_for("site.home"), 303)
    if not on_kiosk():
        return response
    citizen, row = current_citizen(), current_session()
    if citizen is not None and row is not None:
        forget_visitor(citizen, since=row.created_at)
    end_session()
    session.clear()
    audit.record("kiosk.visitor_forgotten", object_type="kiosk", object_id=current_kiosk().id)
    # Not "cookies": that would also delete the kiosk's own cookie; her cookies go one by one.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    for name in VISITOR_COOKIES:
        response.delete_cookie(name)
    return response


@kiosk.post("/quay/bat-dau-lai")
def start_again():
    """"Bắt đầu lại", on every page of a kiosk, and the end of the idle countdown."""
    return _forget_the_visitor()


@kiosk.get("/quay/het-gio")
def timed_out():
    """Where a kiosk page without JavaScript sends itself after the idle time: a GET, because a
    refresh cannot post; it can only ever forget the visitor of this very device."""
    return _forget_the_visitor()


def no_store_on_kiosks(response):
    """Nothing a visitor saw at a kiosk is kept for the back button of the next one."""
    if on_kiosk() and request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def idle_timing() -> dict[str, int]:
    config = current_app.config
    return {"idle": config["KIOSK_IDLE_SECONDS"], "countdown": config["KIOSK_COUNTDOWN_SECONDS"]}
