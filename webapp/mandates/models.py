"""A mandate: a citizen's recorded consent that one helper (a community digital-technology
volunteer) may do one thing for her, for a while. Helping is not authority over her account:
the mandate names the helper, the scope (one procedure, or one dossier), how she consented (a
code sent to her phone and read out, or a signed paper photographed), from when and until when,
and whether she ended it. Until she consents it is only a request: the name, number and commune
the helper typed, and no citizen is looked up or created.
"""

from __future__ import annotations

import datetime as dt

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from webapp.accounts.models import Citizen, StaffUser
from webapp.catalogue import Procedure
from webapp.core.clock import utcnow
from webapp.core.db import BaseModel
from webapp.places.models import Commune
from webapp.uploads.models import StoredFile

CODE, PAPER = "code", "paper"  # how she consented
EVIDENCE_KINDS = (CODE, PAPER)
PROCEDURE, DOSSIER = "procedure", "dossier"  # what for: dossiers of one procedure, or one
SCOPES = (PROCEDURE, DOSSIER)


class Mandate(BaseModel):
    """One consent of one citizen to one helper, for one scope, from `starts_at` to `ends_at`."""

    citizen = ForeignKeyField(Citizen, null=True, backref="mandates", on_delete="CASCADE")
    helper = ForeignKeyField(StaffUser, backref="mandates", on_delete="CASCADE")
    commune = ForeignKeyField(Commune, on_delete="CASCADE")  # where the helper helps her
    # As the helper typed them, before she consented (the code message names her with them).
    person_name = CharField()
    phone = CharField()
    scope = CharField()  # PROCEDURE or DOSSIER
    procedure = ForeignKeyField(Procedure, on_delete="CASCADE")
    dossier_id = IntegerField(null=True)  # the one dossier sent under a DOSSIER mandate
    evidence = CharField()  # CODE or PAPER
    challenge_id = IntegerField(null=True)  # the code sent to her phone (accounts' challenge)
    created_at = DateTimeField(default=utcnow)
    confirmed_at = DateTimeField(null=True)  # when she consented: the mandate starts
    starts_at = DateTimeField(null=True)
    ends_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)
    revoked_by_citizen = ForeignKeyField(Citizen, null=True, backref="+", on_delete="SET NULL")
    revoked_by_staff = ForeignKeyField(StaffUser, null=True, backref="+", on_delete="SET NULL")
    end_reason = TextField(default="")  # why the office ended it (told to her and the helper)

    def is_live(self, now: dt.datetime | None = None) -> bool:
        now = now or utcnow()
        return bool(self.confirmed_at and self.revoked_at is None and self.citizen_id
                    and self.starts_at <= now < self.ends_at)

    @property
    def ended_at(self) -> dt.datetime | None:
        """When it stopped counting: ended by her (or staff), or run out."""
        if self.revoked_at:
            return self.revoked_at
        return self.ends_at if self.ends_at and self.ends_at <= utcnow() else None

    @classmethod
    def live(cls, now: dt.datetime | None = None):
        now = now or utcnow()
        return cls.select().where(cls.confirmed_at.is_null(False) & cls.revoked_at.is_null()
                                  & cls.citizen.is_null(False)
                                  & (cls.starts_at <= now) & (cls.ends_at > now))

    @classmethod
    def of_citizen(cls, citizen):
        """Every mandate she gave, newest first (requests she never consented to are not hers)."""
        return (cls.select(cls, StaffUser).join(StaffUser, on=(cls.helper == StaffUser.id))
                .where((cls.citizen == citizen) & cls.confirmed_at.is_null(False))
                .order_by(cls.confirmed_at.desc(), cls.id.desc()))

    @classmethod
    def live_in(cls, commune_ids, now: dt.datetime | None = None):
        """The live mandates of these communes, newest first, with their helper and commune."""
        return (cls.live(now).select(cls, StaffUser, Commune)
                .join_from(cls, StaffUser, on=(cls.helper == StaffUser.id))
                .join_from(cls, Commune)
                .where(cls.commune.in_(sorted(commune_ids)))
                .order_by(cls.confirmed_at.desc(), cls.id.desc()))

    @classmethod
    def held_by(cls, helper, now: dt.datetime | None = None):
        """The helper's live mandates, newest first."""
        return cls.live(now).where(cls.helper == helper).order_by(cls.confirmed_at.desc())


class MandatePaper(StoredFile):
    """The photo of the signed (or fingerprinted) authorisation paper."""

    mandate = ForeignKeyField(Mandate, unique=True, backref="papers", on_delete="CASCADE")

    @classmethod
    def of_mandate(cls, mandate_id: int) -> MandatePaper | None:
        return cls.get_or_none(cls.mandate == mandate_id)
