"""Security plumbing shared by every room: CSRF tokens, a per-request CSP nonce, headers.

CSRF: every state-changing request must carry the session's token, either as the hidden field
`csrf_token` (plain forms, no JS needed) or as the `X-CSRF-Token` header (htmx requests; the
base layout puts it in `hx-headers`). GET never changes state, so it is never checked.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def csrf_token() -> str:
    """Return this visitor's CSRF token, making one on first use."""
    token = session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def csrf_field() -> Markup:
    """The hidden input every POST form carries."""
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{csrf_token()}">')


def _check_csrf() -> None:
    if request.method in SAFE_METHODS:
        return
    expected = session.get(CSRF_FIELD)
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD)
    # No token in the session or none sent: refused before comparing anything.
    if not expected or not sent or not hmac.compare_digest(str(expected), str(sent)):
        abort(400, description="csrf")


def csp_nonce() -> str:
    """A fresh nonce for this request's <script> tags."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(with_nonce: bool = True) -> str:
    """A strict policy: our own files only, scripts by nonce, no inline script or eval. Without
    the nonce for a 304, whose stored page keeps its own (core/conditional.py)."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{csp_nonce()}'" if with_nonce else "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "media-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


# Sent with every answer that does not set its own (tests/core/test_security.py checks each
# word for word). HSTS is added over https only, see below.
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "geolocation=(), microphone=(), camera=(self)",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS_HEADER = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    for name, value in HEADERS.items():
        headers.setdefault(name, value)
    # Browsers only heed HSTS over https, so sending it on every https answer is harmless and
    # covers a deployment that forgot HSTS=1; HSTS=1 also covers a proxy that hides https.
    if current_app.config.get("HSTS") or request.is_secure:
        headers.setdefault(*HSTS_HEADER)
    return response


def safe_next_url(candidate: str | None, fallback: str) -> str:
    """Accept only a path on this site as a redirect target (no open redirects)."""
    if not candidate:
        return fallback
    # Browsers read "/\\evil" as "//evil" and drop tabs and newlines: refuse both outright.
    if "\\" in candidate or any(ord(c) < 0x20 or ord(c) == 0x7F for c in candidate):
        return fallback
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or not candidate.startswith("/") or candidate.startswith("//"):
        return fallback
    return candidate


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, its serializer made once per set of keys rather than
    twice a request (making one signs a test string: a fifth of an answer from the page cache,
    core/page_cache.py). A serializer keeps no state of a request, so threads share it."""

    def __init__(self) -> None:
        self._made: tuple[tuple, object] | None = None

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made = self._made
        if made is None or made[0] != keys:
            made = self._made = (keys, super().get_signing_serializer(app))
        return made[1]


def init_app(app: Flask) -> None:
    """Check CSRF before every request and add the security headers after it."""
    proxies = app.config["PROXY_COUNT"]  # config.from_environment always sets it
    if proxies:
        # Trust exactly this many proxies' X-Forwarded-For/-Proto, so the visitor's address
        # (rate limits, audit log) and https (HSTS, Secure cookies) are seen, and no more.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.session_interface = SessionInterface()
    app.before_request(_check_csrf)
    app.after_request(_add_security_headers)
    app.jinja_env.globals.update(csrf_token=csrf_token, csrf_field=csrf_field, csp_nonce=csp_nonce)
