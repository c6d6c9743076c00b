"""Recognising a kiosk: a long-lived signed cookie set from an administrator's page on the
device itself. A visitor cannot switch kiosk mode off by editing an address, and an
administrator can revoke a lost or stolen device at once (the token's hash is checked on
every request from it)."""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer

from webapp.core.kiosk import DEVICE_COOKIE
from webapp.kiosk.models import Kiosk

COOKIE = DEVICE_COOKIE
FIVE_YEARS = 5 * 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="kiosk-device")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def new_token() -> tuple[str, str]:
    """(cookie value, hash to store) for a new kiosk."""
    token = secrets.token_urlsafe(32)
    return _serializer().dumps(token), _digest(token)


def recognise() -> None:
    """Before every request: put the kiosk this device is on `g.kiosk`, or nothing."""
    value = request.cookies.get(COOKIE)
    if not value or request.endpoint == "static":
        return
    try:
        token = _serializer().loads(value)
    except BadSignature:
        return
    g.kiosk = Kiosk.live_by_token_hash(_digest(token))


def set_cookie(response, value: str) -> None:
    response.set_cookie(COOKIE, value, max_age=FIVE_YEARS, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
