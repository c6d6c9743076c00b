"""The daily clean-up, gathered from every room.

What is kept only for a while (spent sign-in codes, ended sessions, expired drafts and their
photos, finished text messages, and whatever later rooms keep) is deleted by one command,
`flask housekeeping`, run daily from cron or a systemd timer. Each room registers its chores
in its `init_app`; this module only runs them in order, so a new room adds its retention rule
without touching the command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION = "housekeeping"


@dataclass(frozen=True)
class Chore:
    """One clean-up: `run()` deletes what is due and returns a sentence for the operator."""

    name: str
    run: Callable[[], str]


def register(app: Flask, name: str, run: Callable[[], str]) -> None:
    """Add a room's chore (called from the room's `init_app`)."""
    app.extensions.setdefault(EXTENSION, []).append(Chore(name, run))


def chores() -> list[Chore]:
    """Every registered chore, in registration order (rooms from the bottom layer up)."""
    return list(current_app.extensions.get(EXTENSION, []))
