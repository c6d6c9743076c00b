"""Due dates of tracked items in working days, with the clock paused while the office waits.

The clock starts on the day the citizen sent the item (local time in Việt Nam), so an item left
unreceived in the queue still uses up its time. It runs for the item's processing time in
working days (`webapp.core.workdays`: weekends, public holidays, substitute days). It stops
while the office waits for the citizen (the kind's waiting statuses, e.g. a dossier whose
officer asked for more papers): from the day after the office started waiting until the day
the citizen answered. Counting resumes the next working day, so the officer gets back exactly
the working days that were left.

Pauses are derived from the item's status-change events, never stored, so the same history
always gives the same due date, and recomputing it is safe at any time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from webapp.core.clock import calendar, local_date, remaining_working_days

_ONE_DAY = dt.timedelta(days=1)

Pause = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class StatusChange:
    """One move of an item's status, on a local day."""

    on: dt.date
    from_status: str
    to_status: str


@dataclass(frozen=True)
class Deadlines:
    """Due dates for one kind of item, whose clock stands still in its `waiting` statuses."""

    waiting: frozenset[str]

    def pauses(self, changes: Iterable[StatusChange],
               today: dt.date | None = None) -> list[Pause]:
        """Inclusive periods in which the clock stood still, in order.

        A pause starts the day after the office started waiting (it worked on the item that
        day) and ends on the day the citizen answered. A pause still open ends `today`, which
        gives the due date the item would have if the citizen answered today.
        """
        found: list[Pause] = []
        started: dt.date | None = None
        for change in sorted(changes, key=lambda c: c.on):
            if change.to_status in self.waiting and started is None:
                started = change.on + _ONE_DAY
            elif change.from_status in self.waiting and started is not None:
                found.append((started, change.on))
                started = None
        if started is not None and today is not None:
            found.append((started, today))
        # A request answered the same day paused nothing.
        return [(first, last) for first, last in found if first <= last]

    def due_date(self, received_on: dt.date, working_days: int,
                 changes: Sequence[StatusChange] = (), today: dt.date | None = None) -> dt.date:
        """The due date of an item received on `received_on` that takes `working_days`."""
        return calendar().due_date(received_on, working_days, self.pauses(changes, today))

    def processing_working_days(self, received_on: dt.date, decided_on: dt.date,
                                changes: Sequence[StatusChange] = ()) -> int:
        """Working days the office took, not counting the days it waited for the citizen."""
        cal = calendar()
        paused = self.pauses(changes)
        start = next(d for d in _days_from(received_on) if cal.is_working_day(d))
        days = (start + dt.timedelta(days=i) for i in range(1, (decided_on - start).days + 1))
        return sum(1 for d in days
                   if cal.is_working_day(d) and not any(a <= d <= b for a, b in paused))


def _days_from(start: dt.date):
    day = start
    while True:
        yield day
        day += _ONE_DAY


# --- Reading an item's history -----------------------------------------------------------------


def status_changes(kind, item_id: int) -> list[StatusChange]:
    """The status changes of an item of `kind` (a TrackedKind), oldest first, in one query."""
    event = kind.event_model
    rows = (kind.events_of(item_id)
            .select(event.created_at, event.from_status, event.to_status)
            .where(event.to_status.is_null(False) & (event.to_status != ""))
            .order_by(event.created_at, event.id).tuples())
    return [StatusChange(local_date(at), from_s or "", to_s) for at, from_s, to_s in rows]


def due_date_after(kind, item, from_status: str, to_status: str, now: dt.datetime) -> dt.date:
    """The due date to store once `item` moves from `from_status` to `to_status` at `now`."""
    changes = [*status_changes(kind, item.id), StatusChange(local_date(now), from_status,
                                                            to_status)]
    return kind.lifecycle.deadlines.due_date(local_date(item.submitted_at),
                                            kind.working_days(item), changes)


def days_left_when_answered(due: dt.date | None, waiting_since: dt.datetime) -> int:
    """While the office waits for the citizen: the working days the office will still have once
    she answers (those left on the day it started waiting; the stored due date is stale then)."""
    if due is None:
        return 0
    return max(0, remaining_working_days(due, local_date(waiting_since)))
