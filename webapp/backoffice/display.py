"""How the back office words things: procedure titles, due dates, masked phone numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from peewee import fn

from webapp.catalogue import Procedure
from webapp.core import clock
from webapp.core.i18n import current_language
from webapp.core.phones import InvalidPhone, mask_phone
from webapp.core.text import vietnamese_sort_key
from webapp.dossiers.api import lifecycle as lc

_titles_cache: dict[tuple, dict[int, dict[str, str]]] = {}


def procedure_titles() -> dict[int, dict[str, str]]:
    """Every procedure's plain title in both languages, by id.

    The catalogue changes rarely and its rows are large, so the titles are kept per process and
    reread only when the catalogue's row count or last update time changes (one cheap query).
    """
    stamp = tuple(Procedure.select(fn.COUNT(Procedure.id), fn.MAX(Procedure.updated_at))
                  .tuples().get())
    key = (id(Procedure._meta.database.obj), *stamp)
    if key not in _titles_cache:
        _titles_cache.clear()
        _titles_cache[key] = {
            pid: {lang: text.get("title", "") for lang, text in content.items()}
            for pid, content in Procedure.select(Procedure.id, Procedure.content).tuples()
        }
    return _titles_cache[key]


def procedure_title(titles: dict[int, dict[str, str]], procedure_id: int) -> str:
    names = titles.get(procedure_id, {})
    return names.get(current_language()) or names.get("vi", "")


def procedure_options(titles: dict[int, dict[str, str]]) -> list[tuple[int, str]]:
    """(id, title) pairs in Vietnamese alphabetical order, for a select box."""
    return _sorted_options(id(titles), current_language(), titles)


def _sorted_options(titles_id: int, language: str, titles) -> list[tuple[int, str]]:
    key = (titles_id, language)
    if key not in _options_cache:
        pairs = [(pid, names.get(language) or names.get("vi", "")) for pid, names in
                 titles.items()]
        if len(_options_cache) > 8:
            _options_cache.clear()
        _options_cache[key] = sorted(pairs, key=lambda pair: vietnamese_sort_key(pair[1]))
    return _options_cache[key]


_options_cache: dict[tuple[int, str], list[tuple[int, str]]] = {}


def masked_phone(number: str) -> str:
    """0912 *** 678, or the number's last three digits if it is not a mobile number."""
    try:
        return mask_phone(number)
    except InvalidPhone:
        return f"*** {number[-3:]}" if number else ""


@dataclass(frozen=True)
class DueNote:
    """A dossier's due date and what it means today, for the queue and the detail page."""

    text: str
    kind: str  # "late", "today", "soon", "ok", "paused", "done"


def due_note(status: str, due: dt.date | None, today: dt.date) -> DueNote:
    """'Overdue by 2 working days (due 24/11/2026)', 'Due today', 'Clock paused', ..."""
    if due is None:
        return DueNote("", "ok")
    date = due.strftime("%d/%m/%Y")
    if status == lc.MORE_PAPERS_REQUESTED:
        return DueNote(_("Clock paused while waiting for the citizen"), "paused")
    if status not in lc.OPEN_STATUSES:
        return DueNote(_("Was due on %(date)s", date=date), "done")
    left = clock.remaining_working_days(due, today)
    if due < today:
        # On a weekend after a Friday due date no working day has passed, yet it is late.
        late_by = max(1, -left)
        text = ngettext("Overdue by %(num)d working day (due %(date)s)",
                        "Overdue by %(num)d working days (due %(date)s)", late_by, date=date)
        return DueNote(text, "late")
    if left == 0:
        return DueNote(_("Due today (%(date)s)", date=date), "today")
    text = ngettext("%(num)d working day left (due %(date)s)",
                    "%(num)d working days left (due %(date)s)", left, date=date)
    return DueNote(text, "soon" if left <= 1 else "ok")
