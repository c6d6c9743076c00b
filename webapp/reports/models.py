"""Reports (phản ánh, kiến nghị): a problem in the neighbourhood that a citizen tells the commune.

A `ReportDraft` keeps her answers on the server while she goes through the one-question pages;
sending turns it into exactly one `Report` (the draft's `submission_key` is unique on the
report, so a double tap or a retry lands on the same one). A report is a tracked item: its
code, status, due date and version come from `TrackedItem`, its timeline is `ReportEvent`, the
figures of a decision `ReportOutcome`, her five faces `ReportRating`. `ReportPhoto` is one photo
of the problem through the uploads room; `ReportFollower` is someone who has the same problem
("Tôi cũng gặp") or whose report was merged into this one: they are told at each step too.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    TextField,
)

from webapp.accounts.models import Citizen, StaffUser
from webapp.core.clock import utcnow
from webapp.core.db import BaseModel, JSONField
from webapp.places.models import Commune
from webapp.tracking.models import Outcome, Rating, TrackedEvent, TrackedItem
from webapp.uploads.models import StoredFile


class Report(TrackedItem):
    """One report sent to a commune (code, status, due date, version: TrackedItem)."""

    citizen = ForeignKeyField(Citizen, backref="reports")  # the reporter, never shown publicly
    commune = ForeignKeyField(Commune, backref="reports")  # the commune that handles it now
    category = CharField()  # one of categories.CATEGORIES
    description = TextField()  # what is wrong, in her words
    landmark = TextField(default="")  # where, in words ("trước chợ Bình Phong")
    public = BooleanField(default=True)  # may be shown on the public page once answered
    anonymous = BooleanField(default=False)  # to the public only; officers always see who
    urgent = BooleanField(default=False)  # set by the officer: the shorter due date
    submission_key = CharField(unique=True)  # the draft's idempotency key
    forwarded_to = CharField(default="")  # a named unit it was forwarded to ("Điện lực ...")
    merged_into = ForeignKeyField("self", null=True, backref="merged", on_delete="SET NULL")
    answer = TextField(default="")  # the commune's public answer (the last closing words)
    answer_hidden_reason = TextField(default="")  # hidden from the public by an officer
    description_hidden_reason = TextField(default="")
    reopened = BooleanField(default=False)  # "not fixed" reopens it once
    fixed_check_sent_at = DateTimeField(null=True)  # "is it still fixed?" four weeks on
    # Her answer to it (migration 0022): "" not yet, "ok" or "broken", and when.
    still_fixed_answer = CharField(default="")
    still_fixed_answered_at = DateTimeField(null=True)
    # "Broken again" when the one reopening was used: the officer is asked to look; cleared
    # (None) once an officer has looked.
    broken_again_at = DateTimeField(null=True)
    # The phone's location, only if she tapped "Dùng vị trí hiện tại" and the phone gave it,
    # rounded (location.py; migration 0023); officers only, never on the public page.
    latitude = FloatField(null=True)
    longitude = FloatField(null=True)

    class Meta:
        # (updated_at, public, status) and (commune, updated_at) come from migration 0021.
        indexes = ((("commune", "status"), False), (("commune", "category", "status"), False))

    @classmethod
    def by_submission_key(cls, key: str) -> Report | None:
        return cls.get_or_none(cls.submission_key == key)

    @classmethod
    def of_citizen(cls, citizen):
        return (cls.select().where(cls.citizen == citizen)
                .order_by(cls.submitted_at.desc(), cls.id.desc()))


class ReportEvent(TrackedEvent):
    """A step of a report: sent, received, forwarded, merged, answered, reopened, a note."""

    report = ForeignKeyField(Report, backref="events", on_delete="CASCADE")


class ReportOutcome(Outcome):
    """The figures of a closed report; the category is copied for figures by category."""

    report = ForeignKeyField(Report, unique=True, on_delete="CASCADE")
    category = CharField()


class ReportRating(Rating):
    """The reporter's five faces for one report."""

    report = ForeignKeyField(Report, unique=True, on_delete="CASCADE")


class ReportDraft(BaseModel):
    """Answers saved after every page, until sent or expired (REPORT_DRAFT_DAYS)."""

    token = CharField(unique=True)  # random: the draft's name in URLs
    citizen = ForeignKeyField(Citizen, backref="report_drafts", on_delete="CASCADE")
    answers = JSONField(default=dict)
    submission_key = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField(index=True)
    report = ForeignKeyField(Report, null=True, on_delete="SET NULL")  # set when sent

    @classmethod
    def expired(cls, now: dt.datetime | None = None):
        return cls.select().where(cls.expires_at <= (now or utcnow()))


class ReportPhoto(StoredFile):
    """One photo of the problem, first on a draft, then on the report it was sent with.

    An officer may hide it from the public with a reason; the file itself is kept for the
    record and officers still see it.
    """

    report = ForeignKeyField(Report, null=True, backref="photos", on_delete="CASCADE")
    draft = ForeignKeyField(ReportDraft, null=True, backref="photos", on_delete="SET NULL")
    citizen = ForeignKeyField(Citizen, backref="report_photos", on_delete="CASCADE")
    hidden_reason = TextField(default="")
    hidden_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")

    @classmethod
    def of_draft(cls, draft):
        return cls.select().where(cls.draft == draft).order_by(cls.created_at, cls.id)

    @classmethod
    def of_report(cls, report):
        return cls.select().where(cls.report == report).order_by(cls.created_at, cls.id)


class ReportFollower(BaseModel):
    """Someone else told about a report: "Tôi cũng gặp", or the reporter of a merged one."""

    report = ForeignKeyField(Report, backref="followers", on_delete="CASCADE")
    citizen = ForeignKeyField(Citizen, backref="followed_reports", on_delete="CASCADE")
    phone = CharField()  # the number confirmed with a code, for the messages
    reason = CharField(default="same_problem")  # "same_problem" or "merged"
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("report", "citizen"), True),)

