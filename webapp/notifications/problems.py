"""Problems only an operator can mend, found in the recorded attempts, with what to do.

A wrong template id, a template Zalo disabled, a text that matches no registered brand-name
template, an empty balance: every message of that kind fails the same way (and goes by SMS, or
fails) until a person acts, so `flask notifications status` lists each such problem once, with
the kind of message and its template, how often and when last. A problem is no longer listed
once a message of the same kind has gone out through that transport since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peewee import fn

from webapp.integrations.results import OPERATOR_PROBLEMS, SendError
from webapp.notifications import templates
from webapp.notifications.models import OutboxAttempt, OutboxMessage
from webapp.notifications.transports import SMS, ZNS

RECENT = dt.timedelta(days=7)

# What to do, per (transport, error) or per error; {template} names the kind's template.
HINTS: dict[tuple[str, str] | str, str] = {
    (SMS, SendError.AUTH_FAILED): "the SMS gateway refused our keys: check ESMS_API_KEY and "
    "ESMS_SECRET_KEY (or SMS_GATEWAY_API_KEY)",
    (ZNS, SendError.AUTH_FAILED): "no usable Zalo OA token: authorise the Official Account "
    "again and load its refresh token with `flask notifications zns-token`",
    (SMS, SendError.BALANCE_TOO_LOW): "the SMS account's balance is too low: top it up with "
    "the gateway (messages are retried for a few hours meanwhile)",
    (ZNS, SendError.BALANCE_TOO_LOW): "the ZNS (ZBS) account is out of balance or quota: top "
    "it up in Zalo's ZBS console; meanwhile these messages go by SMS",
    SendError.SMS_TEMPLATE_MISMATCH: "the gateway refused the text of {kind}: it matches no "
    "template registered for brand name {sender}. Register it as "
    "`flask notifications sms-templates` prints it",
    SendError.INVALID_TEMPLATE: "Zalo does not know or has not approved {template}: check "
    "the id in the ZNS console",
    SendError.INVALID_TEMPLATE_DATA: "the data does not fit {template}: its parameters must "
    "be named {params} and fit their lengths",
    SendError.TEMPLATE_NOT_ALLOWED: "the Official Account may not use {template}: check that "
    "the template belongs to this OA and its app",
    SendError.TEMPLATE_DISABLED: "Zalo disabled {template} (low quality): have a new template "
    "approved and put its id in {setting}",
    SendError.APPSECRET_PROOF_INVALID: "Zalo refused our appsecret_proof: ZALO_SECRET_KEY "
    "must be the secret of the Zalo app linked to the Official Account",
    SendError.OA_INVALID: "Zalo does not recognise the Official Account: check that the OA "
    "token belongs to the province's OA",
    SendError.OA_BLOCKED: "Zalo has blocked the Official Account: see its page in the Zalo "
    "OA manager",
    SendError.PROVIDER_CONFIGURATION: "the provider refused our account or settings (see "
    "the detail): check them with the provider",
}


@dataclass(frozen=True)
class Problem:
    transport: str
    error_code: str
    template: str  # the kind of message
    count: int
    last_at: dt.datetime
    detail: str


def recent_problems(now: dt.datetime) -> list[Problem]:
    """Operator problems of the last RECENT, not followed by a success of the same kind."""
    problems = [Problem(*row) for row in _problem_rows(now - RECENT)]
    return [problem for problem in problems if not _sent_since(problem)]


def describe(problem: Problem, config: Mapping[str, Any]) -> str:
    """One paragraph for the operator: what failed, how often, and what to do."""
    hint = HINTS.get((problem.transport, problem.error_code)) or HINTS.get(
        problem.error_code, "see the detail")
    spec = templates.find(problem.template)
    hint = hint.format(kind=problem.template, sender=config.get("SMS_SENDER") or "-",
                       template=_zns_template(spec, config),
                       setting=(spec.zns_setting if spec else None) or "-",
                       params=", ".join(spec.zns_params) if spec else "-")
    return (f"{problem.transport} {problem.error_code} for {problem.template}: "
            f"{problem.count} time(s), last at {problem.last_at:%Y-%m-%d %H:%M} UTC "
            f"({problem.detail or 'no detail'}). What to do: {hint}.")


def _zns_template(spec: templates.MessageTemplate | None, config: Mapping[str, Any]) -> str:
    if spec is None or not spec.zns_setting:
        return "its ZNS template"
    return f"ZNS template {spec.zns_template_id(config) or '(none)'} ({spec.zns_setting})"


def _problem_rows(since: dt.datetime):
    attempt = OutboxAttempt
    return (attempt.select(attempt.transport, attempt.error_code, OutboxMessage.template,
                           fn.COUNT(attempt.id), fn.MAX(attempt.finished_at),
                           fn.MAX(attempt.error_detail))
            .join(OutboxMessage)
            .where(attempt.error_code.in_([str(code) for code in OPERATOR_PROBLEMS])
                   & (attempt.finished_at >= since))
            .group_by(attempt.transport, attempt.error_code, OutboxMessage.template)
            .order_by(fn.MAX(attempt.finished_at).desc())
            .tuples())


def _sent_since(problem: Problem) -> bool:
    return (OutboxAttempt.select().join(OutboxMessage)
            .where((OutboxAttempt.ok == True)  # noqa: E712 (a SQL comparison)
                   & (OutboxAttempt.transport == problem.transport)
                   & (OutboxMessage.template == problem.template)
                   & (OutboxAttempt.finished_at > problem.last_at))
            .exists())
