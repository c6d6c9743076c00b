"""Serve a WSGI app on 127.0.0.1 in a background thread, for tests that need a real HTTP peer,
and the fault queue the fakes share to misbehave on request."""

from __future__ import annotations

import socket
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server


class _ProviderRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler, adjusted to play a provider's server.

    Werkzeug drops request headers whose names contain "_" (they could spoof "-" headers
    behind a proxy), but Zalo's API is built on exactly such headers (`secret_key`,
    `access_token`), so the fakes need to see them. The access log is kept out of test output.
    """

    def make_environ(self) -> dict[str, Any]:
        environ = super().make_environ()
        for key, value in self.headers.items():
            if "_" in key:
                environ.setdefault("HTTP_" + key.upper(), value.replace("\r\n", ""))
        return environ

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@contextmanager
def serve_wsgi(app: Callable[..., Any]) -> Iterator[str]:
    """Run `app` on an ephemeral loopback port and yield its base URL (no trailing slash).

    The server is threaded so that a deliberately slow answer (timeout tests) does not hold up
    other requests or the shutdown.
    """
    server = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=_ProviderRequestHandler
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port_url() -> str:
    """Return a loopback URL where nothing listens, to provoke a connection error."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@dataclass(frozen=True)
class Fault:
    """One injected misbehaviour: a provider error code, an HTTP status, and/or a delay.

    With only a delay, the request is handled normally and the answer comes late (the provider
    did the work but the caller may time out); with an error or status, nothing is done.
    """

    error: int | None = None
    http_status: int | None = None
    delay: float = 0.0

    @property
    def refuses(self) -> bool:
        """True when the request must fail instead of being handled."""
        return self.error is not None or self.http_status is not None


class FaultQueue:
    """Faults waiting for the next requests to each endpoint, consumed one per request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, deque[Fault]] = defaultdict(deque)

    def add(self, endpoint: str, count: int, fault: Fault) -> None:
        """Make the next `count` requests to `endpoint` misbehave as `fault` says."""
        with self._lock:
            self._pending[endpoint].extend([fault] * count)

    def take(self, endpoint: str) -> Fault | None:
        """Return (and consume) the fault for this request, if any."""
        with self._lock:
            queue = self._pending.get(endpoint)
            return queue.popleft() if queue else None

    def clear(self) -> None:
        """Forget every pending fault."""
        with self._lock:
            self._pending.clear()
