"""STAND-IN for the notifications branch (contract shape only); reverted before merging it."""

from __future__ import annotations

from peewee import CharField, DateTimeField, TextField

from webapp.core.db import BaseModel, JSONField, utcnow
from webapp.notifications import templates


class OutboxMessage(BaseModel):
    template = CharField()
    phone = CharField()
    data = JSONField()
    text = TextField(default="")
    reference = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)


def enqueue(*, template: str, phone: str, data: dict, reference: str | None = None):
    text = templates.render(template, data)
    if reference:
        existing = OutboxMessage.get_or_none(OutboxMessage.reference == reference)
        if existing:
            return existing
    return OutboxMessage.create(template=template, phone=phone, data=data, text=text,
                                reference=reference or utcnow().isoformat())
