"""A booking's state table: booked (and perhaps moved), then cancelled by the citizen, or, on
the day, marked arrived or did not come by an officer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.tracking.lifecycle import CITIZEN, STAFF, Action, Lifecycle

BOOKED, CANCELLED, ARRIVED, NO_SHOW = "booked", "cancelled", "arrived", "no_show"
ACTIVE = (BOOKED,)

LIFECYCLE = Lifecycle(
    statuses=(BOOKED, CANCELLED, ARRIVED, NO_SHOW),
    actions=(
        Action("move", (BOOKED,), BOOKED, CITIZEN, _l("Change the time")),
        Action("cancel", (BOOKED,), CANCELLED, CITIZEN, _l("Cancel this booking")),
        Action("arrive", (BOOKED,), ARRIVED, STAFF, _l("Arrived")),
        Action("no_show", (BOOKED,), NO_SHOW, STAFF, _l("Did not come")),
    ),
    public_labels={BOOKED: _l("Booked"), CANCELLED: _l("Cancelled"),
                   ARRIVED: _l("You came"), NO_SHOW: _l("You did not come")},
    staff_labels={BOOKED: _l("Expected"), CANCELLED: _l("Cancelled"), ARRIVED: _l("Arrived"),
                  NO_SHOW: _l("Did not come")},
    step_words={BOOKED: _l("Time booked"), CANCELLED: _l("Booking cancelled"),
                ARRIVED: _l("Received at the one-stop shop"), NO_SHOW: _l("Did not come")},
    open_statuses=(),
    waiting_statuses=(),
    decision_statuses=(),
    finished_statuses=(CANCELLED, ARRIVED, NO_SHOW),
)
