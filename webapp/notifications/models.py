"""The outbox: one row per message to a phone, and one row per attempt to send it; and the
Zalo Official Account's tokens, which the ZNS transport refreshes itself.

A message is written in the caller's transaction (so it exists exactly when the event that
caused it was committed) and then moves pending -> sending -> sent | failed under the worker.
`sending` is a lease: a worker that dies while holding it loses it at `lease_expires_at`, and
`claim_token` fences its late writes so that they cannot overwrite a newer worker's outcome.
`in_flight` names a transport without an idempotency key (ZNS) whose request went out and whose
outcome was never written: the next worker must not send that way again. After sending, an SMS
gateway's delivery report lands in `delivery_status`.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from webapp.core.clock import utcnow
from webapp.core.db import BaseModel, JSONField

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
STATUSES = (PENDING, SENDING, SENT, FAILED)
FINISHED = (SENT, FAILED)
# What a provider's delivery report said, after the provider took the message.
DELIVERED, NOT_DELIVERED, AWAITING_REPORT = "delivered", "not_delivered", "awaiting_report"
DELIVERY_STATUSES = (DELIVERED, NOT_DELIVERED, AWAITING_REPORT)


class OutboxMessage(BaseModel):
    """A message to one phone: what to say, and where it stands."""

    template = CharField(max_length=64)  # key of a registered message template
    phone = CharField(max_length=32)  # personal data: canonical "0912345678"; mask in logs
    data = JSONField()  # the template's named values (also the ZNS template parameters)
    text = TextField()  # the Vietnamese sentence, rendered when the message was enqueued
    reference = CharField(max_length=200, unique=True)  # idempotency key; no personal data
    status = CharField(max_length=10, default=PENDING, index=True)
    attempts = IntegerField(default=0)  # every attempt, on every transport
    transport = CharField(max_length=20, null=True)  # transport of the latest attempt
    transport_attempts = IntegerField(default=0)  # attempts on that transport
    next_attempt_at = DateTimeField(default=utcnow)
    lease_expires_at = DateTimeField(null=True)
    claim_token = CharField(max_length=32, null=True)
    last_error = CharField(max_length=40, null=True)  # a SendError code
    # The provider's id for it; indexed for the delivery reports, which name it.
    provider_message_id = CharField(max_length=100, null=True, index=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    in_flight = CharField(max_length=20, null=True)  # see the module docstring
    delivery_status = CharField(max_length=20, null=True)  # DELIVERY_STATUSES, from a report
    delivery_reported_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),)

    @classmethod
    def claimable(cls, now: dt.datetime):
        """Due pending messages, and messages whose worker's lease has run out."""
        due = (cls.status == PENDING) & (cls.next_attempt_at <= now)
        abandoned = (cls.status == SENDING) & (cls.lease_expires_at < now)
        return due | abandoned

    @classmethod
    def due_ids(cls, now: dt.datetime, limit: int) -> list[int]:
        """Ids of messages a worker may claim now, oldest due first."""
        query = (cls.select(cls.id).where(cls.claimable(now))
                 .order_by(cls.next_attempt_at, cls.id).limit(limit))
        return [row.id for row in query]

    @classmethod
    def delivered_locally(cls, limit: int = 50):
        """Messages the development transport "sent", newest first (the development page)."""
        return (cls.select().where((cls.transport == "development") & (cls.status == SENT))
                .order_by(cls.sent_at.desc(), cls.id.desc()).limit(limit))

    @classmethod
    def count_delivery_reports(cls, since: dt.datetime) -> dict[str, int]:
        """What the delivery reports said about the messages sent since `since`."""
        counts = dict.fromkeys(DELIVERY_STATUSES, 0)
        query = (cls.select(cls.delivery_status, fn.COUNT(cls.id).alias("n"))
                 .where(cls.delivery_status.is_null(False) & (cls.sent_at >= since))
                 .group_by(cls.delivery_status))
        counts.update({row.delivery_status: row.n for row in query})
        return counts

    @classmethod
    def count_by_status(cls) -> dict[str, int]:
        """How many messages are in each status (zero for none)."""
        counts = dict.fromkeys(STATUSES, 0)
        query = cls.select(cls.status, fn.COUNT(cls.id).alias("n")).group_by(cls.status)
        counts.update({row.status: row.n for row in query})
        return counts


class OutboxAttempt(BaseModel):
    """The outcome of one attempt to send a message through one transport."""

    message = ForeignKeyField(OutboxMessage, backref="attempt_rows", on_delete="CASCADE")
    transport = CharField(max_length=20)
    ok = BooleanField()
    retryable = BooleanField(default=False)
    error_code = CharField(max_length=40, null=True)
    error_detail = TextField(null=True)  # technical, for operators; never personal data
    provider_message_id = CharField(max_length=100, null=True)
    started_at = DateTimeField()
    finished_at = DateTimeField()

    @classmethod
    def for_message(cls, message: OutboxMessage):
        return cls.select().where(cls.message == message).order_by(cls.id)


class ZaloOaToken(BaseModel):
    """The Official Account's tokens for ZNS: a single row (`ONLY_ID`), loaded by an operator
    (`flask notifications zns-token`) and refreshed by `webapp.notifications.zns_token`.

    Both tokens are secrets: never log them; the repr leaves them out.
    """

    ONLY_ID = 1

    access_token = TextField()
    refresh_token = TextField()  # single use: each refresh brings the next one
    expires_at = DateTimeField()  # UTC: when Zalo stops accepting the access token
    updated_at = DateTimeField(default=utcnow)  # the last refresh, or the operator's loading
    refused_at = DateTimeField(null=True)  # Zalo refused the refresh token: a person must act
    refusal = CharField(max_length=40, null=True)  # Zalo's error code for that refusal
    refreshing_until = DateTimeField(null=True)  # one process's lease on the refresh

    def __repr__(self) -> str:
        return (f"<ZaloOaToken expires_at={self.expires_at} updated_at={self.updated_at} "
                f"refused_at={self.refused_at}>")

    @classmethod
    def current(cls) -> ZaloOaToken | None:
        return cls.get_or_none(cls.id == cls.ONLY_ID)
