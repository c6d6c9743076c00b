"""Result types shared by the message-sending clients (ZNS, SMS).

A send never raises for provider or network trouble: it returns a `SendResult` whose
`retryable` flag tells the caller's queue whether trying again later can succeed, and whose
`error_code` is a short code (a `SendError`) for the UI layer to turn into a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import requests


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


def transport_failure(exc: requests.RequestException) -> SendResult:
    """Turn a `requests` exception into a retryable result.

    A read timeout may hide a message that was in fact sent; it is still retryable because the
    alternative (never retrying) loses far more messages than the rare duplicate costs.
    """
    code = SendError.TIMEOUT if isinstance(exc, requests.Timeout) else SendError.NETWORK
    return SendResult.failed(code, retryable=True, detail=type(exc).__name__)
