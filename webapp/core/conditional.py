"""Conditional requests for anonymous pages: an ETag on every page a visitor who is not signed
in gets, and "304 Not Modified" with no body when her browser already holds the same page.

Which answers: GET or HEAD, 200, HTML, nobody signed in, not an htmx fragment, and no
Cache-Control chosen by the view (pages with personal data say `private, no-store` and are
left alone). They get `Cache-Control: private, no-cache` (the browser keeps the page and asks
each time; no shared cache keeps it, since it carries the visitor's own CSRF token) and
`Vary: Cookie` (language, text size and session live in cookies).

Why it works with the strict CSP: each answer has a fresh nonce, so two renderings of the same
page differ by it. The ETag is a hash of the page *without* its nonce, so the same page has the
same ETag. A 304 makes the browser keep its stored page, whose scripts carry the old nonce, and
update the stored headers with the 304's: so a 304 carries the policy without a nonce
(`script-src 'self'`), which allows exactly what the stored page loads: every script of ours is
a file on this site, none is inline. The CSRF token is the visitor's, stable for her session,
so it is part of what is hashed: another session never matches.

This saves the sending; the pages that opt in to core/page_cache.py are not even rendered
again: it makes the same ETag from the digest it keeps.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, g, request, session

from webapp.core import actors
from webapp.core.security import CSRF_FIELD, content_security_policy

FRAGMENT_HEADER = "HX-Request"


def _applies(response: Response) -> bool:
    return (request.method in ("GET", "HEAD") and response.status_code == 200
            and response.mimetype == "text/html" and not response.is_streamed
            and not response.direct_passthrough and "Cache-Control" not in response.headers
            and FRAGMENT_HEADER not in request.headers and actors.current() is None)


def page_digest(body: bytes, nonce: str | None, token: str | None) -> bytes:
    """A hash of the page without this answer's CSP nonce and the visitor's CSRF token."""
    for varying in (nonce, token):
        if varying:
            body = body.replace(varying.encode(), b"")
    return hashlib.blake2b(body, digest_size=16).digest()


def etag_of(digest: bytes, token: str | None) -> str:
    """The page's ETag for this visitor: its digest and her token (another session's stored
    page carries another token, so it never matches). The page cache keeps the digest and
    makes the same ETag without hashing the page again (core/page_cache.py)."""
    return hashlib.blake2b(digest + (token or "").encode(), digest_size=16).hexdigest()


def _conditional(response: Response) -> Response:
    if not _applies(response):
        return response
    token = session.get(CSRF_FIELD)
    etag = etag_of(page_digest(response.get_data(), g.get("csp_nonce"), token), token)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Cookie")
    if not request.if_none_match.contains_weak(etag):
        response.set_etag(etag, weak=True)
        return response
    unchanged = Response(status=304)
    unchanged.set_etag(etag, weak=True)
    unchanged.headers["Cache-Control"] = "private, no-cache"
    unchanged.vary.add("Cookie")
    unchanged.headers["Content-Security-Policy"] = content_security_policy(with_nonce=False)
    return unchanged


def init_app(app: Flask) -> None:
    """Registered after compression, so that it runs before it: it hashes the page's own
    bytes, and a 304 has nothing to compress."""
    app.after_request(_conditional)
