"""Moving a dossier: the tracked-item base bound to the dossier's tables, time and messages.

Officers' steps (back office) and the citizen's (adding papers) all go through `perform`.
"""

from __future__ import annotations

from webapp.dossiers import lifecycle, messages
from webapp.dossiers.models import Dossier, DossierEvent, DossierOutcome
from webapp.tracking import lifecycle as tracked
from webapp.tracking.lifecycle import Move, TrackedKind


def _notify(dossier, event, staff) -> None:
    messages.step(KIND, dossier, event, staff)


KIND = TrackedKind(
    name="dossier",
    lifecycle=lifecycle.LIFECYCLE,
    item_model=Dossier,
    event_model=DossierEvent,
    item_field="dossier",
    working_days=lambda dossier: dossier.procedure.processing_working_days,
    notify=_notify,
    outcome_model=DossierOutcome,
    outcome_fields=lambda dossier: {"procedure": dossier.procedure_id},
)


def perform(dossier: Dossier, move: Move) -> DossierEvent:
    """Apply `move` to `dossier` (see webapp.tracking.lifecycle.perform)."""
    return tracked.perform(KIND, dossier, move)
