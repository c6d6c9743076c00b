"""The life of a dossier, in one place: its statuses, who may move it where, and the move itself.

    submitted -> received -> (more_papers_requested <-> papers_added)
              -> approved (result attached) | refused (reason given)
    approved  -> closed (result collected at the one-stop shop or delivered by post)

Every other move is impossible: `perform` refuses it with IllegalTransition, also when two
officers act on the same dossier at once. The write is an optimistic compare-and-set,

    UPDATE dossier SET status=?, version=version+1 ... WHERE id=? AND version=? AND status=?

so the officer who acted on an outdated page (someone else moved the dossier meanwhile) changes
nothing and gets StaleDossier. The status change, its DossierEvent and the citizen's message in
the outbox are written in one transaction: either all of them happen or none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

SUBMITTED = "submitted"
RECEIVED = "received"
MORE_PAPERS_REQUESTED = "more_papers_requested"
PAPERS_ADDED = "papers_added"
APPROVED = "approved"
REFUSED = "refused"
CLOSED = "closed"

STATUSES = (SUBMITTED, RECEIVED, MORE_PAPERS_REQUESTED, PAPERS_ADDED, APPROVED, REFUSED, CLOSED)
# Statuses in which the office owes the citizen an answer and the due date runs.
OPEN_STATUSES = (SUBMITTED, RECEIVED, PAPERS_ADDED)
# Statuses in which the office has decided: the processing time has ended.
DECIDED_STATUSES = (APPROVED, REFUSED, CLOSED)

# What the citizen reads on the status page and in messages: plain words, no office jargon.
_PUBLIC_LABELS = {
    SUBMITTED: _l("Sent, waiting to be received"),
    RECEIVED: _l("Received, being processed"),
    MORE_PAPERS_REQUESTED: _l("More papers needed from you"),
    PAPERS_ADDED: _l("Papers added, being processed"),
    APPROVED: _l("Result ready"),
    REFUSED: _l("Not approved"),
    CLOSED: _l("Result returned"),
}

# What the officer reads in the queue: shorter, about the work to do.
_STAFF_LABELS = {
    SUBMITTED: _l("New"),
    RECEIVED: _l("In progress"),
    MORE_PAPERS_REQUESTED: _l("Waiting for the citizen"),
    PAPERS_ADDED: _l("Papers added"),
    APPROVED: _l("Result to return"),
    REFUSED: _l("Refused"),
    CLOSED: _l("Returned"),
}


def public_label(status: str):
    """The citizen's words for a status."""
    return _PUBLIC_LABELS.get(status, status)


def staff_label(status: str):
    """The officer's words for a status."""
    return _STAFF_LABELS.get(status, status)


STAFF, CITIZEN = "staff", "citizen"


@dataclass(frozen=True)
class Action:
    """One allowed kind of move: from which statuses, to which, and who may make it."""

    key: str
    sources: tuple[str, ...]
    target: str
    by: str
    label: object  # the button's words


ACTIONS: dict[str, Action] = {
    action.key: action
    for action in (
        Action("receive", (SUBMITTED,), RECEIVED, STAFF, _l("Receive the dossier")),
        Action("request_papers", (RECEIVED, PAPERS_ADDED), MORE_PAPERS_REQUESTED, STAFF,
               _l("Ask for more papers")),
        Action("add_papers", (MORE_PAPERS_REQUESTED,), PAPERS_ADDED, CITIZEN,
               _l("Send the papers")),
        Action("approve", (RECEIVED, PAPERS_ADDED), APPROVED, STAFF,
               _l("Approve and attach the result")),
        Action("refuse", (RECEIVED, PAPERS_ADDED), REFUSED, STAFF, _l("Refuse with a reason")),
        Action("close", (APPROVED,), CLOSED, STAFF, _l("Result collected or delivered")),
    )
}


class IllegalTransition(Exception):
    """The action cannot be taken from the dossier's current status (or by this kind of actor)."""

    def __init__(self, status: str, action: str) -> None:
        super().__init__(f"{action!r} is not allowed from {status!r}")
        self.status, self.action = status, action


class StaleDossier(Exception):
    """Someone else changed the dossier after this page was shown; nothing was written."""


def allowed_actions(status: str, by: str = STAFF) -> list[Action]:
    """The actions that may be taken from `status` by staff or by the citizen, in flow order."""
    return [a for a in ACTIONS.values() if status in a.sources and a.by == by]


def next_status(status: str, action_key: str, by: str = STAFF) -> str:
    """The status `action_key` leads to from `status`; IllegalTransition if it is not allowed."""
    action = ACTIONS.get(action_key)
    if action is None or status not in action.sources or action.by != by:
        raise IllegalTransition(status, action_key)
    return action.target


@dataclass
class Move:
    """What an actor asks for: the action, on which version of the dossier, with what words.

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
    after: Callable[[object, object], None] | None = None


def perform(dossier, move: Move):
    """Apply `move` to `dossier` and return the DossierEvent written.

    Raises IllegalTransition when the action is not allowed from the status the actor saw, and
    StaleDossier when the dossier changed since (another officer, or a second tap); in both
    cases nothing is written. On success `dossier` holds the new status, version and due date.
    """
    from webapp.core.clock import utcnow
    from webapp.core.db import database
    from webapp.dossiers import deadlines
    from webapp.dossiers.models import Dossier, DossierEvent

    by = CITIZEN if move.citizen is not None and move.staff is None else STAFF
    if move.version != dossier.version:
        raise StaleDossier(dossier.code)  # the actor saw an older state of this dossier
    seen_status = dossier.status
    target = next_status(seen_status, move.action, by)
    now = utcnow()
    # Read outside the write: the compare-and-set below proves nothing changed in between,
    # because every status change bumps the version.
    due_date = deadlines.due_date_after(dossier, seen_status, target, now)
    with database.atomic():
        changed = (
            Dossier.update(status=target, version=Dossier.version + 1, due_date=due_date,
                           updated_at=now)
            .where((Dossier.id == dossier.id) & (Dossier.version == move.version)
                   & (Dossier.status == seen_status))
            .execute()
        )
        if changed != 1:
            raise StaleDossier(dossier.code)
        event = DossierEvent.create(
            dossier=dossier.id, created_at=now, kind="status_changed", from_status=seen_status,
            to_status=target, public_message=move.public_message.strip(),
            internal_note=move.internal_note.strip(), actor_staff=move.staff,
            actor_citizen=move.citizen)
        dossier.status, dossier.version, dossier.due_date = target, move.version + 1, due_date
        dossier.updated_at = now
        if move.after is not None:
            move.after(dossier, event)
        if target in (APPROVED, REFUSED):
            _record_outcome(dossier, now)
        _notify_citizen(dossier, event, move)
    return event


def _record_outcome(dossier, decided_at) -> None:
    """Fix the figures of a decision (on time or late, working days taken) in this transaction."""
    from webapp.backoffice.models import record_outcome

    record_outcome(dossier, decided_at)


def _notify_citizen(dossier, event, move: Move) -> None:
    """Queue the citizen's message in the caller's transaction (see webapp.backoffice.messages)."""
    from webapp.backoffice import messages

    messages.enqueue_for(dossier, event, staff=move.staff)

