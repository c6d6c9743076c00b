"""The audit log: one row per sign-in and per staff action on personal data. Append-only."""

from __future__ import annotations

from peewee import CharField, DateTimeField, IntegerField

from webapp.core.clock import utcnow
from webapp.core.db import BaseModel, JSONField


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit row (the database refuses too)."""


class AuditEvent(BaseModel):
    """Who did what to which object, when, and from which address."""

    created_at = DateTimeField(default=utcnow, index=True)  # UTC
    actor_type = CharField()  # "citizen", "staff", "anonymous" or "system"
    actor_id = IntegerField(null=True)
    action = CharField(index=True)  # "citizen.signed_in", "citizen.viewed", ...
    object_type = CharField()
    object_id = CharField(default="")
    detail = JSONField(default=dict)  # personal data masked before it gets here
    client_address = CharField(default="")

    class Meta:
        indexes = ((("object_type", "object_id"), False),)

    def save(self, *args, **kwargs):
        if self.id is not None:
            raise AppendOnlyError("audit events are never changed")
        return super().save(*args, **kwargs)

    def delete_instance(self, *args, **kwargs):
        raise AppendOnlyError("audit events are never deleted")

    @classmethod
    def latest(cls, limit: int = 100):
        return cls.select().order_by(cls.created_at.desc(), cls.id.desc()).limit(limit)

    @classmethod
    def for_object(cls, object_type: str, object_id) -> list[AuditEvent]:
        return list(cls.select().where(cls.object_type == object_type,
                                       cls.object_id == str(object_id)).order_by(cls.id))
