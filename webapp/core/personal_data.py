"""What every room holds about one citizen, gathered for her "Dữ liệu của tôi" page, her download,
and a deletion request (Law 91/2025/QH15 on personal data protection).

Each room that keeps personal data registers a `Section` in its `init_app`: how to list what it
holds about a citizen (`collect`), and how to delete what may be deleted (`erase`). Every item
says whether the law keeps it (`kept_until` and `kept_because`): a dossier being processed, or
kept in the archive, is never deleted on request, and she is told why and until when. The
privacy room reads this registry and imports no room, so a new room only registers its section.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

EXTENSION = "personal_data"


@dataclass(frozen=True)
class Item:
    """One thing held about the citizen.

    `facts` are (label, value) rows for the page; `data` is the machine-readable form for the
    download; `opened_as` names the audit-log objects (type, id) under which staff looks at this
    item are recorded, so the page can say who opened it and when. `kept_because` says why a
    deletion request leaves it (and `kept_until` until when, if the rule gives a date).
    """

    title: Any
    facts: tuple[tuple[Any, str], ...] = ()
    data: dict = field(default_factory=dict)
    opened_as: tuple[tuple[str, str], ...] = ()
    kept_because: Any = None
    kept_until: dt.date | None = None

    @property
    def kept(self) -> bool:
        """Whether the law keeps it now (a deletion request leaves it)."""
        return self.kept_because is not None


@dataclass(frozen=True)
class Section:
    """What one room holds: `collect(citizen)` lists it; `erase(citizen)` deletes every item
    that is not kept and returns how many it deleted."""

    key: str
    title: Any
    collect: Callable[[Any], list[Item]]
    erase: Callable[[Any], int]
    order: int = 100  # where the section stands on the page (profile first)


def register(app: Flask, section: Section) -> None:
    """Called by a room's `init_app`."""
    app.extensions.setdefault(EXTENSION, {})[section.key] = section


def sections() -> list[Section]:
    """Every registered section, in page order."""
    return sorted(current_app.extensions.get(EXTENSION, {}).values(),
                  key=lambda s: (s.order, s.key))


def collect_all(citizen) -> list[tuple[Section, list[Item]]]:
    """Everything held about `citizen`, section by section."""
    return [(section, section.collect(citizen)) for section in sections()]


def opened_objects(collected: Iterable[tuple[Section, list[Item]]]) -> set[tuple[str, str]]:
    """The audit-log objects under which staff looks at her data are recorded."""
    return {found for _section, items in collected for item in items for found in item.opened_as}
