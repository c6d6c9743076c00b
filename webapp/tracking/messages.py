"""What every tracked kind's messages to the citizen share: short quotes of an officer's words,
who to call, and one outbox reference per step so a retried step never texts twice.

Each kind keeps its own texts in its room's `messages.py`, one function per event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

from webapp.notifications.outbox import enqueue
from webapp.places.province import contact_phone

MAX_QUOTED_CHARS = 120


# Stripped from the end of an officer's words: every message template puts its own full stop
# after them, so "chỗ sáng." or "chỗ sáng!" would read "chỗ sáng.." or "chỗ sáng!.".
_END_PUNCTUATION = " .,;:!?…"


def quoted(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """An officer's words shortened for a text message, cut at a word boundary, with the
    sentence's own final punctuation removed (the message template adds its own stop)."""
    text = " ".join(text.split()).rstrip(_END_PUNCTUATION)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(_END_PUNCTUATION) + "…"


def officer_phone(staff, commune=None) -> str:
    """Who to call: the officer who acted, else the commune's or the province's confirmed
    number; "" when none is confirmed (an unconfirmed number is never given)."""
    phone = getattr(staff, "phone", "") or ""
    if phone or commune is None:
        return phone or current_app.extensions["province"].help_hotline or ""
    return contact_phone(commune) or ""


def last_officer(kind, item_id: int):
    """The officer who last acted on the item (the citizen's contact when they answer)."""
    event = kind.event_model
    row = (kind.events_of(item_id).where(event.actor_staff.is_null(False))
           .order_by(event.created_at.desc(), event.id.desc()).first())
    return row.actor_staff if row else None


def enqueue_step(kind, item, *, template: str, data: Mapping[str, Any]) -> None:
    """Queue the message of the step that brought `item` to its current version, inside the
    caller's transaction; the reference (kind, item and version) makes it idempotent."""
    enqueue(template=template, phone=item.contact_phone, data=data,
            reference=step_reference(kind, item))


def step_reference(kind, item, suffix: str = "") -> str:
    """The outbox reference of an item's current step. It names the item by its code as well
    as its id: SQLite gives a deleted newest row's id to the next row, and an id alone would
    make the new item's message look like a repeat of the deleted one's and never be sent."""
    return f"{kind.name}-{item.id}-{item.code}-v{item.version}{suffix}"
