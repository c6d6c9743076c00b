"""`FakeEsms`: eSMS.vn's `SendMultipleMessage_V4_post_json` and its delivery reports.

It answers as eSMS's published API does (HTTP 200, `CodeResult` a string):
100 accepted (with an SMSID), 101 wrong ApiKey/SecretKey, 103 balance too low, 104 unknown
brand name, 108 bad phone number, 99 a blocked number, 146 a text that matches no template
registered for the brand name (with an SMSID, as eSMS sends one), 124 a RequestId already used
within 24 hours (nothing sent again, no SMSID), 300 a missing SmsType. `Sandbox` "1" checks
everything but neither stores, charges nor delivers. `fail_next(delay=...)` does the work and
answers late, which the client sees as a lost answer; `fail_next(http_status=...)` fails
without doing anything.

Registered templates are written as eSMS shows them (`{P1,20}` is a variable part of at most
20 characters); with `templates=None` every text is accepted.

`report(...)` plays eSMS's delivery report: an HTTP GET to the message's CallbackUrl with
SMSID, SendStatus, SendSuccess, SendFailed, RequestId, phonenumber and the other fields of
eSMS's sample callback.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

import requests
from werkzeug.wrappers import Request, Response

from tests.fakes.server import Fault, FaultQueue

SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
_PHONE = re.compile(r"(0|84)[35789]\d{8}")
_VARIABLE = re.compile(r"\{P\d+,(\d+)\}")
PRICE = 800  # dong per SMS
REQUEST_ID_WINDOW = 24 * 3600  # seconds in which a RequestId is remembered


def template_pattern(template: str) -> re.Pattern:
    """A registered template as a pattern: literal text, and each {Pn,len} any 1..len chars."""
    parts, last = [], 0
    for match in _VARIABLE.finditer(template):
        parts.append(re.escape(template[last:match.start()]))
        parts.append(f".{{1,{int(match.group(1))}}}")
        last = match.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.DOTALL)


class FakeEsms:
    """An in-memory eSMS account with one key pair, its brand names and their templates."""

    def __init__(
        self,
        api_key: str = "fake-esms-key",
        secret_key: str = "fake-esms-secret",
        brandnames: Iterable[str] = ("TAYNINH-DVC",),
        templates: Iterable[str] | None = None,
        balance: int = 1_000_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api_key = api_key
        self.secret_key = secret_key
        self.brandnames = set(brandnames)
        self.balance = balance
        self.blocked_phones: set[str] = set()
        self.clock = clock
        self.requests: list[dict[str, Any]] = []  # every request body
        self.sent_messages: list[dict[str, Any]] = []  # accepted and charged, once each
        self.sandbox_messages: list[dict[str, Any]] = []
        self._templates: list[re.Pattern] | None = None
        self.register_templates(templates)
        self._request_ids: dict[str, float] = {}
        self._faults = FaultQueue()
        self._lock = threading.Lock()

    # --- test controls ---------------------------------------------------------------------

    def register_templates(self, templates: Iterable[str] | None) -> None:
        """The brand name's registered texts ({P1,20} placeholders); None accepts any text."""
        self._templates = None if templates is None else [template_pattern(t) for t in templates]

    def fail_next(self, count: int = 1, *, http_status: int | None = None,
                  delay: float = 0.0) -> None:
        """The next `count` sends answer `http_status` (sending nothing), and/or answer only
        after `delay` seconds (having sent the message when no status is given)."""
        self._faults.add("send", count, Fault(http_status=http_status, delay=delay))

    def report(self, message: dict[str, Any], *, delivered: bool = True,
               send_status: str = "5") -> requests.Response:
        """eSMS's delivery report of a sent message: a GET to its CallbackUrl."""
        query = {
            "SMSID": message["SMSID"],
            "SendFailed": "0" if delivered else "1",
            "SendStatus": send_status,
            "SendSuccess": "1" if delivered else "0",
            "TotalPrice": f"{PRICE}.0000",
            "TotalReceiver": "1",
            "TotalSent": "1",
            "RequestId": message.get("RequestId", ""),
            "TypeId": "2",
            "telcoid": "1",
            "phonenumber": message["Phone"],
            "switchsmsid": "",
        }
        return requests.get(f"{message['CallbackUrl']}?{urlencode(query)}", timeout=10)

    # --- WSGI ------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        response = self._dispatch(Request(environ))
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        if request.path != SEND_PATH:
            return Response("Endpoint not found.", status=404, mimetype="text/html")
        if request.method != "POST":
            return Response("Method not allowed.", status=405, mimetype="text/html")
        fault = self._faults.take("send")
        if fault and fault.refuses:
            time.sleep(fault.delay)
            return Response("Service Unavailable", status=fault.http_status or 500,
                            mimetype="text/html")
        body = request.get_json(silent=True, force=True)
        answer = self._send(body) if isinstance(body, dict) else {"error": "Invalid request"}
        if fault:
            time.sleep(fault.delay)
        return _json(answer)

    def _send(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.requests.append(body)
            refusal = self._refusal(body)
            if refusal:
                return refusal
            if self._seen_request_id(body):
                return _answer("124", ErrorMessage="Request exist 1", SendStatus="5")
            return self._accept(body)

    def _refusal(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """The answer for a request eSMS would refuse, or None."""
        if body.get("ApiKey") != self.api_key or body.get("SecretKey") != self.secret_key:
            return _answer("101", ErrorMessage="Authorize Failed")
        if body.get("SmsType") != "2":
            return _answer("300", ErrorMessage="Missing message type")
        if body.get("Brandname") not in self.brandnames:
            return _answer("104", ErrorMessage="Brand name code is not exist")
        phone = str(body.get("Phone") or "")
        if not _PHONE.fullmatch(phone):
            return _answer("108", ErrorMessage="Phone number is not in correct format")
        if phone in self.blocked_phones:
            return _answer("99", ErrorMessage="The phone number is blocked in the system")
        if not self._matches_a_template(str(body.get("Content") or "")):
            return _answer("146", ErrorMessage="Sai template Brandname CSKH", SMSID=_sms_id())
        if self.balance < PRICE and body.get("Sandbox") != "1":
            return _answer("103", ErrorMessage="Not enough balance")
        return None

    def _matches_a_template(self, content: str) -> bool:
        if self._templates is None:
            return bool(content)
        return any(pattern.fullmatch(content) for pattern in self._templates)

    def _seen_request_id(self, body: dict[str, Any]) -> bool:
        """True when the RequestId was used within the window; else remember it."""
        request_id = str(body.get("RequestId") or "")
        if not request_id or body.get("Sandbox") == "1":
            return False
        now = self.clock()
        seen_at = self._request_ids.get(request_id)
        if seen_at is not None and now - seen_at < REQUEST_ID_WINDOW:
            return True
        self._request_ids[request_id] = now
        return False

    def _accept(self, body: dict[str, Any]) -> dict[str, Any]:
        message = {**body, "SMSID": _sms_id()}
        if body.get("Sandbox") == "1":
            self.sandbox_messages.append(message)
        else:
            self.balance -= PRICE
            self.sent_messages.append(message)
        return _answer("100", SMSID=message["SMSID"])


def _sms_id() -> str:
    return secrets.token_hex(16)


def _answer(code: str, **fields: str) -> dict[str, Any]:
    return {"CodeResult": code, "CountRegenerate": 0, **fields}


def _json(payload: dict[str, Any]) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False), status=200,
                    mimetype="application/json")
