"""eSMS's delivery reports: `GET /bao-cao-tin-nhan/esms/<secret>?SMSID=...&SendStatus=...`.

eSMS calls the `CallbackUrl` sent with each message once the network has answered (retrying up
to 5 times when we do not answer). Nothing else authenticates the call, so the URL carries
ESMS_CALLBACK_SECRET: a wrong secret is a plain 404, counted per address, and an address that
keeps guessing gets 429. The report names the message by eSMS's SMSID (our
`provider_message_id`) or by our RequestId (the outbox reference), and says:

- `SendStatus` 5 (sent) with `SendSuccess` >= 1: delivered; with `SendFailed` >= 1: not;
- `SendStatus` 4: refused by eSMS or the network: not delivered;
- 1, 2, 7 (awaiting approval, waiting to send, with the network): still awaiting a report.

The query also holds the recipient's number (`phonenumber`): no log line carries the query,
and the app's request log shows only the route pattern, not the secret. A reverse proxy's own
access log would show both: docs/notifications.md says how to keep this path out of it.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping

from flask import Blueprint, abort, current_app, request

from webapp.core import ratelimit
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.integrations.esms import request_id
from webapp.notifications.models import (
    AWAITING_REPORT,
    DELIVERED,
    NOT_DELIVERED,
    SENT,
    OutboxMessage,
)
from webapp.notifications.transports import ESMS, SMS, sms_provider, transport_names

log = logging.getLogger(__name__)

delivery_reports = Blueprint("delivery_reports", __name__, url_prefix="/bao-cao-tin-nhan")

# eSMS sends one report per message: a busy day is a few thousand, in bursts.
REPORTS_PER_MINUTE = 600
WRONG_SECRETS_PER_HOUR = 10
SENT_STATUS, REFUSED_STATUS = "5", "4"


@delivery_reports.get("/esms/<secret>")
def esms_report(secret: str):
    """Record what eSMS says became of one SMS."""
    if not _within_limits():
        return "Too many requests", 429
    if not _secret_matches(secret):
        if not ratelimit.allow(f"esms-report-refused:{request.remote_addr}",
                               WRONG_SECRETS_PER_HOUR, 3600):
            return "Too many requests", 429
        abort(404)
    with database.atomic():
        message = _message_reported(request.args)
        if message is None:
            log.warning("eSMS delivery report for no message of ours (SendStatus %s)",
                        request.args.get("SendStatus", "-"))
            return "OK"  # a 2xx, or eSMS would keep calling about a message we do not have
        outcome = delivery_outcome(request.args)
        _record(message, outcome, str(request.args.get("SMSID") or ""))
    log.info("eSMS delivery report for outbox message %s: %s", message.id, outcome)
    return "OK"


def delivery_outcome(report: Mapping[str, str]) -> str:
    """DELIVERED, NOT_DELIVERED or AWAITING_REPORT for one report's status and counts."""
    status = str(report.get("SendStatus") or "")
    if status == REFUSED_STATUS:
        return NOT_DELIVERED
    if status == SENT_STATUS and _count(report, "SendSuccess"):
        return DELIVERED
    if status == SENT_STATUS and _count(report, "SendFailed"):
        return NOT_DELIVERED
    return AWAITING_REPORT


def _count(report: Mapping[str, str], name: str) -> int:
    try:
        return int(report.get(name) or 0)
    except ValueError:
        return 0


def _within_limits() -> bool:
    return ratelimit.allow(f"esms-report:{request.remote_addr}", REPORTS_PER_MINUTE, 60)


def _secret_matches(secret: str) -> bool:
    """eSMS is the configured SMS gateway, a secret is set and the URL carries it."""
    config = current_app.config
    expected = str(config.get("ESMS_CALLBACK_SECRET") or "").strip()
    if not expected or sms_provider(config) != ESMS or SMS not in transport_names(config):
        return False
    return hmac.compare_digest(secret.encode(), expected.encode())


def _message_reported(report: Mapping[str, str]) -> OutboxMessage | None:
    """The sent message the report is about: by eSMS's id, else by our RequestId."""
    sms_id = str(report.get("SMSID") or "").strip()
    if sms_id:
        message = OutboxMessage.get_or_none((OutboxMessage.provider_message_id == sms_id)
                                            & (OutboxMessage.transport == SMS))
        if message is not None:
            return message
    wanted = str(report.get("RequestId") or "").strip()
    if not wanted:
        return None
    # RequestId is the reference itself, or a digest of a long one (webapp.integrations.esms).
    message = OutboxMessage.get_or_none(OutboxMessage.reference == wanted)
    if message is not None and request_id(message.reference) == wanted:
        return message
    return None


def _record(message: OutboxMessage, outcome: str, sms_id: str) -> None:
    """Write the outcome on the message; a late "still waiting" never hides a final answer."""
    changes = {OutboxMessage.delivery_status: outcome,
               OutboxMessage.delivery_reported_at: utcnow()}
    if sms_id and not message.provider_message_id and message.status == SENT:
        changes[OutboxMessage.provider_message_id] = sms_id[:100]
    query = OutboxMessage.update(changes).where(OutboxMessage.id == message.id)
    if outcome == AWAITING_REPORT:
        query = query.where(OutboxMessage.delivery_status.is_null()
                            | (OutboxMessage.delivery_status == AWAITING_REPORT))
    query.execute()
