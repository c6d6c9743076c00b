"""The worker: claims due messages, sends them, records every attempt, retries with backoff.

Claiming is one conditional UPDATE per message (`WHERE id = ? AND <claimable>`) whose row count
says who won, so two workers never send the same message, on SQLite and PostgreSQL alike. A
claim is a lease: a worker that dies mid-send leaves the message in `sending` until the lease
runs out, and then any worker takes it up again. The outcome is written with the claim's token
as a fence, so a worker that outlived its lease cannot overwrite the newer outcome.

Sending happens outside any transaction: no database lock is held while a provider answers.

The rule for each message, over the transports of NOTIFY_TRANSPORTS in order (e.g. zns, sms):
- a transport that does not handle the message (ZNS without a template for its kind) is
  skipped without an attempt;
- accepted: sent, done;
- refused but worth retrying (timeouts, 5xx, 429): try the same transport again after a
  doubling delay, up to NOTIFY_MAX_ATTEMPTS attempts on that transport;
- refused until a known time (ZNS at night, or with the day's quota spent): wait for 06:00 or
  the quota's reset and try the same transport then, when the message can wait that long (not
  past its kind's maximum age, so a sign-in code goes by SMS at once; never more than
  LONGEST_WAIT after it was queued); else the next transport at once;
- refused for good (no Zalo account, invalid number, template problems...) or out of retries:
  fall back to the next transport at once; after the last one, the message is failed.

A transport without an idempotency key (ZNS, `idempotent = False`) is marked `in_flight` on the
message before its request leaves. Should the worker die before writing the outcome, the next
worker finds the mark and does not send that way again: the message goes by the next transport.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.integrations.results import (
    WAIT_FOR_MORNING,
    WAIT_FOR_QUOTA,
    SendError,
    SendResult,
)
from webapp.notifications import templates
from webapp.notifications.models import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    OutboxAttempt,
    OutboxMessage,
)
from webapp.notifications.outbox import masked
from webapp.notifications.sending_hours import next_morning, next_quota_reset
from webapp.notifications.transports import Transport, build_transports

log = logging.getLogger(__name__)

RETRY = "retry"  # the outcome of a round for a message that stays pending
NO_TRANSPORT = "no_transport"  # last_error when no configured transport handles the message
EXPIRED = "expired"  # last_error of a message whose kind has a maximum age, past it
# However long a message waits for ZNS's morning or quota, it goes by the next transport once
# it would be this old: a day-old notice is worth an SMS.
LONGEST_WAIT = dt.timedelta(hours=24)
# The error codes after which a provider takes messages again at a known time, and that time.
WAITS: dict[str, Callable[[dt.datetime], dt.datetime]] = {
    **dict.fromkeys(WAIT_FOR_MORNING, next_morning),
    **dict.fromkeys(WAIT_FOR_QUOTA, next_quota_reset),
}
_LOST_BY_AN_EARLIER_WORKER = SendResult.failed(
    SendError.ANSWER_LOST, retryable=False,
    detail="sent by a worker that stopped before writing the answer down")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to keep trying, and how long a claim lasts."""

    max_attempts: int = 8  # per transport
    first_delay: float = 30.0  # seconds before the second attempt
    max_delay: float = 3600.0
    lease: float = 300.0  # longer than the slowest send (two transports, 10 s timeouts)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RetryPolicy:
        return cls(
            max_attempts=max(1, int(config.get("NOTIFY_MAX_ATTEMPTS", cls.max_attempts))),
            first_delay=float(config.get("NOTIFY_RETRY_SECONDS", cls.first_delay)),
            max_delay=float(config.get("NOTIFY_RETRY_MAX_SECONDS", cls.max_delay)),
            lease=float(config.get("NOTIFY_LEASE_SECONDS", cls.lease)),
        )

    def delay(self, failures: int) -> dt.timedelta:
        """The wait after `failures` failed attempts on one transport: doubling up to a cap,
        less up to a fifth at random, so that messages that failed together during an outage
        do not all come back at the same second."""
        seconds = min(self.first_delay * 2 ** (failures - 1), self.max_delay)
        return dt.timedelta(seconds=seconds * random.uniform(0.8, 1.0))


@dataclass
class Attempt:
    transport: str
    result: SendResult
    started_at: dt.datetime
    finished_at: dt.datetime


@dataclass
class Outcome:
    """What happened to a claimed message in this round."""

    status: str  # SENT, PENDING (to retry) or FAILED
    transport: str | None
    transport_attempts: int
    attempts: list[Attempt] = field(default_factory=list)
    next_attempt_at: dt.datetime | None = None
    error: str | None = None  # why it failed without any attempt

    @property
    def label(self) -> str:
        return RETRY if self.status == PENDING else self.status


