"""The statuses of a dossier and the citizen's words for them.

The back-office room owns this module (the moves between statuses live there); the dossiers
room only needs the first status and the public labels.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SUBMITTED = "submitted"
RECEIVED = "received"
MORE_PAPERS_REQUESTED = "more_papers_requested"
PAPERS_ADDED = "papers_added"
APPROVED = "approved"
REFUSED = "refused"
CLOSED = "closed"

STATUSES = (SUBMITTED, RECEIVED, MORE_PAPERS_REQUESTED, PAPERS_ADDED, APPROVED, REFUSED, CLOSED)

_PUBLIC_LABELS = {
    SUBMITTED: _l("Sent, waiting to be received"),
    RECEIVED: _l("Received, being processed"),
    MORE_PAPERS_REQUESTED: _l("More papers needed from you"),
    PAPERS_ADDED: _l("Papers added, being processed"),
    APPROVED: _l("Result ready"),
    REFUSED: _l("Not approved"),
    CLOSED: _l("Result returned"),
}


def public_label(status: str):
    """The citizen's words for a status."""
    return _PUBLIC_LABELS.get(status, status)
