"""Client for a brand-name SMS gateway speaking a small, generic HTTP protocol.

Vietnamese brand-name gateways (eSMS, VietGuys, VNPT, Viettel...) each have their own API; this
app speaks one simple protocol, and an operator points it at a gateway that speaks it or at a
thin adapter in front of their provider.

Protocol
--------
Request::

    POST {base_url}/messages
    Authorization: Bearer <api_key>
    Content-Type: application/json

    {"to": "84912345678", "from": "<brand name>", "text": "...", "reference": "<unique id>"}

- `to`: Vietnamese mobile number, `84` + 9 digits.
- `from`: the registered brand name (sender id).
- `text`: the message. Brand-name routes usually require text without diacritics and limit
  the length; the caller decides the text.
- `reference`: the caller's unique id for this message. The gateway MUST be idempotent on it:
  a second request with the same reference and the same content sends nothing and answers like
  the first; the same reference with different content answers 409.

Answers:

- 200, 201 or 202 with `{"id": "<gateway message id>", "status": "queued"}`: accepted.
- 400 or 422 `{"error": "<code>", "message": "..."}`: the request is wrong; not retryable.
- 401 or 403: bad API key or sender not allowed (a configuration problem); not retryable.
- 409: the reference was used for a different message; not retryable.
- 429 (optionally with Retry-After) and 5xx: retry later with the same reference.

Because of the idempotent reference, every "could not tell" case (timeouts, 5xx, a 2xx without
an id) is safe to retry.
"""

from __future__ import annotations

import logging
from typing import Any

import requests

from webapp.core.phones import mask_phone, to_msisdn
from webapp.integrations.results import SendError, SendResult, json_object, transport_failure

log = logging.getLogger(__name__)

_ACCEPTED = {200, 201, 202}
_CLIENT_ERRORS = {400, 422}
_AUTH_ERRORS = {401, 403}


class SmsGatewayClient:
    """Sends SMS through one gateway account and brand name."""

    def __init__(self, base_url: str, api_key: str, sender: str, timeout: float = 10) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.sender = sender
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"SmsGatewayClient(base_url={self.base_url!r}, sender={self.sender!r})"

    def send(self, phone: str, text: str, reference: str) -> SendResult:
        """Send one SMS; a retry must reuse the same `reference` so it is not sent twice."""
        try:
            msisdn = to_msisdn(phone)
        except ValueError:
            return SendResult.failed(SendError.INVALID_PHONE, retryable=False)
        payload = {"to": msisdn, "from": self.sender, "text": text, "reference": reference}
        try:
            response = requests.post(
                f"{self.base_url}/messages",
                json=payload,
                headers={"Authorization": f"Bearer {self._api_key}"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            log.warning("SMS %s to %s: %s", reference, mask_phone(msisdn), type(exc).__name__)
            return transport_failure(exc)
        result = _result_from_response(response)
        if not result.ok:
            log.info(
                "SMS %s to %s not sent: %s (%s)",
                reference,
                mask_phone(msisdn),
                result.error_code,
                result.error_detail,
            )
        return result


def _result_from_response(response: requests.Response) -> SendResult:
    """Map one gateway answer to a SendResult, following the module's protocol."""
    status = response.status_code
    body = json_object(response)
    detail = _detail(status, body)
    if status in _ACCEPTED:
        message_id = body.get("id") if body else None
        if not message_id:
            # Probably accepted, but without an id we cannot track it; the reference makes
            # a retry harmless.
            return SendResult.failed(SendError.BAD_RESPONSE, retryable=True, detail=detail)
        return SendResult.sent(str(message_id))
    if status == 429:
        return SendResult.failed(SendError.RATE_LIMITED, retryable=True, detail=detail)
    if status >= 500:
        return SendResult.failed(SendError.PROVIDER_UNAVAILABLE, retryable=True, detail=detail)
    if status in _AUTH_ERRORS:
        return SendResult.failed(SendError.AUTH_FAILED, retryable=False, detail=detail)
    if status == 409:
        return SendResult.failed(SendError.REFERENCE_CONFLICT, retryable=False, detail=detail)
    if status in _CLIENT_ERRORS and body and body.get("error") == "invalid_phone":
        return SendResult.failed(SendError.INVALID_PHONE, retryable=False, detail=detail)
    return SendResult.failed(SendError.REJECTED, retryable=False, detail=detail)



def _detail(status: int, body: dict[str, Any] | None) -> str:
    """A short technical note for logs and the operator, never shown to citizens."""
    error = body.get("error") if body else None
    return f"http_{status}: {error}" if error else f"http_{status}"
