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
    def from_upload(cls, stored: StoredUpload, **owner):
        """A row for a file just stored, with the owner's fields (dossier, paper, ...)."""
        upload = stored.upload
        return cls.create(storage_name=stored.name, media_type=upload.media_type,
                          size=len(upload.content), width=upload.width, height=upload.height,
                          sha256=upload.sha256, created_at=utcnow(), **owner)
