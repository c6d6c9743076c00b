"""Request logs an operator can use, with no personal data in them.

Only the method, the route pattern (not the path, which may carry a dossier code), the status
and the time are logged: never query strings, form fields, cookies or IP addresses.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, g, request

logger = logging.getLogger("webapp.requests")


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.pop("request_started", None)
    elapsed_ms = (time.perf_counter() - started) * 1000 if started else 0.0
    route = request.url_rule.rule if request.url_rule else "<unmatched>"
    log_line(request.method, route, response.status_code, elapsed_ms)
    return response


def log_line(method: str, route: str, status: int, elapsed_ms: float) -> None:
    """One request's line; also for the pages served from the cache (core/page_cache.py)."""
    logger.info("%s %s %s %.1fms", method, route, status, elapsed_ms)


def init_app(app: Flask) -> None:
    """Time every request and log one line about it."""
    logging.basicConfig(
        level=app.config.get("LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app.before_request(_start_timer)
    app.after_request(_log_request)
