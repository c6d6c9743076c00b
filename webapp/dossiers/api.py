"""The dossiers room as other rooms may use it: the back office (queue, steps, figures) and,
later, the citizen's data page. Its tables, its state table, the one way to move a dossier,
and how to read a dossier's answers and papers. What is not here is the room's own business,
and the import contracts (pyproject.toml) keep it so.
"""

from __future__ import annotations

from webapp.dossiers import lifecycle
from webapp.dossiers.access import OFFICE_ROLES, granted, office_may_see, register_grant
from webapp.dossiers.lifecycle import DEADLINES, LIFECYCLE
from webapp.dossiers.models import (
    DELIVERY_METHODS,
    PICKUP,
    POST,
    Attachment,
    Dossier,
    DossierDraft,
    DossierEvent,
    DossierOutcome,
    DossierRating,
    DossierResult,
)
from webapp.dossiers.papers import paper_label, paper_labels
from webapp.dossiers.requested_papers import SOMETHING_ELSE, recorder, requestable
from webapp.dossiers.services import form_for, start_draft
from webapp.dossiers.steps import KIND, perform
from webapp.dossiers.summary import dossier_answers

__all__ = [
    "DEADLINES", "DELIVERY_METHODS", "KIND", "LIFECYCLE", "OFFICE_ROLES", "PICKUP", "POST",
    "Attachment",
    "Dossier", "DossierDraft", "DossierEvent", "DossierOutcome", "DossierRating", "DossierResult",
    "dossier_answers", "form_for", "granted", "lifecycle", "office_may_see", "paper_label",
    "paper_labels", "perform", "recorder", "register_grant", "requestable", "SOMETHING_ELSE",
    "start_draft",
]
