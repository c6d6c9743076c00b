"""Zalo ZNS (now "ZBS Template Message") client: one approved template to one phone number.

`POST {base}/message/template`, header `access_token: <OA access token>`, JSON body
`{"phone": "84...", "template_id", "template_data": {...}, "tracking_id"}` plus
`"mode": "development"` when testing (delivers only to the app's or OA's admins). Zalo answers
HTTP 200 with `{"error": 0, "data": {"msg_id": ...}}` or a negative `error` and `message`.

The OA access token lives about 25 hours and dies as soon as a new one is minted, so the client
asks `access_token_provider` for it on every send; the provider owns refreshing and storing the
rotated refresh token. A token answer (-124, -216, -220) is retryable: the next attempt gets a
token the provider has refreshed by then. With the app secret, every send carries
`appsecret_proof` too, as the official SDKs send it with every token.

ZNS does not drop a repeated request (`tracking_id` is only echoed in delivery reports), so a
send whose answer was lost (a read timeout, a dropped connection, a gateway timeout) may have
gone out: it is `ANSWER_LOST`, never retried on ZNS. Zalo's message status API
(`GET /message/status?message_id&phone`) cannot settle it: it needs the `msg_id` that only the
lost answer carried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import requests

from webapp.core.phones import mask_phone, to_msisdn
from webapp.integrations.results import SendError, SendResult, json_object, transport_failure
from webapp.integrations.zalo_oauth import ZaloOAuthError, ZaloUnavailable, appsecret_proof

log = logging.getLogger(__name__)

_RETRY = True
_FINAL = False

# Zalo's ZNS error table: -100..-112 from the zalo.cloud table; the others as a compiled copy
# of Zalo's docs and public integrations report them (2024-2026). Each code says what helps:
# - a token problem (-124, -216, -220): retryable; the transport refreshes the token first;
# - a quota (-144, -147, -126) or the night (-133): retryable at a known time, which the worker
#   waits for when the message can wait (`WAIT_FOR_QUOTA`, `WAIT_FOR_MORNING`);
# - the recipient cannot get ZNS (-108, -110, -114, -118, -119, -139, -140, -141): final, so
#   the next transport (SMS) is used at once;
# - our template, data, app or OA is wrong (`OPERATOR_PROBLEMS`): final, SMS at once, and
#   `flask notifications status` tells the operator what to mend.
# Codes not listed fall back to a non-retryable provider_error, so an unknown refusal cannot loop.
ZNS_ERRORS: dict[int, tuple[SendError, bool]] = {
    -100: (SendError.PROVIDER_ERROR, _RETRY),  # unknown error on Zalo's side
    -101: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # app invalid
    -102: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # app does not exist
    -103: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # app not activated
    -104: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # app secret invalid
    -105: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # app not linked to the OA
    -106: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # method unsupported
    -107: (SendError.REJECTED, _FINAL),  # message id invalid
    -108: (SendError.INVALID_PHONE, _FINAL),
    -109: (SendError.INVALID_TEMPLATE, _FINAL),
    -110: (SendError.RECIPIENT_CANNOT_RECEIVE, _FINAL),  # recipient's Zalo version too old
    -111: (SendError.INVALID_TEMPLATE_DATA, _FINAL),  # template data empty
    -112: (SendError.INVALID_TEMPLATE_DATA, _FINAL),  # template data invalid
    -1121: (SendError.INVALID_TEMPLATE_DATA, _FINAL),  # a parameter too long
    -1122: (SendError.INVALID_TEMPLATE_DATA, _FINAL),  # a parameter missing
    -1124: (SendError.INVALID_TEMPLATE_DATA, _FINAL),  # a parameter of the wrong kind
    -114: (SendError.RECIPIENT_INACTIVE, _FINAL),  # inactive, refuses, or an old Zalo
    -115: (SendError.BALANCE_TOO_LOW, _FINAL),  # out of quota / ZBS balance: a person tops up
    -116: (SendError.INVALID_TEMPLATE_DATA, _FINAL),  # content invalid
    -117: (SendError.TEMPLATE_NOT_ALLOWED, _FINAL),  # OA or app may not use this template
    -118: (SendError.NO_ZALO_ACCOUNT, _FINAL),
    -119: (SendError.RECIPIENT_CANNOT_RECEIVE, _FINAL),
    -120: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # OA lacks this permission
    -121: (SendError.REJECTED, _FINAL),  # empty body: our request was malformed
    -122: (SendError.REJECTED, _FINAL),  # body not JSON
    -124: (SendError.TOKEN_INVALID, _RETRY),
    -1241: (SendError.APPSECRET_PROOF_INVALID, _FINAL),  # not the secret of the OA's app
    -125: (SendError.OA_INVALID, _FINAL),
    -126: (SendError.DAILY_QUOTA, _RETRY),  # development-mode quota
    -127: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # test template: OA admins only
    -131: (SendError.INVALID_TEMPLATE, _FINAL),  # template not approved
    -133: (SendError.OUTSIDE_SENDING_HOURS, _RETRY),  # no sends from 22:00 to 06:00
    -135: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # OA not verified / free plan
    -1351: (SendError.OA_BLOCKED, _FINAL),
    -136: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # ZBS account not connected
    -137: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # ZBS payment failed
    -139: (SendError.RECIPIENT_REFUSED, _FINAL),  # refuses this message type
    -140: (SendError.RECIPIENT_CANNOT_RECEIVE, _FINAL),
    -141: (SendError.RECIPIENT_REFUSED, _FINAL),  # refuses messages from this OA
    -144: (SendError.DAILY_QUOTA, _RETRY),  # the OA's daily sending quota
    -145: (SendError.TEMPLATE_DISABLED, _FINAL),
    -146: (SendError.TEMPLATE_DISABLED, _FINAL),  # disabled for low quality
    -147: (SendError.DAILY_QUOTA, _RETRY),  # the template's daily quota
    -216: (SendError.TOKEN_INVALID, _RETRY),  # access token expired
    -220: (SendError.TOKEN_INVALID, _RETRY),  # access token removed
}


def to_zalo_phone(e164_or_local: str) -> str:
    """Return a Vietnamese mobile number as ZNS wants it (`84` + 9 digits); ValueError if not."""
    return to_msisdn(e164_or_local)


def classify_zns_error(code: int) -> tuple[SendError, bool]:
    """Return (error code, retryable) for a non-zero ZNS `error` value."""
    return ZNS_ERRORS.get(code, (SendError.PROVIDER_ERROR, _FINAL))


class ZnsClient:
    """Sends ZNS template messages for one Official Account."""

    def __init__(
        self,
        access_token_provider: Callable[[], str],
        base: str = "https://business.openapi.zalo.me",
        timeout: float = 10,
        development_mode: bool = False,
        app_secret: str = "",
    ) -> None:
        self._access_token_provider = access_token_provider
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.development_mode = development_mode
        self._app_secret = app_secret  # the OA's app; sent as appsecret_proof when known

    def __repr__(self) -> str:
        return f"ZnsClient(base={self.base!r}, development_mode={self.development_mode})"

    def send_template(
        self, phone: str, template_id: str, template_data: dict[str, Any], tracking_id: str
    ) -> SendResult:
        """Send one approved template; never raises for provider or network trouble."""
        try:
            msisdn = to_zalo_phone(phone)
        except ValueError:
            return SendResult.failed(SendError.INVALID_PHONE, retryable=False)
        token_or_failure = self._access_token()
        if isinstance(token_or_failure, SendResult):
            return token_or_failure
        body: dict[str, Any] = {
            "phone": msisdn,
            "template_id": template_id,
            "template_data": template_data,
            "tracking_id": tracking_id,
        }
        if self.development_mode:
            body["mode"] = "development"
        try:
            response = requests.post(
                f"{self.base}/message/template",
                json=body,
                headers=self._headers(token_or_failure),
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            log.warning("ZNS to %s: %s", mask_phone(msisdn), type(exc).__name__)
            return transport_failure(exc, idempotent=False)
        result = _result_from_response(response)
        if not result.ok:
            log.info(
                "ZNS to %s not sent: %s (%s)",
                mask_phone(msisdn),
                result.error_code,
                result.error_detail,
            )
        return result

    def _headers(self, access_token: str) -> dict[str, str]:
        headers = {"access_token": access_token}
        if self._app_secret:
            headers["appsecret_proof"] = appsecret_proof(access_token, self._app_secret)
        return headers

    def _access_token(self) -> str | SendResult:
        """Ask the provider for the OA token, turning its failures into results."""
        try:
            return self._access_token_provider()
        except ZaloUnavailable as exc:
            return SendResult.failed(
                SendError.PROVIDER_UNAVAILABLE, retryable=True, detail=str(exc)
            )
        except ZaloOAuthError as exc:
            # The refresh token itself was refused: only a person re-authorising the OA helps.
            return SendResult.failed(SendError.AUTH_FAILED, retryable=False, detail=exc.code)


def _result_from_response(response: requests.Response) -> SendResult:
    """Map one ZNS HTTP answer to a SendResult."""
    status = response.status_code
    failure = _status_failure(status)
    if failure is not None:
        return failure
    body = json_object(response)
    try:
        error = int(body["error"]) if body is not None else None
    except (KeyError, TypeError, ValueError):
        error = None
    if error is None:
        if status >= 400:
            return SendResult.failed(SendError.REJECTED, retryable=False, detail=f"http_{status}")
        # Zalo answered, but nothing says what it did: it may have sent the message.
        return SendResult.failed(SendError.ANSWER_LOST, retryable=False,
                                 detail=f"http_{status}: unreadable answer")
    if error == 0 and status < 400:
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        msg_id = data.get("msg_id")
        return SendResult.sent(str(msg_id) if msg_id is not None else None)
    code, retryable = classify_zns_error(error)
    return SendResult.failed(
        code, retryable=retryable, detail=f"zns {error}: {body.get('message', '')}"
    )


def _status_failure(status: int) -> SendResult | None:
    """The result an HTTP status alone decides, or None to read the body."""
    if status == 504:  # a gateway gave up waiting for Zalo, which may still have sent it
        return SendResult.failed(SendError.ANSWER_LOST, retryable=False, detail="http_504")
    if status >= 500:
        return SendResult.failed(
            SendError.PROVIDER_UNAVAILABLE, retryable=True, detail=f"http_{status}"
        )
    if status == 429:
        return SendResult.failed(SendError.RATE_LIMITED, retryable=True, detail="http_429")
    return None

