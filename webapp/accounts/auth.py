"""Who is signed in, and what they may see: sessions, view decorators and commune scoping.

Flask's signed cookie session (already used for the CSRF token) carries one random token; the
server keeps only its hash in `SignInSession`. The cookie alone is therefore not enough: a
session ends for good when it is revoked (sign-out, account locked), idle too long, or older
than its lifetime, whatever the browser still holds. Signing in always starts a new token and a
new cookie (and a new CSRF token), so a token planted before sign-in is worthless after it.

Per request, `current_citizen()` / `current_staff()` load the session once (one query, joined
with its owner) and remember it in `g`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, g, make_response, redirect, request, session, url_for
from peewee import JOIN

from webapp.accounts.models import ADMIN, Citizen, SignInSession, StaffCommune, StaffUser
from webapp.core.clock import utcnow
from webapp.core.htmx import is_htmx
from webapp.core.kiosk import on_kiosk
from webapp.places.models import Commune

SESSION_KEY = "sid"
# Writing last_seen_at on every request would make every page a write; once a minute is
# precise enough for an idle timeout counted in tens of minutes.
TOUCH_EVERY = dt.timedelta(seconds=60)
_UNSET = object()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _lifetimes(staff: bool) -> tuple[dt.timedelta, dt.timedelta]:
    """(idle timeout, absolute lifetime) for a citizen's or a staff member's session."""
    config = current_app.config
    if staff:
        return (dt.timedelta(minutes=config["STAFF_IDLE_MINUTES"]),
                dt.timedelta(hours=config["STAFF_SESSION_HOURS"]))
    return (dt.timedelta(minutes=config["CITIZEN_IDLE_MINUTES"]),
            dt.timedelta(hours=config["CITIZEN_SESSION_HOURS"]))


def create_session_row(*, citizen: Citizen | None = None,
                       staff: StaffUser | None = None) -> tuple[str, SignInSession]:
    """Make a session for a citizen or a staff member; return its token and row."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    _, lifetime = _lifetimes(staff is not None)
    if on_kiosk():  # a shared screen: the session ends with the visit at the latest
        lifetime = min(lifetime, dt.timedelta(minutes=current_app.config["KIOSK_SESSION_MINUTES"]))
    row = SignInSession.create(token_hash=token_hash(token), citizen=citizen, staff=staff,
                               created_at=now, last_seen_at=now, expires_at=now + lifetime)
    return token, row


def start_session(*, citizen: Citizen | None = None,
                  staff: StaffUser | None = None) -> SignInSession:
    """Sign in: end the browser's previous session, then start a new one under a new cookie."""
    end_session()
    session.clear()  # also renews the CSRF token
    token, row = create_session_row(citizen=citizen, staff=staff)
    session[SESSION_KEY] = token
    # A lasting cookie, so the Zalo webview keeps it when the chat is closed and reopened;
    # the server-side row still decides how long it is worth anything. Never on a kiosk.
    session.permanent = not on_kiosk()
    g.sign_in_session = row
    return row


def end_session() -> None:
    """Sign out: revoke the server-side session and forget its token."""
    row = current_session()
    if row is not None:
        SignInSession.update(revoked_at=utcnow()).where(SignInSession.id == row.id).execute()
    session.pop(SESSION_KEY, None)
    g.sign_in_session = None


def _still_valid(row: SignInSession, now: dt.datetime) -> bool:
    if row.revoked_at is not None or now >= row.expires_at:
        return False
    if row.staff_id is not None and not row.staff.is_active:
        return False
    idle, _ = _lifetimes(row.staff_id is not None)
    return now - row.last_seen_at < idle


def _load_session() -> SignInSession | None:
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        return None
    row = (SignInSession.select(SignInSession, Citizen, StaffUser)
           .join_from(SignInSession, Citizen, JOIN.LEFT_OUTER)
           .join_from(SignInSession, StaffUser, JOIN.LEFT_OUTER)
           .where(SignInSession.token_hash == token_hash(token))
           .first())
    now = utcnow()
    if row is None or not _still_valid(row, now):
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        SignInSession.update(last_seen_at=now).where(SignInSession.id == row.id).execute()
        row.last_seen_at = now
    return row


def current_session() -> SignInSession | None:
    """This request's valid session, or None (loaded once per request)."""
    row = g.get("sign_in_session", _UNSET)
    if row is _UNSET:
        row = g.sign_in_session = _load_session()
    return row


def current_citizen() -> Citizen | None:
    """The signed-in citizen, or None."""
    row = current_session()
    return row.citizen if row is not None and row.citizen_id is not None else None


def current_staff() -> StaffUser | None:
    """The signed-in staff member, or None."""
    row = current_session()
    return row.staff if row is not None and row.staff_id is not None else None


def _return_path() -> str:
    """Where to come back after signing in: this page, or for a POST the page of its form."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path:
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return "/"


def _to_sign_in(endpoint: str):
    """Send the browser to a sign-in page, coming back here afterwards.

    For htmx, a whole-page navigation (HX-Redirect) rather than a redirect that htmx would
    follow and swap into a fragment of the page.
    """
    target = url_for(endpoint, next=_return_path())
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


def citizen_required(view: Callable) -> Callable:
    """Let signed-in citizens through; send anyone else to sign in, then back here."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_citizen() is None:
            return _to_sign_in("accounts.sign_in")
        return view(*args, **kwargs)

    return wrapper


def staff_required(*roles: str) -> Callable[[Callable], Callable]:
    """Let staff with one of `roles` (any role when none is given) through; 403 for others."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            staff = current_staff()
            if staff is None:
                return _to_sign_in("staff.sign_in")
            if roles and staff.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def staff_commune_ids(staff: StaffUser) -> set[int]:
    """Ids of the communes whose data this staff member may see (administrators: all)."""
    cache = g.setdefault("staff_commune_ids", {})
    if staff.id not in cache:
        if staff.role == ADMIN:
            query = Commune.select(Commune.id)
        else:
            query = StaffCommune.select(StaffCommune.commune).where(StaffCommune.staff == staff)
        cache[staff.id] = {commune_id for (commune_id,) in query.tuples()}
    return cache[staff.id]


def staff_can_access_commune(staff: StaffUser, commune_id: int | None) -> bool:
    """True when `staff` may see data of this commune; nobody is granted "no commune"."""
    if staff.role == ADMIN:
        return True
    return commune_id is not None and commune_id in staff_commune_ids(staff)
