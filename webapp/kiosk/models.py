"""The kiosks: devices at one-stop shops that strangers use one after another."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField

from webapp.accounts.models import StaffUser
from webapp.core.clock import utcnow
from webapp.core.db import BaseModel
from webapp.places.models import Commune

A4, ROLL_80MM = "a4", "roll80"
PAPERS = (A4, ROLL_80MM)


class Kiosk(BaseModel):
    """One device an administrator turned into a kiosk; its cookie holds a token hashed here."""

    name = CharField()  # "Quầy 1, Bộ phận một cửa Phường Tân Ninh"
    commune = ForeignKeyField(Commune)
    paper = CharField(default=A4)  # what its printer takes (the receipt's @page size)
    token_hash = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
    revoked_at = DateTimeField(null=True)
    revoked_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL", backref="+")

    @classmethod
    def live_by_token_hash(cls, digest: str) -> Kiosk | None:
        return (cls.select().where((cls.token_hash == digest) & cls.revoked_at.is_null())
                .first())

    @classmethod
    def in_order(cls):
        return cls.select(cls, Commune).join(Commune).order_by(cls.revoked_at.is_null(False),
                                                               Commune.name, cls.name)
