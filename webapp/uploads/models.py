"""What every room keeps about a stored file: the base of its own model.

A room that keeps uploads (a dossier's photos of papers, later a report's photos) subclasses
`StoredFile` with the fields that say whose file it is, and creates rows with
`from_upload`, so the facts of the file are written the same way everywhere.
"""

from __future__ import annotations

from peewee import CharField, DateTimeField, IntegerField

from webapp.core.clock import utcnow
from webapp.core.db import BaseModel

from .storage import StoredUpload

_QUERY_BATCH = 500  # SQLite allows 999 parameters a query in older builds


class StoredFile(BaseModel):
    """One stored photo or PDF: its random name under UPLOAD_DIR and facts about its bytes."""

    storage_name = CharField(unique=True)
    media_type = CharField()
    size = IntegerField()
    width = IntegerField(null=True)
    height = IntegerField(null=True)
    sha256 = CharField()
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def names_in_use(cls, names: set[str]) -> set[str]:
        """Which of these storage names rows of this model use (for storage.register_owner)."""
        names, used = sorted(names), set()
        for start in range(0, len(names), _QUERY_BATCH):
            batch = names[start : start + _QUERY_BATCH]
            used.update(row.storage_name for row in cls.select(cls.storage_name)
                        .where(cls.storage_name.in_(batch)))
        return used

    @classmethod
    def from_upload(cls, stored: StoredUpload, **owner):
        """A row for a file just stored, with the owner's fields (dossier, paper, ...)."""
        upload = stored.upload
        return cls.create(storage_name=stored.name, media_type=upload.media_type,
                          size=len(upload.content), width=upload.width, height=upload.height,
                          sha256=upload.sha256, created_at=utcnow(), **owner)
