"""A step's message is sent even when the dossier took the id of a deleted one. SQLite gives a
deleted newest row's id to the next row; a reference of kind, id and version alone made the new
dossier's "received" message look like a repeat of the deleted one's, so it was never queued."""

from __future__ import annotations

from tests.backoffice.conftest import first_commune, make_citizen, make_dossier
from tests.backoffice.test_follow_up import officer_acting
from webapp.dossiers import steps
from webapp.dossiers.models import Dossier
from webapp.notifications.models import OutboxMessage
from webapp.tracking.lifecycle import Move


def _received_messages(citizen) -> int:
    return (OutboxMessage.select().where((OutboxMessage.phone == citizen.phone)
                                         & (OutboxMessage.template == "dossier_received"))
            .count())


def test_a_dossier_given_a_deleted_ones_id_still_gets_its_message(app, in_app):
    officer = officer_acting(app)
    gone, her = make_citizen(), make_citizen()
    deleted = make_dossier(commune=first_commune(), citizen=gone)
    steps.perform(deleted, Move("receive", 1, staff=officer))
    Dossier.delete().where(Dossier.id == deleted.id).execute()  # e.g. a deletion request
    new = make_dossier(commune=first_commune(), citizen=her)  # on SQLite: the same id
    steps.perform(new, Move("receive", 1, staff=officer))
    assert _received_messages(her) == 1
