"""The life of a dossier, in one table: its statuses, the words for each, who may move it where.

    submitted -> received -> (more_papers_requested <-> papers_added)
              -> approved (result attached) | refused (reason given)
    approved  -> closed (result collected at the one-stop shop or delivered by post)

Every other move is impossible. The moves themselves are made by the tracked-item base
(`webapp.tracking.lifecycle.perform`, bound to the dossier's tables in `steps.py`), which
refuses an illegal or outdated move and writes the status, the event, the due date, the
figures of a decision and the citizen's message in one transaction.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.tracking.lifecycle import CITIZEN, STAFF, Action, Lifecycle

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

LIFECYCLE = Lifecycle(
    statuses=STATUSES,
    actions=(
        Action("receive", (SUBMITTED,), RECEIVED, STAFF, _l("Receive the dossier")),
        Action("request_papers", (RECEIVED, PAPERS_ADDED), MORE_PAPERS_REQUESTED, STAFF,
               _l("Ask for more papers")),
        Action("add_papers", (MORE_PAPERS_REQUESTED,), PAPERS_ADDED, CITIZEN,
               _l("Send the papers")),
        Action("approve", (RECEIVED, PAPERS_ADDED), APPROVED, STAFF,
               _l("Approve and attach the result")),
        Action("refuse", (RECEIVED, PAPERS_ADDED), REFUSED, STAFF, _l("Refuse with a reason")),
        Action("close", (APPROVED,), CLOSED, STAFF, _l("Result collected or delivered")),
    ),
    # What the citizen reads on the status page and in messages: plain words, no office jargon.
    public_labels={
        SUBMITTED: _l("Sent, waiting to be received"),
        RECEIVED: _l("Received, being processed"),
        MORE_PAPERS_REQUESTED: _l("More papers needed from you"),
        PAPERS_ADDED: _l("Papers added, being processed"),
        APPROVED: _l("Result ready"),
        REFUSED: _l("Not approved"),
        CLOSED: _l("Result returned"),
    },
    # What the officer reads in the queue: shorter, about the work to do.
    staff_labels={
        SUBMITTED: _l("New"),
        RECEIVED: _l("In progress"),
        MORE_PAPERS_REQUESTED: _l("Waiting for the citizen"),
        PAPERS_ADDED: _l("Papers added"),
        APPROVED: _l("Result to return"),
        REFUSED: _l("Refused"),
        CLOSED: _l("Returned"),
    },
    # What each step means on the citizen's timeline ("Đã nhận hồ sơ", ...).
    step_words={
        SUBMITTED: _l("Dossier sent"),
        RECEIVED: _l("Dossier received"),
        MORE_PAPERS_REQUESTED: _l("More papers needed"),
        PAPERS_ADDED: _l("Papers added"),
        APPROVED: _l("Result ready"),
        REFUSED: _l("Not approved"),
        CLOSED: _l("Result returned"),
    },
    open_statuses=OPEN_STATUSES,
    waiting_statuses=(MORE_PAPERS_REQUESTED,),
    decision_statuses=(APPROVED, REFUSED),
    finished_statuses=DECIDED_STATUSES,
)

ACTIONS = LIFECYCLE.by_key
DEADLINES = LIFECYCLE.deadlines
public_label = LIFECYCLE.public_label
staff_label = LIFECYCLE.staff_label
allowed_actions = LIFECYCLE.allowed_actions
next_status = LIFECYCLE.next_status
