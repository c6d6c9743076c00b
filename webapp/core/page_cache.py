"""Anonymous public pages served from a per-process cache, without rendering them.

A view opts in with `@cached_page(...)`. The first anonymous visitor's answer is rendered as
usual; an after-request hook then keeps its bytes with this answer's CSP nonce and CSRF token
replaced by placeholders, and the WSGI middleware (`PageCache`, wrapped around the whole app)
keeps its final headers the same way. The next visitor whose request has the same key gets
that page without entering Flask: the placeholders replaced by a fresh nonce and her own
session's token (made, with her session cookie, if she has none yet), compressed as she
accepts, or a 304 when her browser holds it (the ETag is core/conditional.py's).

What makes a cached page wrong for the next visitor, and what stops each:
- another visitor's nonce or token: both are replaced on every answer, in the body and in the
  headers (the CSP names the nonce);
- what a template reads from the request: the key is the scheme, the Host and
  X-Forwarded-Proto (so the trusted-host check and HSTS stay Flask's), the path and query
  string (the settings form's "next" and the sign-in link carry it), every cookie but the
  session (language, text size, contrast, the news commune, any cookie a room adds later), and
  what the user agent says of Zalo (core/webview.py);
- a person, not a page: a request is served from the cache only when her session holds
  nothing but her CSRF token (no sign-in, no flashed message, no look-up grant, no flow in
  progress), with no kiosk cookie, no htmx header and no Authorization; a page is kept only
  when, at the end of its rendering, the same holds, nobody is signed in (core/actors.py), no
  kiosk was recognised, no flashed message was shown, it set no cookie but the session's, and
  it is a 200 HTML page core/conditional.py gave an ETag (so no Cache-Control of its own);
- data that changed: each page names a `stamp`, a cheap function of the data it shows (the
  catalogue's rows and their updated_at, say), compared on every answer from the cache: a
  different stamp (or one that cannot be read) renders the page again. No page is kept longer
  than PAGE_CACHE_SECONDS, for what no stamp names (today's date), and a view whose figures
  are counted every so often shortens it with `keep_for` (the public figures).

An answer from the cache runs none of Flask's hooks, so it writes its own request log line and
metrics; pages that a hook must see (rate limits, audit) are never marked `@cached_page`.

Memory: at most PAGE_CACHE_ENTRIES pages and PAGE_CACHE_BYTES bytes (bodies and headers) per
process, the least recently served going first (PAGE_CACHE_ENTRIES = 0 turns it off), and at
most SESSIONS_REMEMBERED anonymous sessions.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import Flask, current_app, g, request, session
from flask.globals import request_ctx
from werkzeug.http import parse_etags

from webapp.core import actors, compression, conditional, metrics, request_log
from webapp.core.db import database
from webapp.core.kiosk import DEVICE_COOKIE, current_kiosk
from webapp.core.security import CSRF_FIELD, content_security_policy
from webapp.core.webview import in_zalo, zalo_theme

NONCE_MARK = b"@@page-cache-nonce@@"
TOKEN_MARK = b"@@page-cache-csrf@@"
ENVIRON_KEY = "webapp.page_cache"
# Headers made again for each answer, never kept from the first one.
ANSWER_HEADERS = {"content-length", "content-encoding", "etag", "set-cookie", "date", "server"}
Stamp = Callable[[], Hashable]
SESSIONS_REMEMBERED, SESSION_SECONDS = 10_000, 60  # about 1 MB at most


def cached_page(stamp: Stamp | None = None):
    """Let anonymous visitors get this view's page from the cache. `stamp()`, called with an
    app context and a database connection, changes when the data the page shows changes."""
    def mark(view):
        view.page_cache = stamp
        return view
    return mark


def keep_for(seconds: float) -> None:
    """Called by a view while it renders: keep this page at most `seconds` (figures counted
    every so often are new after that)."""
    g.page_cache_seconds = min(seconds, g.get("page_cache_seconds", seconds))


@dataclass
class Entry:
    body: bytes  # with NONCE_MARK and TOKEN_MARK
    headers: list[tuple[str, str]]  # likewise
    digest: bytes  # of the page without nonce and token (core/conditional.py's ETag)
    stamp: Hashable
    stamp_of: Stamp | None
    until: float  # _now()
    route: str
    size: int


class Store:
    """The pages of one process, least recently served first."""

    def __init__(self, entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = entries, max_bytes
        self.bytes = 0
        self._pages: OrderedDict[tuple, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._pages.get(key)
            if entry is not None:
                self._pages.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if entry.size > self.max_bytes:
            return
        with self._lock:
            self._drop(key)
            self._pages[key] = entry
            self.bytes += entry.size
            while len(self._pages) > self.max_entries or self.bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def forget(self, key: tuple) -> None:
        with self._lock:
            self._drop(key)

    def _drop(self, key: tuple) -> None:
        old = self._pages.pop(key, None)
        if old is not None:
            self.bytes -= old.size


def request_key(environ: dict, cookies, session_cookie: str) -> tuple:
    """Everything of the request a public page may depend on, apart from the session."""
    agent = environ.get("HTTP_USER_AGENT", "")
    return (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"),
            environ.get("HTTP_X_FORWARDED_PROTO"), environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
            tuple(sorted((name, value) for name, value in cookies.items(multi=True)
                         if name != session_cookie)),
            in_zalo(agent), zalo_theme(agent))


def _only_a_token(data) -> bool:
    return set(data) <= {CSRF_FIELD}


class PageCache:
    """WSGI middleware: answers from the store, or lets the app render and keeps its page."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.store = Store(app.config["PAGE_CACHE_ENTRIES"], app.config["PAGE_CACHE_BYTES"])
        self._sessions: dict[str, tuple[dict, float]] = {}

    def __call__(self, environ, start_response):
        if (environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or "HTTP_HX_REQUEST" in environ
                or "HTTP_AUTHORIZATION" in environ or not self.store.max_entries):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        key, answer = self._from_store(environ)
        if answer is not None:
            status, headers, body, route = answer
            start_response(status, headers)
            request_log.log_line(environ["REQUEST_METHOD"], route, int(status[:3]),
                                 (time.perf_counter() - started) * 1000)
            metrics.observe(environ["REQUEST_METHOD"], route, int(status[:3]),
                            time.perf_counter() - started)
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        if key is None:
            return self.wsgi_app(environ, start_response)
        environ[ENVIRON_KEY] = None  # the after-request hook puts the page here if it is public
        return self._render(environ, start_response, key)

    def _from_store(self, environ) -> tuple[tuple | None, tuple | None]:
        """(the request's key, or None when no page may be kept for it; the kept answer as
        (status, headers, body, route) or None)."""
        incoming = self.app.request_class(environ)
        cookies = incoming.cookies
        if DEVICE_COOKIE in cookies:
            return None, None
        sessions = self.app.session_interface
        key = request_key(environ, cookies, sessions.get_cookie_name(self.app))
        entry = self.store.get(key)
        if entry is None:
            return key, None
        visitor = self._visitor(incoming, cookies.get(sessions.get_cookie_name(self.app)))
        if visitor is None or not _only_a_token(visitor):
            return key, None
        if _now() >= entry.until or (entry.stamp_of is not None
                                     and self._stamp(entry.stamp_of) != entry.stamp):
            self.store.forget(key)  # rendered again: Flask also answers if the database fails
            return key, None
        token = visitor.get(CSRF_FIELD)
        cookie = []
        if not token:  # her first page: her token and session cookie, as Flask would make them
            visitor[CSRF_FIELD] = token = secrets.token_urlsafe(32)
            jar = self.app.response_class()
            sessions.save_session(self.app, visitor, jar)
            cookie = [("Set-Cookie", value) for value in jar.headers.getlist("Set-Cookie")]
        status, headers, body = _answer(entry, token, environ,
                                        self.app.config["COMPRESS_MIN_BYTES"])
        return key, (status, headers + cookie, body, entry.route)

    def _visitor(self, incoming, cookie: str | None):
        """Her session as Flask would open it. Checking its signature is a third of an answer
        from the cache, so the sessions that hold only a token are remembered for a minute by
        their cookie's exact text (the same text always opens to the same session)."""
        now = _now()
        known = self._sessions.get(cookie) if cookie else None
        if known is not None and known[1] > now:
            return self.app.session_interface.session_class(known[0])
        visitor = self.app.session_interface.open_session(self.app, incoming)
        if cookie and visitor is not None and _only_a_token(visitor):
            if len(self._sessions) >= SESSIONS_REMEMBERED:
                self._sessions.clear()
            self._sessions[cookie] = (dict(visitor), now + SESSION_SECONDS)
        return visitor

    def _stamp(self, stamp_of: Stamp) -> Hashable:
        """The page's data stamp now, on a pooled connection like a request's (core/db.py)."""
        with self.app.app_context():
            try:
                database.connect(reuse_if_open=True)
                return stamp_of()
            except Exception:  # the database is down: the page's own request says so
                return _UNKNOWN
            finally:
                if not database.is_closed():
                    database.close()

    def _render(self, environ, start_response, key: tuple):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        pending = environ.get(ENVIRON_KEY)
        if pending is not None and captured.get("status", "").startswith("200"):
            self._keep(key, pending, captured["headers"])
        return body

    def _keep(self, key: tuple, pending: dict, headers: list[tuple[str, str]]) -> None:
        nonce, token = pending["nonce"], pending["token"]
        kept = [(name, _marked(value.encode("latin-1"), nonce, token).decode("latin-1"))
                for name, value in headers if name.lower() not in ANSWER_HEADERS]
        # Whether an answer is compressed is decided for each visitor (_answer).
        kept = [(name, ", ".join(part for part in (p.strip() for p in value.split(","))
                                 if part.lower() != "accept-encoding"))
                if name.lower() == "vary" else (name, value) for name, value in kept]
        body = pending["body"]
        size = len(body) + sum(len(name) + len(value) for name, value in kept)
        self.store.put(key, Entry(body, kept, pending["digest"], pending["stamp"],
                                  pending["stamp_of"], pending["until"], pending["route"], size))


