"""Helpful error pages in the visitor's language, with a way forward on each."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from peewee import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# When the database cannot be reached (restarting, failing over, the network between the
# machines down), a visitor may try again in this many seconds.
DATABASE_RETRY_SECONDS = 30

UNKNOWN_HOST = "Unknown host.\n"


def _render_error(error: HTTPException):
    code = error.code or 500
    if request.url_rule is None and not _host_trusted():
        # A Host header outside TRUSTED_HOSTS: no page (its links would need that host).
        return UNKNOWN_HOST, 400, {"Content-Type": "text/plain; charset=utf-8"}
    template = {
        400: "errors/400.html", 403: "errors/403.html", 404: "errors/404.html",
        405: "errors/404.html", 413: "errors/413.html", 429: "errors/429.html",
    }.get(code, "errors/500.html")
    reason = getattr(error, "description", "")
    return render_template(template, reason=reason), code


def init_app(app: Flask) -> None:
    """Register the error handlers.

    Unhandled exceptions reach the HTTPException handler as InternalServerError once Flask has
    logged them; in tests they propagate instead, so a crash fails the test that caused it.
    """
    app.register_error_handler(HTTPException, _render_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)


def _database_unavailable(error: Exception):
    """The database did not answer: a 503 that says, in the visitor's language, that nothing
    she saved is lost and when to try again, instead of "something went wrong". One log line
    (the driver's message names the server, never a visitor's data), not a traceback per
    request while the database restarts."""
    log.error("database unavailable on %s %s: %s", request.method, request.url_rule,
              str(error).splitlines()[0] if str(error) else type(error).__name__)
    headers = {"Retry-After": str(DATABASE_RETRY_SECONDS)}
    try:  # the page without the header's account links, which read the session's row
        return render_template("errors/503.html", without_database=True), 503, headers
    except Exception:  # whatever else on the page needs the database: the words alone
        log.exception("the database-unavailable page could not be rendered")
        title = _("The service is briefly interrupted")
        words = _("We cannot reach our records at this moment. What you have already saved or "
                  "sent is kept safely. Please try again in a minute.")
        page = (f'<!doctype html><html lang="{get_locale() or "vi"}"><meta charset="utf-8">'
                f"<title>{title}</title><h1>{title}</h1><p>{words}</p>")
        return page, 503, {**headers, "Content-Type": "text/html; charset=utf-8"}


def _host_trusted() -> bool:
    try:
        request.host  # noqa: B018  (raises SecurityError when the host is not trusted)
    except Exception:  # werkzeug's SecurityError, a BadRequest
        return False
    return True
