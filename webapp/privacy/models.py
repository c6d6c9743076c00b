"""What the privacy room keeps: the consents a citizen gave, for what, and her requests to
correct or delete her data (each a tracked item: a code, a timeline, a due date, messages)."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from webapp.accounts.models import Citizen, StaffUser
from webapp.core.clock import utcnow
from webapp.core.db import BaseModel
from webapp.tracking.models import TrackedEvent, TrackedItem

CORRECTION, DELETION = "correction", "deletion"
REQUEST_KINDS = (CORRECTION, DELETION)


class Consent(BaseModel):
    """A consent given for one purpose ("dossier_processing" when a dossier is sent), with the
    version of the words she agreed to and what it was for (a dossier's code)."""

    citizen = ForeignKeyField(Citizen, backref="consents", on_delete="CASCADE")
    purpose = CharField()
    wording = CharField()  # the version of the text agreed to
    reference = CharField(default="")
    given_at = DateTimeField(default=utcnow)
    withdrawn_at = DateTimeField(null=True)

    @classmethod
    def of_citizen(cls, citizen):
        return cls.select().where(cls.citizen == citizen).order_by(cls.given_at, cls.id)


class DataRequest(TrackedItem):
    """A citizen's request to correct or delete her data, handled by an administrator."""

    citizen = ForeignKeyField(Citizen, backref="data_requests", on_delete="CASCADE")
    kind = CharField()  # CORRECTION or DELETION
    details = TextField(default="")  # what to correct, or why delete (her words)
    decision = TextField(default="")  # what was done, what was kept and why (to her)
    handled_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")

    @classmethod
    def of_citizen(cls, citizen):
        return cls.select().where(cls.citizen == citizen).order_by(cls.submitted_at.desc())


class DataRequestEvent(TrackedEvent):
    """A step of a data request, with who took it."""

    request = ForeignKeyField(DataRequest, backref="events", on_delete="CASCADE")
