"""The public figures, counted at most every PUBLIC_FIGURES_SECONDS per process.

The public page is open to everyone and may be opened by thousands at once; counting a
province's year of dossiers takes about 150 ms. So each process keeps what it counted for each
(set, period, grouping, language) and serves it until it is PUBLIC_FIGURES_SECONDS old: at most
one count per key and period of time, whatever the traffic, and no query at all in between.
The keys are bounded (the sets, three periods, three groupings, two languages): anything else
asked for falls back to the defaults before it gets here. One lock, so that when a count
expires under load one thread counts and the others wait for its result instead of counting
too.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from flask import current_app

from webapp.core.clock import local_date, utcnow
from webapp.core.figure_sets import FigureSet
from webapp.core.i18n import current_language


@dataclass(frozen=True)
class Counted:
    rows: list
    total: object
    counted_at: dt.datetime  # UTC


_kept: dict[tuple, Counted] = {}
_lock = threading.Lock()


def counted(figure_set: FigureSet, months: tuple[str, ...], grouping: str) -> Counted:
    """The set's rows for `months` grouped by `grouping`, counted at most
    PUBLIC_FIGURES_SECONDS ago."""
    key = (current_app.config["DATABASE_URL"], figure_set.key, months, grouping,
           current_language())
    found = _fresh(key)
    if found is None:
        with _lock:
            found = _fresh(key)
            if found is None:
                now = utcnow()
                rows, total = figure_set.count(months, grouping, local_date(now))
                found = _kept[key] = Counted(rows, total, now)
    return found


def _fresh(key: tuple) -> Counted | None:
    found = _kept.get(key)
    seconds = current_app.config["PUBLIC_FIGURES_SECONDS"]
    if found is None or (utcnow() - found.counted_at).total_seconds() >= seconds:
        return None
    return found


def seconds_left(found: Counted) -> float:
    """How long these figures stay the ones `counted` answers (the page cache keeps the page
    no longer, core/page_cache.py)."""
    seconds = current_app.config["PUBLIC_FIGURES_SECONDS"]
    return seconds - (utcnow() - found.counted_at).total_seconds()


def forget() -> None:
    """Count again on the next request (the tests start each from nothing)."""
    _kept.clear()
