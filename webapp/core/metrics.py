"""Metrics in Prometheus's text format at `/metrics`, for the operator's Prometheus only.

With `prometheus-client`, the maintained client of the Prometheus project:

* `webapp_requests_total{method, route, status}` and the latency histogram
  `webapp_request_seconds{method, route}`: by route *pattern* (`/ho-so/<code>`), never the path,
  which may carry a dossier's code; a bounded set of labels whatever is requested;
* `webapp_uploads_refused_total{reason}`: uploads refused, by the uploads room's codes;
* what rooms register with `register_collector` and is read from the database when Prometheus
  asks (the outbox's depth, the age of its oldest waiting message and its failed messages:
  `notifications`), so that every process reports the same truth.

Under gunicorn, each worker counts in files of PROMETHEUS_MULTIPROC_DIR (the client's
multiprocess mode) and the worker that answers `/metrics` adds them all up; gunicorn.conf.py
makes and empties that folder at start and marks each dead worker's files (`child_exit`).
The variable must be set before the client is imported, which gunicorn.conf.py does.

`/metrics` answers only with `Authorization: Bearer <METRICS_TOKEN>`: a 404 when no token is
configured (never public), a 401 for a missing or wrong token.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterable

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import Metric

EXTENSION = "metrics_collectors"
METHODS = {"GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter("webapp_requests", "Requests answered, by route pattern and status.",
                   ["method", "route", "status"])
LATENCY = Histogram("webapp_request_seconds", "Time to answer a request, by route pattern.",
                    ["method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
UPLOADS_REFUSED = Counter("webapp_uploads_refused", "Uploads refused, by reason.", ["reason"])


def upload_refused(reason: str) -> None:
    UPLOADS_REFUSED.labels(reason=reason).inc()


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response):
    started = g.pop("metrics_started", None)
    route = request.url_rule.rule if request.url_rule else "<unmatched>"
    observe(request.method, route, response.status_code,
            None if started is None else time.perf_counter() - started)
    return response


def observe(method: str, route: str, status: int, seconds: float | None) -> None:
    """Count one answer; also for the pages served from the cache (core/page_cache.py)."""
    method = method if method in METHODS else "other"
    REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    if seconds is not None:
        LATENCY.labels(method=method, route=route).observe(seconds)


def register_collector(app: Flask, collect: Callable[[], Iterable[Metric]]) -> None:
    """A room's metrics read when Prometheus asks (called from its `init_app`)."""
    app.extensions.setdefault(EXTENSION, []).append(collect)


class _Collected:
    """The rooms' collectors, as one prometheus_client collector."""

    def __init__(self, functions) -> None:
        self.functions = functions

    def collect(self):
        for function in self.functions:
            yield from function()


class _ThisProcess:
    """This process's own metrics (without gunicorn's multiprocess folder)."""

    def collect(self):
        return REGISTRY.collect()


def exposition() -> bytes:
    """Every metric in Prometheus's text format."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_Collected(current_app.extensions.get(EXTENSION, [])))
    return generate_latest(registry)


def metrics_view():
    """The metrics, for the bearer of METRICS_TOKEN only."""
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return Response("Unauthorized\n", 401, {"WWW-Authenticate": "Bearer",
                                                  "Cache-Control": "no-store"})
    return Response(exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST,
                                           "Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    """Count every request and serve /metrics."""
    app.before_request(_start)
    app.after_request(_observe)
    app.add_url_rule("/metrics", "metrics", metrics_view)
