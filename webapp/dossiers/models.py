"""Dossiers: what a citizen sends online, the drafts on the way there, and the papers attached.

A `DossierDraft` holds the answers while the citizen fills in the wizard; it lives on the server
so that nothing typed is lost when the phone drops the page, and so that it can be resumed on
another device. Submitting turns the draft into exactly one `Dossier`: the draft's random
`submission_key` is stored on the dossier under a unique constraint, so a double tap, a retry or
two tabs all land on the same dossier. `DossierEvent` is the dossier's timeline (the citizen
reads its public messages; officers also read the internal notes). An `Attachment` is one photo
or PDF of a paper; its bytes live outside the web root (see `webapp.uploads.storage`). When an
officer decides, the result (`DossierResult`) and the figures of the decision (`DossierOutcome`)
are written; the citizen then rates the service once (`DossierRating`).
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    TextField,
)

from webapp.accounts.models import Citizen, StaffUser
from webapp.catalogue import Procedure
from webapp.core.clock import utcnow
from webapp.core.db import BaseModel, JSONField
from webapp.mandates import Mandate
from webapp.places.models import Commune
from webapp.tracking.models import Outcome, Rating, TrackedEvent, TrackedItem
from webapp.uploads.models import StoredFile


class Dossier(TrackedItem):
    """One application sent to a commune's one-stop shop (code, status, due date: TrackedItem)."""

    procedure = ForeignKeyField(Procedure, backref="dossiers")
    citizen = ForeignKeyField(Citizen, backref="dossiers")  # the owner (also when assisted)
    commune = ForeignKeyField(Commune, backref="dossiers")  # the one-stop shop that handles it
    answers = JSONField(default=dict)  # {field name: cleaned value}, as the form defines them
    submission_key = CharField(unique=True)  # the draft's idempotency key
    # Sent by a helper for her, under this mandate ("nộp với sự giúp đỡ của ..."); else None.
    mandate = ForeignKeyField(Mandate, null=True, on_delete="SET NULL", backref="dossiers")

    class Meta:
        indexes = ((("commune", "status"), False),)

    @classmethod
    def of_citizen(cls, citizen):
        """The citizen's dossiers, newest first, with their procedure (one query)."""
        return (cls.select(cls, Procedure).join(Procedure)
                .where(cls.citizen == citizen).order_by(cls.submitted_at.desc(), cls.id.desc()))

    @classmethod
    def by_submission_key(cls, key: str) -> Dossier | None:
        return cls.get_or_none(cls.submission_key == key)

    def timeline(self):
        """Events oldest first: the citizen's "what happened so far"."""
        return self.events.order_by(DossierEvent.created_at, DossierEvent.id)


class DossierEvent(TrackedEvent):
    """Something that happened to a dossier: sent, received, papers asked for, decided, a note."""

    dossier = ForeignKeyField(Dossier, backref="events", on_delete="CASCADE")


class RequestedPaper(BaseModel):
    """A paper, or one side of it, that an officer's request for papers names (ticked on the
    request form): the citizen is offered exactly these, not every paper of the form."""

    event = ForeignKeyField(DossierEvent, backref="requested_papers", on_delete="CASCADE")
    paper_key = CharField()  # a key of papers.paper_labels() ("cccd/back"), or papers.ADDED_LATER


class DossierDraft(BaseModel):
    """Answers saved after every step of the wizard, until they are sent or the draft expires."""

    token = CharField(unique=True)  # random: the draft's name in URLs (ids would be guessable)
    procedure = ForeignKeyField(Procedure)
    citizen = ForeignKeyField(Citizen, backref="drafts", on_delete="CASCADE")
    answers = JSONField(default=dict)
    prefilled = JSONField(default=list)  # names answered from the profile: not asked again
    submission_key = CharField(unique=True)  # sent with the final form; becomes the dossier's
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField(index=True)  # UTC; purged afterwards (DRAFT_RETENTION_DAYS)
    dossier = ForeignKeyField(Dossier, null=True)  # set when sent: old tabs find the receipt
    # Filled in by a helper under this mandate; only while it is live may she open the draft.
    mandate = ForeignKeyField(Mandate, null=True, on_delete="SET NULL", backref="drafts")

    @classmethod
    def in_progress(cls, citizen, now: dt.datetime | None = None):
        """The citizen's unsent, unexpired drafts, most recently touched first."""
        now = now or utcnow()
        return (cls.select(cls, Procedure).join(Procedure)
                .where((cls.citizen == citizen) & cls.dossier.is_null()
                       & (cls.expires_at > now))
                .order_by(cls.updated_at.desc(), cls.id.desc()))

    @classmethod
    def expired(cls, now: dt.datetime | None = None):
        """Drafts past their time, sent or not (a sent draft is only a pointer to its dossier)."""
        return cls.select().where(cls.expires_at <= (now or utcnow()))


class Attachment(StoredFile):
    """One photo or PDF of a paper, first on a draft, then on the dossier it was sent with.

    The file's own facts (random storage name, type, size, pixels, hash) come from StoredFile.
    """

    dossier = ForeignKeyField(Dossier, null=True, backref="attachments", on_delete="CASCADE")
    draft = ForeignKeyField(DossierDraft, null=True, backref="attachments", on_delete="SET NULL")
    citizen = ForeignKeyField(Citizen, backref="attachments")  # who sent it: the owner
    paper_key = CharField(default="")  # which paper of the form ("citizen_id_card", ...)
    side = CharField(default="")  # which side of it, for a paper with sides ("front", "back")
    purpose = CharField(default="paper")  # "paper" from the citizen, "result" from the office

    @classmethod
    def of_draft(cls, draft):
        return cls.select().where(cls.draft == draft).order_by(cls.created_at, cls.id)

    @classmethod
    def of_dossier(cls, dossier, purpose: str = "paper"):
        return (cls.select().where((cls.dossier == dossier) & (cls.purpose == purpose))
                .order_by(cls.created_at, cls.id))


PICKUP, POST = "pickup", "post"
DELIVERY_METHODS = (PICKUP, POST)


class DossierResult(BaseModel):
    """The result an officer returns: a text, a file, or both, and how it reaches the citizen."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE", backref="results")
    text = TextField(default="")
    attachment = ForeignKeyField(Attachment, null=True, on_delete="SET NULL")
    delivery = CharField()  # PICKUP at the one-stop shop or POST to the home address
    staff = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    @classmethod
    def for_dossier(cls, dossier_id: int) -> DossierResult | None:
        return cls.get_or_none(cls.dossier == dossier_id)


class DossierOutcome(Outcome):
    """The figures of a decided dossier; the procedure is copied for figures by procedure."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
    procedure = ForeignKeyField(Procedure, on_delete="CASCADE")


class DossierRating(Rating):
    """The citizen's five faces for one dossier."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")

    class Meta:
        table_name = "rating"  # the table's name from before ratings of other kinds existed

    @classmethod
    def for_dossier(cls, dossier_id: int) -> DossierRating | None:
        return cls.get_or_none(cls.dossier == dossier_id)
