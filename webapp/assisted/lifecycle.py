"""A help request's state table: open, taken by one volunteer, in contact, closed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.tracking.lifecycle import STAFF, Action, Lifecycle

OPEN, TAKEN, IN_CONTACT, CLOSED = "open", "taken", "in_contact", "closed"

LIFECYCLE = Lifecycle(
    statuses=(OPEN, TAKEN, IN_CONTACT, CLOSED),
    actions=(
        Action("take", (OPEN,), TAKEN, STAFF, _l("I take it")),
        Action("reach", (TAKEN,), IN_CONTACT, STAFF, _l("I have reached her")),
        Action("close", (TAKEN, IN_CONTACT), CLOSED, STAFF, _l("Close with the outcome")),
    ),
    public_labels={OPEN: _l("Sent: a helper will call you"),
                   TAKEN: _l("A helper will call you soon"),
                   IN_CONTACT: _l("A helper is helping you"), CLOSED: _l("Finished")},
    staff_labels={OPEN: _l("Waiting for a helper"), TAKEN: _l("Taken, to call"),
                  IN_CONTACT: _l("In contact"), CLOSED: _l("Closed")},
    step_words={OPEN: _l("Request for help sent"), TAKEN: _l("Taken by a helper"),
                IN_CONTACT: _l("The helper reached you"), CLOSED: _l("Request closed")},
    open_statuses=(OPEN, TAKEN, IN_CONTACT),
    waiting_statuses=(),
    decision_statuses=(),
    finished_statuses=(CLOSED,),
)
