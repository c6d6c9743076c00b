"""Six-digit codes sent to a phone: the only thing a citizen needs to sign in.

Rules: a code works for 5 minutes, once, and for 5 tries at most; only the newest code of a
number works; a new code can be asked for after 60 seconds; at most 5 codes per number and 20
requests per address in an hour. Codes are kept as keyed hashes (HMAC with the app's secret),
so the six digits cannot be recovered from a copy of the database, and never written to logs;
the message itself goes through the notification outbox in the same transaction as the row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request

from webapp.accounts import messages
from webapp.accounts.models import PhoneChallenge
from webapp.core import ratelimit
from webapp.core.clock import utcnow
from webapp.core.db import database

CODE_DIGITS = 6
CODE_TTL = dt.timedelta(minutes=5)
MAX_TRIES = 5
RESEND_AFTER_SECONDS = 60
CODES_PER_NUMBER = (5, 3600)  # (limit, window in seconds)
REQUESTS_PER_ADDRESS = (20, 3600)
# A correct code submitted again this soon after it was used is a double tap, not an attack.
DOUBLE_TAP = dt.timedelta(seconds=30)

SIGN_IN, LINK_ZALO, CHANGE_PHONE = "sign_in", "link_zalo", "change_phone"


class CodeNotSent(Exception):
    """No code was sent; `reason` is "wait" (see `seconds`), "number_limit" or "address_limit"."""

    def __init__(self, reason: str, seconds: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.seconds = seconds


@dataclass(frozen=True)
class CheckResult:
    """What a typed code was worth: status "ok", "wrong", "locked", "expired", "used",
    "double_tap" or "missing"; `tries_left` after a wrong one."""

    status: str
    tries_left: int = 0


def _code_hash(code: str, salt: str) -> str:
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    digest = hmac.new(key, f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()
    return f"{salt}${digest}"


def _matches(challenge: PhoneChallenge, code: str) -> bool:
    salt = challenge.code_hash.split("$", 1)[0]
    return hmac.compare_digest(_code_hash(code, salt), challenge.code_hash)


def clean_code(raw: str) -> str:
    """The digits of what was typed ("123 456", full-width digits...), or "" if not 6 digits."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", raw or "") if ch.isdigit())
    return digits if len(digits) == CODE_DIGITS and digits.isascii() else ""


def _latest(phone: str, purpose: str) -> PhoneChallenge | None:
    return (PhoneChallenge.select()
            .where(PhoneChallenge.phone == phone, PhoneChallenge.purpose == purpose)
            .order_by(PhoneChallenge.created_at.desc(), PhoneChallenge.id.desc())
            .first())


def request_code(phone: str, purpose: str, *, context: dict | None = None,
                 current_id: int | None = None, resend: bool = False,
                 send: Callable[[PhoneChallenge, str], None] | None = None) -> PhoneChallenge:
    """Send a new code to `phone`, or return the one just sent to this browser (double tap).

    `send` writes the message carrying the code (the sign-in message unless told: a helper's
    request for consent says who asks and for what). Raises CodeNotSent when the number had a
    code less than 60 seconds ago (a resend, or a request from another browser), or when a rate
    limit is reached.
    """
    now = utcnow()
    latest = _latest(phone, purpose)
    if latest is not None and latest.used_at is None:
        wait = latest.seconds_until_resend(now, RESEND_AFTER_SECONDS)
        if wait and latest.id == current_id and not resend:
            return latest  # the same request again: the code already sent still works
        if wait:
            raise CodeNotSent("wait", wait)
    _check_limits(phone)
    return _issue(phone, purpose, context or {}, now, send or messages.sign_in_code)


def _check_limits(phone: str) -> None:
    limit, window = CODES_PER_NUMBER
    if not ratelimit.allow(f"sign-in-code:phone:{phone}", limit, window):
        raise CodeNotSent("number_limit")
    limit, window = REQUESTS_PER_ADDRESS
    if not ratelimit.allow(f"sign-in-code:address:{request.remote_addr}", limit, window):
        raise CodeNotSent("address_limit")


def _issue(phone: str, purpose: str, context: dict, now: dt.datetime,
           send: Callable[[PhoneChallenge, str], None]) -> PhoneChallenge:
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    with database.atomic():
        # Only the newest code of a number works: older ones expire now.
        (PhoneChallenge.update(expires_at=now)
         .where(PhoneChallenge.phone == phone, PhoneChallenge.purpose == purpose,
                PhoneChallenge.used_at.is_null(), PhoneChallenge.expires_at > now)
         .execute())
        challenge = PhoneChallenge.create(
            phone=phone, purpose=purpose, code_hash=_code_hash(code, secrets.token_hex(8)),
            created_at=now, expires_at=now + CODE_TTL, context=context)
        send(challenge, code)
    return challenge


def check_code(challenge_id: int | None, code: str) -> CheckResult:
    """Spend one try of the challenge on `code`; mark the challenge used when it is right."""
    challenge = PhoneChallenge.get_or_none(PhoneChallenge.id == challenge_id)
    now = utcnow()
    if challenge is None:
        return CheckResult("missing")
    if challenge.used_at is not None:
        recent = now - challenge.used_at < DOUBLE_TAP
        return CheckResult("double_tap" if recent and _matches(challenge, code) else "used")
    if now >= challenge.expires_at:
        return CheckResult("expired")
    return _spend_try(challenge, code, now)


def _spend_try(challenge: PhoneChallenge, code: str, now: dt.datetime) -> CheckResult:
    # Conditional updates, so two requests racing cannot both get a try or both use the code.
    counted = (PhoneChallenge.update(attempts=PhoneChallenge.attempts + 1)
               .where(PhoneChallenge.id == challenge.id,
                      PhoneChallenge.attempts < MAX_TRIES, PhoneChallenge.used_at.is_null())
               .execute())
    if not counted:
        return CheckResult("locked")
    if not _matches(challenge, code):
        tries_left = MAX_TRIES - challenge.attempts - 1
        return CheckResult("wrong" if tries_left else "locked", tries_left)
    used = (PhoneChallenge.update(used_at=now)
            .where(PhoneChallenge.id == challenge.id, PhoneChallenge.used_at.is_null())
            .execute())
    return CheckResult("ok" if used else "used")
