"""An item's timeline in plain words, as the citizen reads it on the status page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

NOTE_WORDS = _l("Message from the commune")


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    words: object
    message: str


def public_events(kind, item) -> list[TimelineEntry]:
    """What happened to `item` (of a TrackedKind), newest first, without internal notes."""
    lifecycle, event = kind.lifecycle, kind.event_model
    entries = []
    for row in kind.events_of(item.id).order_by(event.created_at, event.id):
        if row.to_status and row.kind != "note":
            words = lifecycle.step_words.get(row.to_status, lifecycle.public_label(row.to_status))
        elif row.public_message:
            words = NOTE_WORDS
        else:
            continue  # an internal note only
        entries.append(TimelineEntry(row.created_at, words, row.public_message))
    return entries[::-1]


def is_moving(kind, item) -> bool:
    """Whether the office is working on it now (the status page then refreshes itself)."""
    return item.status in kind.lifecycle.open_statuses
