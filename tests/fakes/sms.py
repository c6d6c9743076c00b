"""`FakeSmsGateway`: the generic SMS gateway protocol of `webapp.integrations.sms_gateway`.

It enforces idempotency by `reference` (a resend sends nothing and answers like the first
time; the same reference with different content answers 409) and can be told to fail or to
answer late, which together let tests prove that a retry after a timeout does not send twice.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from tests.fakes.server import Fault, FaultQueue

_MSISDN = re.compile(r"84[35789]\d{8}")
# Four concatenated GSM-7 parts; longer brand-name messages are refused by most gateways.
MAX_TEXT_LENGTH = 612


class FakeSmsGateway:
    """An in-memory SMS gateway with one API key and a set of registered brand names."""

    def __init__(self, api_key: str = "fake-sms-key", senders: set[str] | None = None) -> None:
        self.api_key = api_key
        self.senders = {"TAYNINH-DVC"} if senders is None else set(senders)
        self.requests: list[dict[str, Any]] = []  # every well-authenticated request body
        self.sent_messages: list[dict[str, Any]] = []  # messages actually "sent", once each
        self._by_reference: dict[str, dict[str, Any]] = {}
        self._faults = FaultQueue()
        self._lock = threading.Lock()

    def fail_next(
        self, count: int = 1, *, http_status: int | None = None, delay: float = 0.0
    ) -> None:
        """Make the next `count` sends answer `http_status` (sending nothing), and/or answer
        only after `delay` seconds (having sent the message when no status is given)."""
        self._faults.add("messages", count, Fault(http_status=http_status, delay=delay))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        response = self._dispatch(Request(environ))
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        if request.path.rstrip("/") != "/messages":
            return _json({"error": "not_found"}, 404)
        if request.method != "POST":
            return _json({"error": "method_not_allowed"}, 405)
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return _json({"error": "unauthorized"}, 401)
        fault = self._faults.take("messages")
        if fault and fault.refuses:
            time.sleep(fault.delay)
            return _json({"error": "injected_failure"}, fault.http_status or 500)
        response = self._on_message(request)
        if fault:
            time.sleep(fault.delay)
        return response

    def _on_message(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _json({"error": "invalid_json"}, 400)
        with self._lock:
            self.requests.append(body)
        problem = self._problem(body)
        if problem:
            status, error = problem
            return _json({"error": error}, status)
        return self._accept(body)

    def _problem(self, body: dict[str, Any]) -> tuple[int, str] | None:
        """(HTTP status, error code) for a message the gateway refuses, or None."""
        if not body.get("reference"):
            return 422, "missing_reference"
        if not _MSISDN.fullmatch(str(body.get("to", ""))):
            return 422, "invalid_phone"
        if body.get("from") not in self.senders:
            return 403, "sender_not_allowed"
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            return 422, "empty_text"
        if len(text) > MAX_TEXT_LENGTH:
            return 422, "text_too_long"
        return None

    def _accept(self, body: dict[str, Any]) -> Response:
        content = {key: body[key] for key in ("to", "from", "text")}
        with self._lock:
            earlier = self._by_reference.get(body["reference"])
            if earlier is not None:
                if {key: earlier[key] for key in content} != content:
                    return _json({"error": "reference_conflict"}, 409)
                return _json({"id": earlier["id"], "status": "queued"}, 200)
            message = {
                **content,
                "reference": body["reference"],
                "id": f"sms-{len(self.sent_messages) + 1}",
            }
            self._by_reference[body["reference"]] = message
            self.sent_messages.append(message)
        return _json({"id": message["id"], "status": "queued"}, 202)


def _json(payload: dict[str, Any], status: int) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")
