"""Result types shared by the message-sending clients (ZNS, SMS).

A send never raises for provider or network trouble: it returns a `SendResult` whose
`retryable` flag tells the caller's queue whether trying again later can succeed, and whose
`error_code` is a short code (a `SendError`) for the caller to act on: the worker waits for the
morning or the quota reset (`WAIT_FOR_MORNING`, `WAIT_FOR_QUOTA`), and tells the operator about
the problems only a person can mend (`OPERATOR_PROBLEMS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError


class SendError(StrEnum):
    """Why a message was not accepted; the values are stable snake_case codes."""

    TIMEOUT = "timeout"
    NETWORK = "network_error"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    BAD_RESPONSE = "bad_response"
    RATE_LIMITED = "rate_limited"
    QUOTA_EXCEEDED = "quota_exceeded"
    OUTSIDE_SENDING_HOURS = "outside_sending_hours"
    TOKEN_INVALID = "token_invalid"
    AUTH_FAILED = "auth_failed"
    PROVIDER_CONFIGURATION = "provider_configuration"
    PROVIDER_ERROR = "provider_error"
    REJECTED = "rejected"
    REFERENCE_CONFLICT = "reference_conflict"
    INVALID_PHONE = "invalid_phone"
    INVALID_TEMPLATE = "invalid_template"
    INVALID_TEMPLATE_DATA = "invalid_template_data"
    NO_ZALO_ACCOUNT = "no_zalo_account"
    RECIPIENT_CANNOT_RECEIVE = "recipient_cannot_receive"
    RECIPIENT_REFUSED = "recipient_refused"
    RECIPIENT_INACTIVE = "recipient_inactive"  # ZNS -114: inactive, refusing, or old Zalo
    DAILY_QUOTA = "daily_quota"  # ZNS -144 and the like: back after the daily reset
    BALANCE_TOO_LOW = "balance_too_low"  # someone must top the provider account up
    TEMPLATE_NOT_ALLOWED = "template_not_allowed"  # ZNS -117: the OA may not use the template
    TEMPLATE_DISABLED = "template_disabled"  # ZNS -145/-146: disabled for low quality
    APPSECRET_PROOF_INVALID = "appsecret_proof_invalid"  # Zalo -1241: not our app's secret
    OA_INVALID = "oa_invalid"  # ZNS -125
    OA_BLOCKED = "oa_blocked"  # ZNS -1351
    SMS_TEMPLATE_MISMATCH = "sms_template_mismatch"  # eSMS 146: text not a registered template
    # The request may have reached the provider but its answer never came back: a provider
    # without an idempotency key (ZNS) may have sent it, so it is not sent that way again.
    ANSWER_LOST = "answer_lost"


# The provider will take the message again at a known time: the worker waits for it (or, for
# a message that cannot wait, such as a sign-in code, moves on to the next transport at once).
WAIT_FOR_MORNING = frozenset({SendError.OUTSIDE_SENDING_HOURS})
WAIT_FOR_QUOTA = frozenset({SendError.DAILY_QUOTA})

# Problems on our side (settings, account, templates) that repeat for every message until a
# person mends them: `flask notifications status` names them with what to do.
OPERATOR_PROBLEMS = frozenset({
    SendError.AUTH_FAILED,
    SendError.PROVIDER_CONFIGURATION,
    SendError.INVALID_TEMPLATE,
    SendError.INVALID_TEMPLATE_DATA,
    SendError.TEMPLATE_NOT_ALLOWED,
    SendError.TEMPLATE_DISABLED,
    SendError.APPSECRET_PROOF_INVALID,
    SendError.OA_INVALID,
    SendError.OA_BLOCKED,
    SendError.BALANCE_TOO_LOW,
    SendError.SMS_TEMPLATE_MISMATCH,
})


@dataclass(frozen=True)
class SendResult:
    """Outcome of one send attempt."""

    ok: bool
    provider_message_id: str | None = None
    retryable: bool = False
    error_code: str | None = None
    error_detail: str | None = None

    @classmethod
    def sent(cls, provider_message_id: str | None) -> SendResult:
        """A message the provider accepted."""
        return cls(ok=True, provider_message_id=provider_message_id)

    @classmethod
    def failed(
        cls, error_code: SendError, *, retryable: bool, detail: str | None = None
    ) -> SendResult:
        """A message the provider did not accept (or we could not tell)."""
        return cls(ok=False, retryable=retryable, error_code=error_code, error_detail=detail)


def transport_failure(exc: requests.RequestException, *, idempotent: bool = True) -> SendResult:
    """Turn a `requests` exception into a result.

    For a provider that drops a repeated request by our key (`idempotent`: the SMS gateways),
    every failure is retryable. For one that has no such key (ZNS), a failure after the request
    may have arrived (a read timeout, a connection dropped mid-answer) is `ANSWER_LOST` and not
    retryable: sending again could deliver, and bill, the message twice.
    """
    detail = type(exc).__name__
    if not idempotent and request_may_have_arrived(exc):
        return SendResult.failed(SendError.ANSWER_LOST, retryable=False, detail=detail)
    code = SendError.TIMEOUT if isinstance(exc, requests.Timeout) else SendError.NETWORK
    return SendResult.failed(code, retryable=True, detail=detail)


def request_may_have_arrived(exc: requests.RequestException) -> bool:
    """False only when the request surely never left: no connection could be made."""
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.SSLError):
        return False
    if isinstance(exc, requests.Timeout):
        return True  # a read timeout: the provider had the whole request
    if isinstance(exc, requests.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return not isinstance(reason, NewConnectionError | ConnectTimeoutError)
    return False


def json_object(response: requests.Response) -> dict[str, Any] | None:
    """The answer's JSON object, or None when it is not one (HTML error pages, garbage)."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
