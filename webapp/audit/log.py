"""STAND-IN for the accounts branch (contract shape only); reverted before merging it."""

from __future__ import annotations

from peewee import CharField, DateTimeField, IntegerField

from webapp.core.db import BaseModel, JSONField, utcnow


class AuditEntry(BaseModel):
    created_at = DateTimeField(default=utcnow)
    actor_staff_id = IntegerField(null=True)
    action = CharField()
    object_type = CharField()
    object_id = CharField()
    detail = JSONField(null=True)


def record(action: str, *, object_type: str, object_id, detail: dict | None = None) -> None:
    from webapp.accounts.auth import current_staff

    staff = current_staff()
    AuditEntry.create(actor_staff_id=staff.id if staff else None, action=action,
                      object_type=object_type, object_id=str(object_id), detail=detail)
