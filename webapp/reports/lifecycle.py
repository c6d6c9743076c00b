"""The life of a report, in one table.

    submitted -> received -> fixed | not_fixed (with a reason) | not_ours
    submitted | received -> forwarded (to another commune: it arrives there as new; or to a
                            named unit, with a reason) -> received ...
    submitted | received | forwarded -> merged (into the original; finished)
    fixed | not_fixed -> reopened (the reporter says it is not fixed; once) -> ...

The moves are made by the tracked-item base (`webapp.tracking.lifecycle.perform`, bound to the
report's tables in `steps.py`): status, event with its actor, due date, figures and message in
one transaction.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.tracking.lifecycle import CITIZEN, STAFF, Action, Lifecycle

SUBMITTED = "submitted"
RECEIVED = "received"
FORWARDED = "forwarded"
MERGED = "merged"
FIXED = "fixed"
NOT_FIXED = "not_fixed"
NOT_OURS = "not_ours"
REOPENED = "reopened"

STATUSES = (SUBMITTED, RECEIVED, FORWARDED, MERGED, FIXED, NOT_FIXED, NOT_OURS, REOPENED)
OPEN_STATUSES = (SUBMITTED, RECEIVED, FORWARDED, REOPENED)
WORKING = (RECEIVED, FORWARDED, REOPENED)  # received by an officer, not yet answered
ANSWERED_STATUSES = (FIXED, NOT_FIXED, NOT_OURS)
FINISHED_STATUSES = (*ANSWERED_STATUSES, MERGED)

LIFECYCLE = Lifecycle(
    statuses=STATUSES,
    actions=(
        Action("receive", (SUBMITTED, FORWARDED), RECEIVED, STAFF, _l("Receive the report")),
        Action("forward", (SUBMITTED, *WORKING), FORWARDED, STAFF,
               _l("Forward with a reason")),
        Action("merge", (SUBMITTED, *WORKING), MERGED, STAFF,
               _l("Merge into an earlier report")),
        Action("fixed", (SUBMITTED, *WORKING), FIXED, STAFF, _l("Answer: fixed")),
        Action("not_fixed", (SUBMITTED, *WORKING), NOT_FIXED, STAFF,
               _l("Answer: cannot be fixed, with the reason")),
        Action("not_ours", (SUBMITTED, *WORKING), NOT_OURS, STAFF,
               _l("Answer: not the commune's responsibility")),
        Action("reopen", (FIXED, NOT_FIXED), REOPENED, CITIZEN, _l("It is not fixed")),
    ),
    public_labels={
        SUBMITTED: _l("Sent, waiting to be received"),
        RECEIVED: _l("Received, being handled"),
        FORWARDED: _l("Forwarded to the right office"),
        MERGED: _l("Joined to an earlier report about the same problem"),
        FIXED: _l("Answered: fixed"),
        NOT_FIXED: _l("Answered: not fixed"),
        NOT_OURS: _l("Answered: not the commune's responsibility"),
        REOPENED: _l("Opened again, being handled"),
    },
    staff_labels={
        SUBMITTED: _l("New"),
        RECEIVED: _l("In progress"),
        FORWARDED: _l("Forwarded"),
        MERGED: _l("Merged"),
        FIXED: _l("Fixed"),
        NOT_FIXED: _l("Not fixed"),
        NOT_OURS: _l("Not ours"),
        REOPENED: _l("Reopened"),
    },
    step_words={
        SUBMITTED: _l("Report sent"),
        RECEIVED: _l("Report received by the commune"),
        FORWARDED: _l("Report forwarded"),
        MERGED: _l("Joined to an earlier report"),
        FIXED: _l("Answer: fixed"),
        NOT_FIXED: _l("Answer: not fixed"),
        NOT_OURS: _l("Answer: not the commune's responsibility"),
        REOPENED: _l("You said it is not fixed: opened again"),
    },
    open_statuses=OPEN_STATUSES,
    waiting_statuses=(),
    decision_statuses=ANSWERED_STATUSES,
    finished_statuses=FINISHED_STATUSES,
)

public_label = LIFECYCLE.public_label
staff_label = LIFECYCLE.staff_label
