"""Transports: the ways a message leaves the outbox, chosen by NOTIFY_TRANSPORTS.

- `development` (the default): writes a masked line to the log and keeps the message for the
  development page `/dev/tin-nhan`; nothing leaves the machine.
- `zns`: a Zalo ZNS template message, when a template id is configured for the message's kind.
  The OA access token comes from ZNS_ACCESS_TOKEN_FILE, else a fixed ZNS_ACCESS_TOKEN, else
  (neither set) the database, where the app refreshes it itself (`zns_token`).
- `sms`: a brand-name SMS, through the gateway SMS_PROVIDER names: `esms` (eSMS.vn's own API,
  `webapp.integrations.esms`) or `generic` (the small protocol of
  `webapp.integrations.sms_gateway`, for any other gateway or an adapter in front of it).

NOTIFY_TRANSPORTS lists them in order of preference, e.g. "zns,sms": the worker tries the first
transport that handles the message and moves on to the next one when it refuses permanently
(see `webapp.notifications.worker`). A transport's `send` returns None when it does not handle
this kind of message (ZNS without a configured template), else a `SendResult`.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from flask import has_app_context

from webapp.core import links
from webapp.integrations.esms import EsmsClient
from webapp.integrations.results import SendError, SendResult
from webapp.integrations.sms_gateway import SmsGatewayClient
from webapp.integrations.zalo_oauth import ZaloOAuthClient, ZaloUnavailable
from webapp.integrations.zalo_zns import ZnsClient
from webapp.notifications import templates
from webapp.notifications.models import OutboxMessage
from webapp.notifications.outbox import masked
from webapp.notifications.zns_token import LOAD_COMMAND, StoredOaToken

log = logging.getLogger(__name__)

DEVELOPMENT, ZNS, SMS = "development", "zns", "sms"
KNOWN = (DEVELOPMENT, ZNS, SMS)
# SMS_PROVIDER: which gateway's API the SMS transport speaks.
GENERIC, ESMS = "generic", "esms"
SMS_PROVIDERS = (GENERIC, ESMS)
# The endpoint of eSMS's delivery reports (webapp.notifications.delivery_reports).
ESMS_REPORT_ENDPOINT = "delivery_reports.esms_report"
# Where the ZNS transport gets the OA access token (see `zns_token_source`).
TOKEN_FILE, TOKEN_FIXED, TOKEN_STORED = "file", "fixed", "stored"


class NotificationSettingsError(ValueError):
    """The transports are configured in a way that cannot work; the message says how to fix."""


class Transport(Protocol):
    name: str

    def send(self, message: OutboxMessage) -> SendResult | None: ...


class DevelopmentTransport:
    """Keeps messages on this machine: a log line without personal data, and the outbox row
    itself, which the development page shows in full (that is how a developer reads codes)."""

    name = DEVELOPMENT

    def send(self, message: OutboxMessage) -> SendResult:
        log.info("Development message %s (%s) to %s: read it at /dev/tin-nhan",
                 message.template, message.reference, masked(message.phone))
        return SendResult.sent(f"dev-{message.id}")


class ZnsTransport:
    """A ZNS template message, for the kinds that have an approved template configured."""

    name = ZNS
    idempotent = False  # Zalo does not drop a repeated request: the worker guards against it

    def __init__(self, client: ZnsClient, config: Mapping[str, Any],
                 stored_token: StoredOaToken | None = None) -> None:
        self.client = client
        self.config = config
        self.stored_token = stored_token  # None when the operator provides the token

    def handles(self, message: OutboxMessage) -> bool:
        """True when an approved template is configured for the message's kind."""
        return self._template_id(message) is not None

    def send(self, message: OutboxMessage) -> SendResult | None:
        template_id = self._template_id(message)
        if not template_id:
            return None
        spec = templates.get(message.template)
        try:
            data = spec.zns_data(message.data)
        except KeyError as missing:
            return SendResult.failed(SendError.INVALID_TEMPLATE_DATA, retryable=False,
                                     detail=f"missing {missing}")
        # tracking_id is echoed in Zalo's delivery reports; the row id is short and unique.
        result = self.client.send_template(message.phone, template_id, data,
                                           tracking_id=f"outbox-{message.id}")
        if result.error_code == SendError.TOKEN_INVALID:
            return self._token_refused(result)
        return result

    def keep_fresh(self) -> None:
        """Renew the stored OA token when due, even with nothing to send (the worker calls
        this every round)."""
        if self.stored_token is not None:
            self.stored_token.keep_fresh()

    def _template_id(self, message: OutboxMessage) -> str | None:
        spec = templates.find(message.template)
        return spec.zns_template_id(self.config) if spec else None

    def _token_refused(self, result: SendResult) -> SendResult:
        """ZNS refused the access token (-124): retry with a refreshed one when the app keeps
        the token; else fall back to SMS now instead of hours later."""
        if self.stored_token is None:
            # The token comes from the operator (see docs/notifications.md): retrying cannot
            # mend it.
            log.error("ZNS access token refused: set a fresh ZNS_ACCESS_TOKEN")
        elif self.stored_token.expire():
            return result  # retryable: the next attempt refreshes the token first
        else:
            log.error("ZNS refused an OA access token Zalo had just issued: check that "
                      "ZALO_APP_ID is the app linked to the Official Account")
        return SendResult.failed(SendError.TOKEN_INVALID, retryable=False,
                                 detail=result.error_detail)


