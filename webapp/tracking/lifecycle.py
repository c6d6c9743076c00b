"""The life of a tracked item: a state table, and the one function that moves an item along it.

A kind of item (a dossier; later a report, a help request, a booking) declares its statuses,
the words citizens and officers read for each, and the allowed moves in a `Lifecycle`; it binds
that table to its tables and messages in a `TrackedKind`. `perform` then does what every move
of every kind needs, in one transaction: the status change as an optimistic compare-and-set,

    UPDATE item SET status=?, version=version+1 ... WHERE id=? AND version=? AND status=?

so an officer acting on an outdated page (someone else moved the item meanwhile) changes
nothing and gets StaleItem; the event on the timeline with who acted; the due date in working
days with the clock paused while the office waits; the figures of a decision; and the
citizen's message in the outbox. Either all of them happen or none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from webapp.core import clock
from webapp.core.db import database
from webapp.tracking import deadlines

STAFF, CITIZEN = "staff", "citizen"


@dataclass(frozen=True)
class Action:
    """One allowed kind of move: from which statuses, to which, and who may make it."""

    key: str
    sources: tuple[str, ...]
    target: str
    by: str
    label: object  # the button's words


class IllegalTransition(Exception):
    """The action cannot be taken from the item's current status (or by this kind of actor)."""

    def __init__(self, status: str, action: str) -> None:
        super().__init__(f"{action!r} is not allowed from {status!r}")
        self.status, self.action = status, action


class StaleItem(Exception):
    """Someone else changed the item after this page was shown; nothing was written."""


@dataclass(frozen=True)
class Lifecycle:
    """A kind's state table.

    `open_statuses`: the office owes an answer and the due date runs. `waiting_statuses`: the
    office waits for the citizen and the clock stands still. `decision_statuses`: reaching one
    fixes the figures of the decision. `finished_statuses`: the processing time has ended.
    """

    statuses: tuple[str, ...]
    actions: tuple[Action, ...]
    public_labels: Mapping[str, object]  # the citizen's words: status page, messages
    staff_labels: Mapping[str, object]  # the officer's words: queue, detail
    step_words: Mapping[str, object]  # the timeline's words for reaching each status
    open_statuses: tuple[str, ...]
    waiting_statuses: tuple[str, ...]
    decision_statuses: tuple[str, ...]
    finished_statuses: tuple[str, ...]
    by_key: dict[str, Action] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {action.key: action for action in self.actions})

    def public_label(self, status: str):
        """The citizen's words for a status."""
        return self.public_labels.get(status, status)

    def staff_label(self, status: str):
        """The officer's words for a status."""
        return self.staff_labels.get(status, status)

    def allowed_actions(self, status: str, by: str = STAFF) -> list[Action]:
        """The actions that may be taken from `status` by staff or by the citizen, in order."""
        return [a for a in self.actions if status in a.sources and a.by == by]

    def next_status(self, status: str, action_key: str, by: str = STAFF) -> str:
        """The status `action_key` leads to from `status`; IllegalTransition if not allowed."""
        action = self.by_key.get(action_key)
        if action is None or status not in action.sources or action.by != by:
            raise IllegalTransition(status, action_key)
        return action.target

    @property
    def deadlines(self) -> deadlines.Deadlines:
        """Due dates for items of this table (the clock stops in its waiting statuses)."""
        return deadlines.Deadlines(frozenset(self.waiting_statuses))


@dataclass
class Move:
    """What an actor asks for: the action, on which version of the item, with what words.

    `public_message` is shown to the citizen (what is missing, the reason for a refusal, how the
    result is delivered); `internal_note` stays with the staff. `after` runs inside the same
    transaction once the status has changed (to attach a result, for example).
    """

    action: str
    version: int
    staff: object = None
    citizen: object = None
    public_message: str = ""
    internal_note: str = ""
    after: Callable[[Any, Any], None] | None = None

    @property
    def by(self) -> str:
        return CITIZEN if self.citizen is not None and self.staff is None else STAFF


@dataclass(frozen=True)
class TrackedKind:
    """One kind of tracked item bound to its tables, its processing time and its messages.

    `item_field` names the event model's foreign key to the item; `working_days(item)` is the
    item's processing time; `notify(item, event, staff)` queues the citizen's message for a
    step (in the caller's transaction); `outcome_fields(item)` adds the kind's own columns to
    the outcome row fixed at a decision.
    """

    name: str
    lifecycle: Lifecycle
    item_model: type
    event_model: type
    item_field: str
    working_days: Callable[[Any], int]
    notify: Callable[[Any, Any, Any], None]
    outcome_model: type | None = None
    outcome_fields: Callable[[Any], dict] = lambda _item: {}

    def events_of(self, item_id: int):
        """The item's events, in no particular order (callers order them)."""
        return self.event_model.select().where(
            getattr(self.event_model, self.item_field) == item_id)


def perform(kind: TrackedKind, item, move: Move):
    """Apply `move` to `item` and return the event written.

    Raises IllegalTransition when the action is not allowed from the status the actor saw, and
    StaleItem when the item changed since (another officer, or a second tap); in both cases
    nothing is written. On success `item` holds the new status, version and due date.
    """
    if move.version != item.version:
        raise StaleItem(item.code)  # the actor saw an older state of this item
    seen_status = item.status
    target = kind.lifecycle.next_status(seen_status, move.action, move.by)
    now = clock.utcnow()
    # Read outside the write: the compare-and-set below proves nothing changed in between,
    # because every status change bumps the version.
    due_date = deadlines.due_date_after(kind, item, seen_status, target, now)
    with database.atomic():
        _compare_and_set(kind, item, move.version, seen_status, target, due_date, now)
        event = kind.event_model.create(
            **{kind.item_field: item.id}, created_at=now, kind="status_changed",
            from_status=seen_status, to_status=target,
            public_message=move.public_message.strip(),
            internal_note=move.internal_note.strip(), actor_staff=move.staff,
            actor_citizen=move.citizen)
        item.status, item.version, item.due_date = target, move.version + 1, due_date
        item.updated_at = now
        if move.after is not None:
            move.after(item, event)
        if target in kind.lifecycle.decision_statuses and kind.outcome_model is not None:
            record_outcome(kind, item, now)
        kind.notify(item, event, move.staff)
    return event


def _compare_and_set(kind: TrackedKind, item, version: int, seen_status: str, target: str,
                     due_date, now) -> None:
    model = kind.item_model
    changed = (model.update(status=target, version=model.version + 1, due_date=due_date,
                            updated_at=now)
               .where((model.id == item.id) & (model.version == version)
                      & (model.status == seen_status))
               .execute())
    if changed != 1:
        raise StaleItem(item.code)


def record_outcome(kind: TrackedKind, item, decided_at) -> None:
    """Fix the figures of a decision (on time or late, working days taken) in this transaction,
    so that figures are sums over these rows, not recomputations over every timeline."""
    decided_on = clock.local_date(decided_at)
    working_days = kind.lifecycle.deadlines.processing_working_days(
        clock.local_date(item.submitted_at), decided_on,
        deadlines.status_changes(kind, item.id))
    row = {"commune": item.commune_id, "decision": item.status, "decided_at": decided_at,
           "due_date": item.due_date, "on_time": decided_on <= item.due_date,
           "working_days": working_days, **kind.outcome_fields(item)}
    model = kind.outcome_model
    item_column = getattr(model, kind.item_field)
    (model.insert(**{kind.item_field: item.id}, **row)
     .on_conflict(conflict_target=[item_column], update=row).execute())
