"""The site's own pages: home, display preferences, help, useful phone numbers, health."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from webapp.accounts.auth import current_citizen
from webapp.core import db, links, ratelimit
from webapp.core.forms import Field, Form
from webapp.core.i18n import LANG_COOKIE, LANGUAGES
from webapp.core.page_cache import cached_page
from webapp.core.security import safe_next_url
from webapp.core.templating import CONTRAST_COOKIE, TEXT_COOKIE, TEXT_SIZES
from webapp.dossiers.api import Dossier, lifecycle
from webapp.places import find_unit
from webapp.places.views import commune_options
from webapp.uploads import sandbox, storage

site = Blueprint("site", __name__)

ONE_YEAR = 365 * 24 * 3600

# Home tiles, in order. Rooms that add a capability add their tile here.
HOME_TILES = [
    {"endpoint": "dossiers.index", "icon": "stamp",
     "title": _l("Submit a dossier online"),
     "text": _l("Apply from your phone, one question at a time, with photos of your papers.")},
    {"endpoint": "dossiers.lookup", "icon": "doc",
     "title": _l("Look up a dossier"),
     "text": _l("See where your dossier is, with its code and your phone number.")},
    {"endpoint": "bookings.index", "icon": "shop",
     "title": _l("Book a time at the one-stop shop"),
     "text": _l("Choose a day and a time, and you will be received without waiting in line.")},
    {"endpoint": "reports.start", "icon": "hand",
     "title": _l("Report a problem"),
     "text": _l("A broken road, a light off, rubbish: tell the commune, with a photo.")},
    {"endpoint": "catalogue.index", "icon": "search",
     "title": _l("Find a procedure"),
     "text": _l("What papers to bring, how long it takes, what it costs.")},
    {"endpoint": "consultations.index", "icon": "hand",
     "title": _l("Have your say"),
     "text": _l("Answer the province's and the commune's questions before they decide.")},
    {"endpoint": "site.contacts", "icon": "phone",
     "title": _l("Useful phone numbers"),
     "text": _l("Emergency numbers, the one-stop shop's address and opening hours.")},
    {"endpoint": "site.help", "icon": "help",
     "title": _l("Help"),
     "text": _l("How to use this site, larger text, and who to call.")},
]


def _my_dossiers_tile(citizen) -> dict:
    """A signed-in citizen's first tile: her dossiers, saying how many need papers from her."""
    waiting = (Dossier.select().where((Dossier.citizen == citizen.id)
                                      & (Dossier.status == lifecycle.MORE_PAPERS_REQUESTED))
               .count())
    text = (ngettext("%(num)d dossier needs more papers from you.",
                     "%(num)d dossiers need more papers from you.", waiting) if waiting
            else _("Where each dossier you sent is, and the ones you have not finished."))
    return {"endpoint": "dossiers.mine", "icon": "doc", "title": _("My dossiers"),
            "text": text, "urgent": bool(waiting)}


@site.get("/")
@cached_page()
def home():
    """The home page: a few large tiles, one per thing people come to do (first, for a
    signed-in citizen, her own dossiers)."""
    citizen = current_citizen()
    tiles = ([_my_dossiers_tile(citizen)] if citizen else []) + HOME_TILES
    return render_template("site/home.html", tiles=tiles)


@site.post("/tuy-chon")
def preferences():
    """Remember text size, contrast and language in cookies, then go back to the same page."""
    response = redirect(safe_next_url(request.form.get("next"), url_for("site.home")), 303)
    cookie = {"max_age": ONE_YEAR, "samesite": "Lax", "httponly": True,
              "secure": current_app.config["SESSION_COOKIE_SECURE"]}
    if request.form.get("text") in TEXT_SIZES:
        response.set_cookie(TEXT_COOKIE, request.form["text"], **cookie)
    if request.form.get("contrast") in {"high", "normal"}:
        response.set_cookie(CONTRAST_COOKIE, request.form["contrast"], **cookie)
    if request.form.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, request.form["lang"], **cookie)
    return response


@site.get("/tro-giup")
@cached_page()
def help():
    """How to use the site, in plain words, with the hotline."""
    return render_template("site/help.html")


@site.get("/chia-se")
def share():
    """Send a page of this site to someone in Zalo: its address to copy, in large type, and the
    phone's own share sheet where the browser has one. No share button of Zalo's: that needs
    Zalo's script on our pages, and pages make no third-party requests."""
    path = safe_next_url(request.args.get("trang"), url_for("site.home"))
    return render_template("site/share.html", back=path, address=links.external_path(path))


@site.get("/so-dien-thoai-can-biet")
def contacts():
    """Emergency numbers first, other confirmed numbers, and where to go: the one-stop shop of
    the commune she picks (by its new name or her old address), or of her profile's commune."""
    province = current_app.extensions["province"]
    chosen = find_unit(request.args.get("xa", ""), province.code)
    citizen = current_citizen()
    if chosen is None and citizen and citizen.commune_id and "xa" not in request.args:
        chosen = citizen.commune
    form = Form([Field("xa")], formdata=request.args if "xa" in request.args else None)
    if "xa" in request.args and chosen is None:
        form.add_error("xa", _l("Choose your commune or ward: type its name, or choose it from "
                                "the list."))
    return render_template("site/contacts.html", commune=chosen, form=form,
                           options=commune_options())


def _database_health() -> tuple[str, list[str]]:
    try:
        db.database.execute_sql("SELECT 1")
        pending = db.pending_migrations()
    except Exception as error:  # the check must answer, whatever broke
        return f"error: {type(error).__name__}", []
    return ("ok" if not pending else "migrations_pending"), pending


@site.get("/healthz")
def health():
    """For operators and load balancers: each dependency and its state.

    503 when something the app needs is down: the database (or its migrations) or the store of
    uploads (the folder, or the object store when UPLOAD_STORE=s3). Redis only shares the rate
    limits, which fall back to the database, so an unreachable Redis is reported ("degraded")
    but keeps the instance in service.
    """
    database, pending = _database_health()
    uploads = storage.health()
    redis = ratelimit.redis_health()
    needed_up = database == "ok" and uploads == "ok"
    status = "error" if not needed_up else ("degraded" if redis == "unreachable" else "ok")
    return (jsonify(status=status, database=database, pending_migrations=pending,
                    uploads=uploads, redis=redis, rate_limits=ratelimit.health(),
                    upload_processing=sandbox.health()),
                   200 if needed_up else 503)
