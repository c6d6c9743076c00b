"""Putting messages in the outbox: the one call other rooms make.

    with database.atomic():
        dossier.save()
        event = DossierEvent.create(...)
        enqueue(template="dossier_status_changed", phone=dossier.contact_phone,
                data={...}, reference=f"dossier-event-{event.id}")

Because the message is a row written in the caller's transaction, it exists if and only if the
event was committed: a rolled-back action sends nothing, and a committed one is never lost,
whatever happens to the SMS gateway or to Zalo afterwards. Sending happens later, in the
worker, so an officer's action never waits for (or fails because of) a provider.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.core.phones import InvalidPhone, mask_phone, normalize_mobile
from webapp.notifications import templates
from webapp.notifications.models import PENDING, OutboxMessage

log = logging.getLogger(__name__)


def enqueue(
    *, template: str, phone: str, data: Mapping[str, Any], reference: str | None = None
) -> OutboxMessage:
    """Write a message to `phone` into the outbox, in the caller's transaction.

    `reference` makes it idempotent: enqueuing the same reference again returns the message
    already written (whatever the new arguments say) and sends nothing more. Use a stable id
    of the event ("dossier-event-123"), never personal data: references appear in logs and are
    sent to the SMS gateway. Raises `templates.UnknownTemplate` for an unregistered template
    and KeyError when `data` lacks one of the text's placeholders (programming errors). A phone
    number that is not a usable mobile number is accepted and fails in the worker, so that the
    caller's action still succeeds.
    """
    spec = templates.get(template)
    values = dict(data)
    text = spec.render(values)
    spec.zns_data(values)  # every ZNS parameter must be present too
    now = utcnow()
    row = {
        "template": template,
        "phone": canonical_phone(phone),
        "data": values,
        "text": text,
        "reference": reference or f"msg-{uuid.uuid4().hex}",
        "status": PENDING,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }
    # A savepoint inside the caller's transaction (or a transaction of its own without one);
    # ON CONFLICT DO NOTHING makes a concurrent enqueue of the same reference harmless on both
    # SQLite and PostgreSQL without aborting the caller's transaction.
    with database.atomic():
        OutboxMessage.insert(row).on_conflict_ignore().execute()
        message = OutboxMessage.get(OutboxMessage.reference == row["reference"])
    log.info("Outbox: %s to %s queued as message %s", template, masked(message.phone), message.id)
    return message


def canonical_phone(phone: str) -> str:
    """The local form "0912345678" when the number is a valid mobile, else as given."""
    try:
        return normalize_mobile(phone)
    except InvalidPhone:
        return (phone or "").strip()[:32]


def masked(phone: str) -> str:
    """The number for logs and screens: "0912 *** 678", or "***" when it is not a mobile."""
    try:
        return mask_phone(phone)
    except InvalidPhone:
        return "***"
