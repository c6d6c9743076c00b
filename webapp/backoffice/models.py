"""What the back office adds to a dossier: its result, the citizen's rating, the figures kept
when it is decided, and the paper dossiers counted at the counter (for the online share)."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    SmallIntegerField,
    TextField,
)

from webapp.accounts.models import StaffUser
from webapp.catalogue.models import Procedure
from webapp.core import clock
from webapp.core.clock import utcnow
from webapp.core.db import BaseModel
from webapp.dossiers.models import Attachment, Dossier
from webapp.places.models import Commune

PICKUP, POST = "pickup", "post"
DELIVERY_METHODS = (PICKUP, POST)


class DossierResult(BaseModel):
    """The result an officer returns: a text, a file, or both, and how it reaches the citizen."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE", backref="results")
    text = TextField(default="")
    attachment = ForeignKeyField(Attachment, null=True, on_delete="SET NULL")
    delivery = CharField()  # PICKUP at the one-stop shop or POST to the home address
    staff = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def for_dossier(cls, dossier_id: int) -> DossierResult | None:
        return cls.get_or_none(cls.dossier == dossier_id)


class DossierOutcome(BaseModel):
    """Facts fixed when a dossier is decided, so that figures are sums, not recomputations.

    `working_days` is the processing time without the days spent waiting for the citizen;
    commune and procedure are copied so the figures group without joining the dossier.
    """

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
    commune = ForeignKeyField(Commune, on_delete="CASCADE")
    procedure = ForeignKeyField(Procedure, on_delete="CASCADE")
    decision = CharField()  # approved | refused
    decided_at = DateTimeField(index=True)  # UTC
    due_date = DateField()
    on_time = BooleanField()
    working_days = IntegerField()


class Rating(BaseModel):
    """The citizen's rating of the service for one dossier: 1 (very unhappy) to 5 faces."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
    score = SmallIntegerField()
    comment = TextField(default="")
    created_at = DateTimeField(default=utcnow, index=True)

    @classmethod
    def for_dossier(cls, dossier_id: int) -> Rating | None:
        return cls.get_or_none(cls.dossier == dossier_id)


class CounterIntake(BaseModel):
    """Paper dossiers a commune received at the counter in a month, from its intake ledger.

    Online dossiers are counted from the dossier table; the counter's paper dossiers never
    enter this system, so an officer records their number once a month. Without it the online
    share is unknown, and the figures say so rather than claim 100 %.
    """

    commune = ForeignKeyField(Commune, on_delete="CASCADE")
    month = CharField(max_length=7)  # "2026-03", local time
    count = IntegerField()
    staff = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("commune", "month"), True),)


def record_outcome(dossier, decided_at) -> DossierOutcome:
    """Keep the figures of a dossier that has just been approved or refused (same transaction)."""
    from webapp.dossiers import deadlines

    decided_on = clock.local_date(decided_at)
    working_days = deadlines.processing_working_days(
        clock.local_date(dossier.submitted_at), decided_on,
        deadlines.status_changes(dossier.id))
    row = {"commune": dossier.commune_id, "procedure": dossier.procedure_id,
           "decision": dossier.status, "decided_at": decided_at, "due_date": dossier.due_date,
           "on_time": decided_on <= dossier.due_date, "working_days": working_days}
    (DossierOutcome.insert(dossier=dossier.id, **row)
     .on_conflict(conflict_target=[DossierOutcome.dossier], update=row).execute())
    return DossierOutcome.get(DossierOutcome.dossier == dossier.id)