def _now() -> float:
    """The clock of a kept page's lifetime (tests move it)."""
    return time.monotonic()


def _marked(data: bytes, nonce: str | None, token: str | None) -> bytes:
    if nonce:
        data = data.replace(nonce.encode(), NONCE_MARK)
    if token:
        data = data.replace(token.encode(), TOKEN_MARK)
    return data


def _answer(entry: Entry, token: str, environ: dict, min_bytes: int):
    """The kept page for this visitor, as (status, headers, body): a fresh nonce, her token,
    her encoding; or a 304 without a body when her browser holds it."""
    etag = conditional.etag_of(entry.digest, token)
    if etag in environ.get("HTTP_IF_NONE_MATCH", "") and parse_etags(
            environ["HTTP_IF_NONE_MATCH"]).contains_weak(etag):
        headers = [(name, value) for name, value in entry.headers
                   if name.lower() not in ("content-type", "content-security-policy")]
        headers += [("Content-Security-Policy", content_security_policy(with_nonce=False)),
                    ("ETag", f'W/"{etag}"')]
        return "304 NOT MODIFIED", headers, b""
    nonce = secrets.token_urlsafe(16)
    body = entry.body.replace(NONCE_MARK, nonce.encode()).replace(TOKEN_MARK, token.encode())
    mark = NONCE_MARK.decode()
    headers = [(name, value.replace(mark, nonce) if mark in value else value)
               for name, value in entry.headers]
    body, encoding = compression.encode(body, environ.get("HTTP_ACCEPT_ENCODING", ""), min_bytes)
    if encoding:
        headers = [(name, f"{value}, Accept-Encoding" if name.lower() == "vary" else value)
                   for name, value in headers]
        headers.append(("Content-Encoding", encoding))
    headers += [("Content-Length", str(len(body))), ("ETag", f'W/"{etag}"')]
    return "200 OK", headers, body