class SmsTransport:
    """An SMS through the gateway, with the outbox reference as its idempotency key."""

    name = SMS

    def __init__(self, client: SmsGatewayClient | EsmsClient, ascii_only: bool = False) -> None:
        self.client = client
        self.ascii_only = ascii_only

    def send(self, message: OutboxMessage) -> SendResult:
        text = to_ascii(message.text) if self.ascii_only else message.text
        return self.client.send(message.phone, text, message.reference)


_PUNCTUATION = str.maketrans({"đ": "d", "Đ": "D", "“": '"', "”": '"', "‘": "'", "’": "'",
                              "–": "-", "—": "-", "…": "...", "\u00a0": " "})


def to_ascii(text: str) -> str:
    """Vietnamese without diacritics ("Hồ sơ đã có kết quả" -> "Ho so da co ket qua"), for
    gateways whose brand-name routes only accept plain ASCII (SMS_ASCII_ONLY=1)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_PUNCTUATION))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.encode("ascii", "replace").decode("ascii")


def transport_names(config: Mapping[str, Any]) -> list[str]:
    """NOTIFY_TRANSPORTS as a list of lower-case names, in order."""
    raw = str(config.get("NOTIFY_TRANSPORTS") or "")
    return [name.strip().lower() for name in raw.split(",") if name.strip()]


def development_page_enabled(config: Mapping[str, Any]) -> bool:
    """The development page exists only in development, with the development transport on:
    it shows whole messages (sign-in codes among them), which must never be public."""
    return config.get("APP_ENV") == "development" and DEVELOPMENT in transport_names(config)


def build_transports(config: Mapping[str, Any]) -> list[Transport]:
    """The configured transports, in order; NotificationSettingsError when one cannot work."""
    names = transport_names(config)
    if not names:
        raise NotificationSettingsError("NOTIFY_TRANSPORTS is empty; use e.g. 'zns,sms'.")
    unknown = [name for name in names if name not in KNOWN]
    if unknown or len(set(names)) != len(names):
        raise NotificationSettingsError(
            f"NOTIFY_TRANSPORTS={','.join(names)}: use each of {', '.join(KNOWN)} at most once.")
    builders = {DEVELOPMENT: lambda c: DevelopmentTransport(), ZNS: _zns, SMS: _sms}
    return [builders[name](config) for name in names]


def _require(config: Mapping[str, Any], transport: str, *names: str, why: str = "") -> None:
    missing = [name for name in names if not str(config.get(name) or "").strip()]
    if missing:
        raise NotificationSettingsError(
            f"The {transport} transport needs {', '.join(missing)} to be set{why}.")


def sms_provider(config: Mapping[str, Any]) -> str:
    """SMS_PROVIDER, lower case: `generic` unless set."""
    return str(config.get("SMS_PROVIDER") or GENERIC).strip().lower()


def _sms(config: Mapping[str, Any]) -> SmsTransport:
    provider = sms_provider(config)
    if provider not in SMS_PROVIDERS:
        raise NotificationSettingsError(
            f"SMS_PROVIDER={provider}: use one of {', '.join(SMS_PROVIDERS)}.")
    client = _esms_client(config) if provider == ESMS else _generic_client(config)
    return SmsTransport(client, ascii_only=bool(config.get("SMS_ASCII_ONLY")))


def _generic_client(config: Mapping[str, Any]) -> SmsGatewayClient:
    _require(config, SMS, "SMS_GATEWAY_URL", "SMS_GATEWAY_API_KEY", "SMS_SENDER")
    return SmsGatewayClient(config["SMS_GATEWAY_URL"], config["SMS_GATEWAY_API_KEY"],
                            config["SMS_SENDER"], timeout=config.get("NOTIFY_HTTP_TIMEOUT", 10))


def _esms_client(config: Mapping[str, Any]) -> EsmsClient:
    _require(config, SMS, "ESMS_API_KEY", "ESMS_SECRET_KEY", "SMS_SENDER",
             why=" (SMS_PROVIDER=esms; SMS_SENDER is the brand name registered with eSMS)")
    return EsmsClient(
        str(config["ESMS_API_KEY"]).strip(), str(config["ESMS_SECRET_KEY"]).strip(),
        str(config["SMS_SENDER"]).strip(),
        base=config.get("ESMS_BASE_URL") or "https://rest.esms.vn",
        timeout=config.get("NOTIFY_HTTP_TIMEOUT", 10),
        sandbox=bool(config.get("ESMS_SANDBOX")),
        callback_url=esms_callback_url(config))


def esms_callback_url(config: Mapping[str, Any]) -> str:
    """Where eSMS sends delivery reports: our report endpoint on PUBLIC_BASE_URL, with
    ESMS_CALLBACK_SECRET in the path; empty (no reports) without a secret."""
    secret = str(config.get("ESMS_CALLBACK_SECRET") or "").strip()
    if not secret:
        return ""
    _require(config, SMS, "PUBLIC_BASE_URL", why=", for eSMS's delivery reports "
             "(ESMS_CALLBACK_SECRET is set)")
    if not has_app_context():
        raise NotificationSettingsError("eSMS's callback URL is built inside the app.")
    return links.external(ESMS_REPORT_ENDPOINT, secret=secret)


def _zns(config: Mapping[str, Any]) -> ZnsTransport:
    stored = stored_oa_token(config) if zns_token_source(config) == TOKEN_STORED else None
    provider = stored if stored is not None else _token_provider(config)
    client = ZnsClient(provider, base=config.get("ZNS_BASE_URL") or "",
                       timeout=config.get("NOTIFY_HTTP_TIMEOUT", 10),
                       development_mode=bool(config.get("ZNS_DEVELOPMENT_MODE")),
                       app_secret=str(config.get("ZALO_SECRET_KEY") or "").strip())
    return ZnsTransport(client, config, stored_token=stored)


def zns_token_source(config: Mapping[str, Any]) -> str:
    """Where the OA access token comes from: ZNS_ACCESS_TOKEN_FILE when set, else a fixed
    ZNS_ACCESS_TOKEN when set, else the database (loaded once by an operator, then refreshed
    by the app)."""
    if config.get("ZNS_ACCESS_TOKEN_FILE"):
        return TOKEN_FILE
    if str(config.get("ZNS_ACCESS_TOKEN") or "").strip():
        return TOKEN_FIXED
    return TOKEN_STORED


def stored_oa_token(config: Mapping[str, Any]) -> StoredOaToken:
    """The OA token kept in the database, refreshed with the Zalo app's id and secret (the
    app linked to the Official Account; the same settings as Zalo login)."""
    _require(config, ZNS, "ZALO_APP_ID", "ZALO_SECRET_KEY",
             why=f", to refresh the OA token loaded with `{LOAD_COMMAND}` (or set a fixed "
                 "ZNS_ACCESS_TOKEN or ZNS_ACCESS_TOKEN_FILE)")
    oauth = ZaloOAuthClient(
        str(config["ZALO_APP_ID"]).strip(), str(config["ZALO_SECRET_KEY"]).strip(),
        oauth_base=config.get("ZALO_OAUTH_BASE") or "https://oauth.zaloapp.com",
        timeout=config.get("NOTIFY_HTTP_TIMEOUT", 10))
    return StoredOaToken(oauth)


def _token_provider(config: Mapping[str, Any]) -> Callable[[], str]:
    """The operator's OA access token: from a file read at every send when
    ZNS_ACCESS_TOKEN_FILE is set (so that whatever refreshes the token can replace it without
    restarting the worker), else the fixed ZNS_ACCESS_TOKEN."""
    token_file = config.get("ZNS_ACCESS_TOKEN_FILE")
    if token_file:

        def read_token() -> str:
            try:
                return Path(token_file).read_text().strip()
            except OSError as error:  # retried later: the refresher may be rewriting it
                raise ZaloUnavailable(f"token file: {type(error).__name__}") from None

        return read_token
    token = str(config["ZNS_ACCESS_TOKEN"]).strip()
    return lambda: token
