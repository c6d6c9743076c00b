"""STAND-IN for the dossiers branch (contract shape only); reverted before merging it."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from webapp.accounts.models import Citizen, StaffUser
from webapp.catalogue.models import Procedure
from webapp.core.db import BaseModel, JSONField, utcnow
from webapp.places.models import Commune


class Dossier(BaseModel):
    code = CharField(unique=True)
    procedure = ForeignKeyField(Procedure)
    citizen = ForeignKeyField(Citizen)
    commune = ForeignKeyField(Commune)
    status = CharField(index=True)
    answers = JSONField(default=dict)
    contact_phone = CharField()
    submission_key = CharField(unique=True)
    submitted_at = DateTimeField(default=utcnow)
    due_date = DateField(null=True)
    updated_at = DateTimeField(default=utcnow)
    version = IntegerField(default=1)


class DossierEvent(BaseModel):
    dossier = ForeignKeyField(Dossier, backref="events")
    created_at = DateTimeField(default=utcnow)
    kind = CharField()
    from_status = CharField(null=True)
    to_status = CharField(null=True)
    public_message = TextField(default="")
    internal_note = TextField(default="")
    actor_citizen = ForeignKeyField(Citizen, null=True)
    actor_staff = ForeignKeyField(StaffUser, null=True)


class Attachment(BaseModel):
    dossier = ForeignKeyField(Dossier, null=True, backref="attachments")
    draft = IntegerField(null=True)
    citizen = ForeignKeyField(Citizen)
    paper_key = CharField(default="")
    purpose = CharField(default="paper")
    storage_name = CharField()
    media_type = CharField()
    size = IntegerField()
    width = IntegerField(null=True)
    height = IntegerField(null=True)
    sha256 = CharField()
    created_at = DateTimeField(default=utcnow)
