"""A dossier's timeline in plain words, as the citizen reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from webapp.dossiers import lifecycle
from webapp.dossiers.models import Dossier

# What each step means to the citizen ("Đã nhận hồ sơ", "Cần bổ sung giấy tờ", ...).
STEP_WORDS = {
    lifecycle.SUBMITTED: _l("Dossier sent"),
    lifecycle.RECEIVED: _l("Dossier received"),
    lifecycle.MORE_PAPERS_REQUESTED: _l("More papers needed"),
    lifecycle.PAPERS_ADDED: _l("Papers added"),
    lifecycle.APPROVED: _l("Result ready"),
    lifecycle.REFUSED: _l("Not approved"),
    lifecycle.CLOSED: _l("Result returned"),
}
NOTE_WORDS = _l("Message from the commune")
# While the office is working, the status card refreshes itself; otherwise it waits for the
# citizen (more papers) or it is over.
MOVING = (lifecycle.SUBMITTED, lifecycle.RECEIVED, lifecycle.PAPERS_ADDED)


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    words: object
    message: str


def public_events(dossier: Dossier) -> list[TimelineEntry]:
    """What happened, newest first, without officers' internal notes."""
    entries = []
    for event in dossier.timeline():
        if event.to_status and event.kind != "note":
            words = STEP_WORDS.get(event.to_status, lifecycle.public_label(event.to_status))
        elif event.public_message:
            words = NOTE_WORDS
        else:
            continue  # an internal note only
        entries.append(TimelineEntry(event.created_at, words, event.public_message))
    return entries[::-1]


def is_moving(dossier: Dossier) -> bool:
    return dossier.status in MOVING
