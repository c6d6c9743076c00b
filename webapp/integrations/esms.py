"""Client for eSMS.vn (ViHAT), a Vietnamese brand-name SMS gateway, in its published JSON API.

Sending (customer care / OTP messages, one request per SMS)::

    POST {base}/MainService.svc/json/SendMultipleMessage_V4_post_json/
    {"ApiKey", "SecretKey", "Phone", "Content", "Brandname", "SmsType": "2",
     "IsUnicode": "0"|"1", "Sandbox": "0"|"1", "RequestId", "CallbackUrl"}

eSMS answers HTTP 200 with `{"CodeResult": "100", "SMSID": ...}` when it took the message, or
another `CodeResult` (a string) and an `ErrorMessage`. What each code means for the caller:

- 100: accepted (100 is "eSMS has it", not "delivered": the delivery report says that).
- 124: `RequestId` already used within 24 hours, so the message was accepted before (the first
  answer was lost): success, without an SMSID. `RequestId` is derived from the outbox
  reference, which makes every retry safe.
- 146: the text does not match a template registered for the brand name: a person must
  register it (`flask notifications sms-templates` prints every text); final.
- 103 (balance too low) and 140 (this server's address is not on eSMS's list): a person must
  act, and may do so within the hours the worker keeps retrying; retryable.
- 101 (keys), 102 (no price list), 104 (unknown brand name), 177 (brand name not registered
  with the recipient's network): settings or account; final.
- 108 (bad number), 99 (number blocked): final for this recipient.
- HTTP 5xx, unreadable answers, timeouts: retryable with the same RequestId.

`Sandbox` "1" (staging): eSMS checks the request but neither stores, charges nor delivers it.
`CallbackUrl`: eSMS reports the final status there with an HTTP GET (`SMSID`, `RequestId`,
`SendStatus`, `SendSuccess`, `SendFailed`, `phonenumber`...); see
`webapp.notifications.delivery_reports`.
"""

from __future__ import annotations

import hashlib
import logging

import requests

from webapp.core.phones import mask_phone, normalize_mobile
from webapp.integrations.results import SendError, SendResult, json_object, transport_failure

log = logging.getLogger(__name__)

SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
CUSTOMER_CARE = "2"  # SmsType of customer care and OTP texts sent under a brand name
REQUEST_ID_MAX = 50  # eSMS's limit on RequestId

_RETRY, _FINAL = True, False
ESMS_CODES: dict[str, tuple[SendError, bool]] = {
    "99": (SendError.RECIPIENT_CANNOT_RECEIVE, _FINAL),  # number blocked (or a bad request)
    "101": (SendError.AUTH_FAILED, _FINAL),  # ApiKey or SecretKey wrong
    "102": (SendError.PROVIDER_CONFIGURATION, _FINAL),  # no price list for the account
    "103": (SendError.BALANCE_TOO_LOW, _RETRY),
    "104": (SendError.PROVIDER_CONFIGURATION, _FINAL),  # brand name unknown
    "108": (SendError.INVALID_PHONE, _FINAL),
    "140": (SendError.PROVIDER_CONFIGURATION, _RETRY),  # server address not allowed
    "146": (SendError.SMS_TEMPLATE_MISMATCH, _FINAL),
    "177": (SendError.PROVIDER_CONFIGURATION, _FINAL),  # brand name not on that network
}
ACCEPTED, ALREADY_ACCEPTED = "100", "124"


def request_id(reference: str) -> str:
    """The outbox reference as eSMS's RequestId: itself when it fits, else a stable digest, so
    that every retry of one message carries the same RequestId."""
    if len(reference) <= REQUEST_ID_MAX:
        return reference
    return "sha-" + hashlib.sha256(reference.encode()).hexdigest()[: REQUEST_ID_MAX - 4]


class EsmsClient:
    """Sends brand-name SMS through one eSMS account."""

    def __init__(
        self,
        api_key: str,
        secret_key: str,
        brandname: str,
        base: str = "https://rest.esms.vn",
        timeout: float = 10,
        sandbox: bool = False,
        callback_url: str = "",
    ) -> None:
        self._api_key = api_key
        self._secret_key = secret_key
        self.brandname = brandname
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.sandbox = sandbox
        self._callback_url = callback_url  # holds the callback's secret: never logged

    def __repr__(self) -> str:
        return (f"EsmsClient(base={self.base!r}, brandname={self.brandname!r}, "
                f"sandbox={self.sandbox})")

    def send(self, phone: str, text: str, reference: str) -> SendResult:
        """Send one SMS; a retry must reuse the same `reference` so it is not sent twice."""
        try:
            local = normalize_mobile(phone)  # eSMS writes numbers "0912345678"
        except ValueError:
            return SendResult.failed(SendError.INVALID_PHONE, retryable=False)
        try:
            response = requests.post(f"{self.base}{SEND_PATH}",
                                     json=self._payload(local, text, reference),
                                     timeout=self.timeout)
        except requests.RequestException as exc:
            log.warning("eSMS %s to %s: %s", reference, mask_phone(local), type(exc).__name__)
            return transport_failure(exc)
        result = _result_from_response(response)
        if not result.ok:
            log.info("eSMS %s to %s not sent: %s (%s)", reference, mask_phone(local),
                     result.error_code, result.error_detail)
        return result

    def _payload(self, local: str, text: str, reference: str) -> dict[str, str]:
        payload = {
            "ApiKey": self._api_key,
            "SecretKey": self._secret_key,
            "Phone": local,
            "Content": text,
            "Brandname": self.brandname,
            "SmsType": CUSTOMER_CARE,
            "IsUnicode": "0" if text.isascii() else "1",
            "Sandbox": "1" if self.sandbox else "0",
            "RequestId": request_id(reference),
        }
        if self._callback_url:
            payload["CallbackUrl"] = self._callback_url
        return payload


def _result_from_response(response: requests.Response) -> SendResult:
    """Map one eSMS answer to a SendResult."""
    status = response.status_code
    if status >= 500 or status == 429:
        code = SendError.RATE_LIMITED if status == 429 else SendError.PROVIDER_UNAVAILABLE
        return SendResult.failed(code, retryable=True, detail=f"http_{status}")
    body = json_object(response)
    code_result = str(body.get("CodeResult", "")) if body else ""
    if not code_result:
        return SendResult.failed(SendError.BAD_RESPONSE, retryable=status < 400,
                                 detail=f"http_{status}")
    if code_result == ACCEPTED and body.get("SMSID"):
        return SendResult.sent(str(body["SMSID"]))
    if code_result == ALREADY_ACCEPTED:
        return SendResult.sent(None)  # the first answer was lost; eSMS had it already
    error, retryable = ESMS_CODES.get(code_result, (SendError.PROVIDER_ERROR, _FINAL))
    if code_result == ACCEPTED:  # 100 without an SMSID: accepted, probably; RequestId is safe
        error, retryable = SendError.BAD_RESPONSE, _RETRY
    detail = f"esms {code_result}: {str(body.get('ErrorMessage') or '')[:200]}"
    return SendResult.failed(error, retryable=retryable, detail=detail)

