"""What the back office keeps beside the dossiers: the paper dossiers counted at the counter
(for the online share)."""

from __future__ import annotations

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from webapp.accounts.models import StaffUser
from webapp.core.clock import utcnow
from webapp.core.db import BaseModel
from webapp.places.models import Commune


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
