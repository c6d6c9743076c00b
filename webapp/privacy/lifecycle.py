"""A data request's state table: sent, then done (corrected, or deleted with what the law keeps
listed) or refused with a reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.tracking.lifecycle import STAFF, Action, Lifecycle

SUBMITTED, DONE, REFUSED = "submitted", "done", "refused"

LIFECYCLE = Lifecycle(
    statuses=(SUBMITTED, DONE, REFUSED),
    actions=(
        Action("complete", (SUBMITTED,), DONE, STAFF, _l("Done: tell the citizen")),
        Action("refuse", (SUBMITTED,), REFUSED, STAFF, _l("Refuse with a reason")),
    ),
    public_labels={SUBMITTED: _l("Sent, waiting to be handled"), DONE: _l("Done"),
                   REFUSED: _l("Not done")},
    staff_labels={SUBMITTED: _l("To handle"), DONE: _l("Done"), REFUSED: _l("Refused")},
    step_words={SUBMITTED: _l("Request sent"), DONE: _l("Request done"),
                REFUSED: _l("Request not done")},
    open_statuses=(SUBMITTED,),
    waiting_statuses=(),
    decision_statuses=(DONE, REFUSED),
    finished_statuses=(DONE, REFUSED),
)
