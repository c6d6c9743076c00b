"""A dossier's history for the officer: every step, who took it, and what the citizen was told."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from webapp.accounts.models import Citizen, StaffUser
from webapp.core import clock
from webapp.dossiers.api import DossierEvent
from webapp.dossiers.api import lifecycle as lc
from webapp.tracking.deadlines import days_left_when_answered


def timeline(dossier_id: int) -> list[DossierEvent]:
    """The events of a dossier, newest first, with the names of who acted, in one query.

    The joined rows need their ids: peewee puts the joined officer (or citizen) where the event's
    foreign key was, so without the id `event.actor_staff_id` would read None and every event
    would look like the system's.
    """
    return list(
        DossierEvent.select(DossierEvent, StaffUser.id, StaffUser.full_name, Citizen.id,
                            Citizen.full_name)
        .join(StaffUser, JOIN.LEFT_OUTER, on=(DossierEvent.actor_staff == StaffUser.id),
              attr="actor_staff")
        .switch(DossierEvent)
        .join(Citizen, JOIN.LEFT_OUTER, on=(DossierEvent.actor_citizen == Citizen.id),
              attr="actor_citizen")
        .where(DossierEvent.dossier == dossier_id)
        .order_by(DossierEvent.created_at.desc(), DossierEvent.id.desc())
    )


@dataclass(frozen=True)
class PauseSummary:
    """While the office waits for the citizen: since when, what was asked, days left after."""

    since: dt.date
    asked: str
    days_left: int


def pause_summary(dossier, today: dt.date) -> PauseSummary | None:
    """The open request for papers, if the dossier is waiting for the citizen."""
    if dossier.status != lc.MORE_PAPERS_REQUESTED:
        return None
    request = (DossierEvent.select()
               .where((DossierEvent.dossier == dossier.id)
                      & (DossierEvent.to_status == lc.MORE_PAPERS_REQUESTED))
               .order_by(DossierEvent.created_at.desc(), DossierEvent.id.desc()).first())
    if request is None:
        return None
    return PauseSummary(since=clock.local_date(request.created_at), asked=request.public_message,
                        days_left=days_left_when_answered(dossier.due_date, request.created_at))
