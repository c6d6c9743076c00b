"""STAND-IN for the accounts branch (contract shape only); reverted before merging it."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, TextField

from webapp.core.db import BaseModel, utcnow
from webapp.places.models import Commune


class Citizen(BaseModel):
    phone = CharField(unique=True, null=True)
    zalo_id = CharField(unique=True, null=True)
    full_name = CharField(default="")
    date_of_birth = DateField(null=True)
    citizen_id = CharField(null=True)
    commune = ForeignKeyField(Commune, null=True)
    address = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class StaffUser(BaseModel):
    username = CharField(unique=True)
    full_name = CharField()
    phone = CharField(default="")
    role = CharField()
    password_hash = CharField(default="")
    totp_secret = CharField(default="")
    is_active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)


class StaffCommune(BaseModel):
    staff = ForeignKeyField(StaffUser, backref="commune_links")
    commune = ForeignKeyField(Commune)