_NOT_OPTED = object()
_UNKNOWN = object()  # a stamp that could not be read: equal to none


def _opted_in():
    """The view's stamp function (None if it has none) if this request may fill the cache,
    else _NOT_OPTED."""
    if ENVIRON_KEY not in request.environ or request.method != "GET":
        return _NOT_OPTED
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "page_cache", _NOT_OPTED)


def _stamp_first() -> None:
    """The data's stamp before the page reads the data: a change while it renders leaves the
    kept page with the older stamp, so the next answer renders it again."""
    stamp_of = _opted_in()
    if stamp_of is not _NOT_OPTED and stamp_of is not None:
        g.page_stamp = stamp_of()


def _keep_page(response):
    """After a view's answer, before it is compressed: keep it if it is a public page."""
    stamp_of = _opted_in()
    if (stamp_of is _NOT_OPTED or response.status_code != 200 or response.mimetype != "text/html"
            or response.is_streamed or response.direct_passthrough
            or "Cache-Control" in response.headers or "Set-Cookie" in response.headers
            or actors.current() is not None or current_kiosk() is not None
            or request_ctx.flashes or not _only_a_token(session)):
        return response
    nonce, token = g.get("csp_nonce"), session.get(CSRF_FIELD)
    raw = response.get_data()
    longest = current_app.config["PAGE_CACHE_SECONDS"]
    request.environ[ENVIRON_KEY] = {
        "body": _marked(raw, nonce, token), "nonce": nonce, "token": token,
        "digest": conditional.page_digest(raw, nonce, token),
        "stamp": g.get("page_stamp"), "stamp_of": stamp_of,
        "until": _now() + min(longest, g.get("page_cache_seconds", longest)),
        "route": request.url_rule.rule if request.url_rule else "<unmatched>"}
    return response


def init_app(app: Flask) -> None:
    """Registered after core/conditional.py, so its hook runs before compression and the ETag
    (after-request hooks run in reverse), and its middleware wraps the whole app."""
    app.before_request(_stamp_first)
    app.after_request(_keep_page)
    cache = PageCache(app, app.wsgi_app)
    app.wsgi_app = cache
    app.extensions["page_cache"] = cache.store
