"""The columns every tracked item shares, as bases for each kind's own tables.

A kind subclasses `TrackedItem` (adding whose it is and where it is handled), `TrackedEvent`
(adding the foreign key to its item), `Outcome` (the figures fixed at a decision) and `Rating`
(the citizen's five faces). Peewee copies the fields into each subclass's own table; these
bases have no table of their own.
"""

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

from webapp.accounts.models import Citizen, StaffUser
from webapp.core.clock import utcnow
from webapp.core.db import BaseModel
from webapp.places.models import Commune


class TrackedItem(BaseModel):
    """Something a citizen follows by its code: a status, a due date, a version for officers."""

    code = CharField(unique=True)  # "TN-7K4-Q2M9": short, read aloud over the phone
    status = CharField(index=True)  # one of the kind's Lifecycle.statuses
    contact_phone = CharField()  # local form "0912345678"; look-up and messages use it
    submitted_at = DateTimeField(default=utcnow)  # UTC
    due_date = DateField(null=True)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)  # optimistic locking for officers' actions

    @classmethod
    def by_code(cls, code: str):
        return cls.get_or_none(cls.code == code)


class TrackedEvent(BaseModel):
    """Something that happened to an item: sent, a status change, a note, with who acted."""

    created_at = DateTimeField(default=utcnow)
    kind = CharField()  # "submitted", "status_changed", "note", "papers_added"
    from_status = CharField(null=True)
    to_status = CharField(null=True)
    public_message = TextField(default="")  # shown to the citizen
    internal_note = TextField(default="")  # staff only
    actor_citizen = ForeignKeyField(Citizen, null=True)
    actor_staff = ForeignKeyField(StaffUser, null=True)


class Outcome(BaseModel):
    """Facts fixed when an item is decided, so that figures are sums, not recomputations.

    `working_days` is the processing time without the days spent waiting for the citizen;
    the commune is copied so the figures group without joining the item.
    """

    commune = ForeignKeyField(Commune, on_delete="CASCADE")
    decision = CharField()  # the decision status reached ("approved", "refused", ...)
    decided_at = DateTimeField(index=True)  # UTC
    due_date = DateField()
    on_time = BooleanField()
    working_days = IntegerField()


class Rating(BaseModel):
    """The citizen's rating of the service for one item: 1 (very unhappy) to 5 faces."""

    score = SmallIntegerField()
    comment = TextField(default="")
    created_at = DateTimeField(default=utcnow, index=True)