class Worker:
    """Sends due outbox messages through an ordered list of transports."""

    def __init__(
        self,
        transports: list[Transport],
        policy: RetryPolicy | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.transports = list(transports)
        self.policy = policy or RetryPolicy()
        self.clock = clock

    @classmethod
    def from_config(cls, config: Mapping[str, Any], **kwargs: Any) -> Worker:
        """A worker for the configured transports (NotificationSettingsError if unusable)."""
        return cls(build_transports(config), RetryPolicy.from_config(config), **kwargs)

    def run_once(self, limit: int = 100) -> Counter:
        """Claim and process up to `limit` due messages; count outcomes ("sent", "retry",
        "failed", and "taken" for messages another worker claimed first)."""
        self.keep_transports_fresh()
        outcomes: Counter = Counter()
        for message_id in OutboxMessage.due_ids(self.clock(), limit):
            message = self.claim(message_id)
            outcomes[self.process(message) if message else "taken"] += 1
        return outcomes

    def keep_transports_fresh(self) -> None:
        """Let transports renew what expires on its own (the stored ZNS token) even when
        nothing is due; the transports that have nothing to renew have no `keep_fresh`."""
        for transport in self.transports:
            keep_fresh = getattr(transport, "keep_fresh", None)
            if keep_fresh is not None:
                keep_fresh()

    def drain(self, batch: int = 100) -> Counter:
        """Run rounds until nothing more is due now (retries are always due later)."""
        total: Counter = Counter()
        while True:
            outcomes = self.run_once(batch)
            total.update(outcomes)
            if sum(outcomes.values()) < batch:
                return total

    def claim(self, message_id: int) -> OutboxMessage | None:
        """Take the message for this worker, or None when another worker has it."""
        now = self.clock()
        token = uuid.uuid4().hex
        claimed = (
            OutboxMessage.update(
                status=SENDING,
                claim_token=token,
                lease_expires_at=now + dt.timedelta(seconds=self.policy.lease),
                updated_at=now,
            )
            .where((OutboxMessage.id == message_id) & OutboxMessage.claimable(now))
            .execute()
        )
        if claimed != 1:
            return None
        return OutboxMessage.get_by_id(message_id)

    def process(self, message: OutboxMessage) -> str:
        """Send a claimed message and record the outcome; return "sent", "retry" or "failed"."""
        if self._too_old(message):
            outcome = Outcome(FAILED, message.transport, message.transport_attempts, error=EXPIRED)
        else:
            outcome = self.deliver(message)
        self.record(message, outcome)
        return outcome.label

    def deliver(self, message: OutboxMessage) -> Outcome:
        """Try the transports in order as the module's rule says; write nothing."""
        attempts: list[Attempt] = []
        last = Outcome(FAILED, message.transport, message.transport_attempts)
        for transport, earlier_tries in self._remaining_transports(message):
            attempt = self._attempt(transport, message)
            if attempt is None:
                continue
            attempts.append(attempt)
            tries = earlier_tries + 1
            outcome = self._outcome(message, attempt, tries)
            if outcome is not None:
                outcome.attempts = attempts
                return outcome
            last = Outcome(FAILED, transport.name, tries, attempts)
        last.attempts = attempts
        last.error = None if attempts else NO_TRANSPORT
        return last

    def _outcome(self, message: OutboxMessage, attempt: Attempt, tries: int) -> Outcome | None:
        """Sent, or pending until the time to try this transport again; None to move on to the
        next transport now."""
        result = attempt.result
        if result.ok:
            return Outcome(SENT, attempt.transport, tries)
        retry_at = self._retry_at(message, result, tries) if result.retryable else None
        if retry_at is None:
            return None
        return Outcome(PENDING, attempt.transport, tries, next_attempt_at=retry_at)

    def _retry_at(self, message: OutboxMessage, result: SendResult, tries: int
                  ) -> dt.datetime | None:
        """When to try a retryable failure again on the same transport, or None for never."""
        wait = WAITS.get(str(result.error_code))
        if wait is not None:
            return self._can_wait_until(message, wait(self.clock()))
        if tries < self.policy.max_attempts:
            return self.clock() + self.policy.delay(tries)
        return None

    def _can_wait_until(self, message: OutboxMessage, until: dt.datetime) -> dt.datetime | None:
        """`until`, if the message may still be sent then: within its kind's maximum age and
        LONGEST_WAIT of being queued; else None."""
        spec = templates.find(message.template)
        limit = LONGEST_WAIT
        if spec is not None and spec.max_age_seconds:
            limit = min(limit, dt.timedelta(seconds=spec.max_age_seconds))
        return until if until - message.created_at <= limit else None

    def record(self, message: OutboxMessage, outcome: Outcome) -> None:
        """Write the outcome and its attempts in one transaction, fenced by the claim token."""
        now = self.clock()
        changes = _changes(outcome, now)
        with database.atomic():
            updated = (
                OutboxMessage.update(
                    attempts=OutboxMessage.attempts + len(outcome.attempts), **changes
                )
                .where(
                    (OutboxMessage.id == message.id)
                    & (OutboxMessage.claim_token == message.claim_token)
                )
                .execute()
            )
            if outcome.attempts:
                rows = [_attempt_row(message, attempt) for attempt in outcome.attempts]
                OutboxAttempt.insert_many(rows).execute()
        if updated != 1:
            log.warning("Outbox message %s: claim lost (lease expired); outcome %s not kept",
                        message.id, outcome.label)
            return
        log.info("Outbox message %s (%s) to %s: %s via %s after %s attempt(s)%s",
                 message.id, message.template, masked(message.phone), outcome.label,
                 outcome.transport or "-", message.attempts + len(outcome.attempts),
                 f" ({changes['last_error']})" if changes.get("last_error") else "")

    def _too_old(self, message: OutboxMessage) -> bool:
        spec = templates.find(message.template)
        if spec is None or not spec.max_age_seconds:
            return False
        return self.clock() - message.created_at > dt.timedelta(seconds=spec.max_age_seconds)

    def _remaining_transports(self, message: OutboxMessage) -> list[tuple[Transport, int]]:
        """(transport, attempts already made on it): from the one the message was retrying
        on, else from the first (also when the configuration changed in between)."""
        names = [transport.name for transport in self.transports]
        start, earlier = 0, 0
        if message.transport in names:
            start, earlier = names.index(message.transport), message.transport_attempts
        rest = [(transport, 0) for transport in self.transports[start + 1:]]
        return [(self.transports[start], earlier), *rest]

    def _attempt(self, transport: Transport, message: OutboxMessage) -> Attempt | None:
        """One send through one transport; a crash in our own code counts as retryable."""
        started = self.clock()
        if _sends_once(transport, message):
            if message.in_flight == transport.name:  # an earlier worker's request went out
                return Attempt(transport.name, _LOST_BY_AN_EARLIER_WORKER, started, started)
            self._mark_in_flight(message, transport.name)
        try:
            result = transport.send(message)
        except Exception as error:  # a bug must not lose the message nor stop the worker
            result = _crash_result(transport, message, error)
        if result is None:
            return None
        return Attempt(transport.name, result, started, self.clock())

    def _mark_in_flight(self, message: OutboxMessage, transport: str) -> None:
        """Write down, before the request leaves, that it is about to (committed at once)."""
        (OutboxMessage.update(in_flight=transport)
         .where((OutboxMessage.id == message.id)
                & (OutboxMessage.claim_token == message.claim_token))
         .execute())


def _sends_once(transport: Transport, message: OutboxMessage) -> bool:
    """True when this transport will send the message and cannot drop a repeated request."""
    if getattr(transport, "idempotent", True):
        return False
    handles = getattr(transport, "handles", None)
    return handles is None or handles(message)


def _crash_result(transport: Transport, message: OutboxMessage, error: Exception) -> SendResult:
    """Log where our code broke (not the exception's text, which might hold a phone number)."""
    frame = traceback.extract_tb(error.__traceback__)[-1]
    where = f"{frame.filename}:{frame.lineno} in {frame.name}"
    log.error("Transport %s failed on outbox message %s: %s at %s",
              transport.name, message.id, type(error).__name__, where)
    return SendResult.failed(SendError.PROVIDER_ERROR, retryable=True,
                             detail=f"{type(error).__name__} at {where}")


def _changes(outcome: Outcome, now: dt.datetime) -> dict[str, Any]:
    """The message's new fields for an outcome."""
    errors = [a.result.error_code for a in outcome.attempts if a.result.error_code]
    sent = outcome.status == SENT
    changes: dict[str, Any] = {
        "status": outcome.status,
        "transport": outcome.transport,
        "transport_attempts": outcome.transport_attempts,
        "lease_expires_at": None,
        "claim_token": None,
        "in_flight": None,
        "updated_at": now,
        "last_error": str(errors[-1]) if errors else outcome.error,
    }
    if outcome.next_attempt_at:
        changes["next_attempt_at"] = outcome.next_attempt_at
    if sent:
        changes["sent_at"] = now
        changes["provider_message_id"] = outcome.attempts[-1].result.provider_message_id
    if sent and not errors:
        del changes["last_error"]  # keep an earlier round's error for the record
    return changes


def _attempt_row(message: OutboxMessage, attempt: Attempt) -> dict[str, Any]:
    result = attempt.result
    return {
        "message": message.id,
        "transport": attempt.transport,
        "ok": result.ok,
        "retryable": result.retryable,
        "error_code": str(result.error_code) if result.error_code else None,
        "error_detail": (result.error_detail or "")[:500] or None,
        "provider_message_id": result.provider_message_id,
        "started_at": attempt.started_at,
        "finished_at": attempt.finished_at,
    }


def run_forever(
    worker: Worker, *, interval: float, stop: threading.Event, batch: int = 100
) -> Counter:
    """Send rounds until `stop` is set, waiting `interval` seconds when nothing was due.

    Database trouble (a restart, a locked SQLite file) is logged and retried next round: the
    messages are safe in the outbox meanwhile.
    """
    total: Counter = Counter()
    while not stop.is_set():
        try:
            with database.connection_context():
                outcomes = worker.run_once(batch)
        except Exception as error:
            log.error("Outbox round failed: %s; trying again in %.0f s",
                      type(error).__name__, interval)
            outcomes = Counter()
        total.update(outcomes)
        if sum(outcomes.values()) < batch:
            stop.wait(interval)
    return total
