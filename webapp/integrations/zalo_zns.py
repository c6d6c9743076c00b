"""Zalo ZNS (now "ZBS Template Message") client: one approved template to one phone number.

`POST {base}/message/template`, header `access_token: <OA access token>`, JSON body
`{"phone": "84...", "template_id", "template_data": {...}, "tracking_id"}` plus
`"mode": "development"` when testing (delivers only to the app's or OA's admins). Zalo answers
HTTP 200 with `{"error": 0, "data": {"msg_id": ...}}` or a negative `error` and `message`.

The OA access token lives about 25 hours and dies as soon as a new one is minted, so the client
asks `access_token_provider` for it on every send; the provider owns refreshing and storing the
rotated refresh token. A `-124` (token invalid) answer is retryable: the next attempt gets a
token the provider has refreshed by then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import requests

from webapp.core.phones import mask_phone, to_msisdn
from webapp.integrations.results import SendError, SendResult, transport_failure
from webapp.integrations.zalo_oauth import ZaloOAuthError, ZaloUnavailable

log = logging.getLogger(__name__)

_RETRY = True
_FINAL = False

# Zalo's published ZNS error table, as far as it could be confirmed: -100..-112 from the
# zalo.cloud table; the others from two independent public integrations (2025-2026). Codes not
# listed fall back to a non-retryable provider_error, so an unknown refusal cannot loop.
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
    -115: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # ZBS balance too low: a human tops up
    -118: (SendError.NO_ZALO_ACCOUNT, _FINAL),
    -119: (SendError.RECIPIENT_CANNOT_RECEIVE, _FINAL),
    -120: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # OA lacks this permission
    -124: (SendError.TOKEN_INVALID, _RETRY),
    -126: (SendError.QUOTA_EXCEEDED, _RETRY),  # development-mode quota
    -127: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # test template: OA admins only
    -131: (SendError.INVALID_TEMPLATE, _FINAL),  # template not approved
    -133: (SendError.OUTSIDE_SENDING_HOURS, _RETRY),  # night-time blackout
    -135: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # OA not verified / free plan
    -136: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # ZBS account not connected
    -137: (SendError.PROVIDER_CONFIGURATION, _FINAL),  # ZBS payment failed
    -139: (SendError.RECIPIENT_REFUSED, _FINAL),  # refuses this message type
    -140: (SendError.RECIPIENT_CANNOT_RECEIVE, _FINAL),
    -141: (SendError.RECIPIENT_REFUSED, _FINAL),  # refuses messages from this OA
    -144: (SendError.QUOTA_EXCEEDED, _RETRY),  # daily sending quota
    -147: (SendError.QUOTA_EXCEEDED, _RETRY),  # template's daily quota
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
    ) -> None:
        self._access_token_provider = access_token_provider
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.development_mode = development_mode

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
                headers={"access_token": token_or_failure},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            log.warning("ZNS to %s: %s", mask_phone(msisdn), type(exc).__name__)
            return transport_failure(exc)
        result = _result_from_response(response)
        if not result.ok:
            log.info(
                "ZNS to %s not sent: %s (%s)",
                mask_phone(msisdn),
                result.error_code,
                result.error_detail,
            )
        return result

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
    if status >= 500:
        return SendResult.failed(
            SendError.PROVIDER_UNAVAILABLE, retryable=True, detail=f"http_{status}"
        )
    if status == 429:
        return SendResult.failed(SendError.RATE_LIMITED, retryable=True, detail="http_429")
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or "error" not in body:
        if status >= 400:
            return SendResult.failed(SendError.REJECTED, retryable=False, detail=f"http_{status}")
        return SendResult.failed(SendError.BAD_RESPONSE, retryable=True, detail=f"http_{status}")
    try:
        error = int(body["error"])
    except (TypeError, ValueError):
        return SendResult.failed(
            SendError.BAD_RESPONSE, retryable=True, detail="error not a number"
        )
    if error == 0 and status < 400:
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        msg_id = data.get("msg_id")
        return SendResult.sent(str(msg_id) if msg_id is not None else None)
    code, retryable = classify_zns_error(error)
    return SendResult.failed(
        code, retryable=retryable, detail=f"zns {error}: {body.get('message', '')}"
    )
