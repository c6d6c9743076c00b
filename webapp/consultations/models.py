"""What the consultations room keeps: a consultation (who asks, why, its draft document, its
questions, who may answer, when), one answer per confirmed phone, and what the province decided.

An answer is keyed by the phone that confirmed it: `(consultation, phone)` is unique in the
database, so however many times, and from however many tabs, a person sends her answers, one row
holds them. `draft` holds what she is filling in now; `answers` what she sent (the results count
only those), so changing her answers never shows a half-changed answer in the results.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from webapp.accounts.models import Citizen, StaffUser
from webapp.core.clock import local_today, utcnow
from webapp.core.db import BaseModel, JSONField
from webapp.places.models import Commune
from webapp.uploads.models import StoredFile

# Who may answer.
EVERYONE, CITIZENS, BUSINESSES = "everyone", "citizens", "businesses"
AUDIENCES = (EVERYONE, CITIZENS, BUSINESSES)
# The kinds of question.
SINGLE, MULTIPLE, SCALE, TEXT = "single", "multiple", "scale", "text"
QUESTION_KINDS = (SINGLE, MULTIPLE, SCALE, TEXT)
SCALE_POINTS = (1, 2, 3, 4, 5)


class Consultation(BaseModel):
    """A consultation, province-wide (`commune` empty, by an administrator) or of one commune
    (by its officers). A draft until `published_at`; open from `opens_on` to `closes_on`
    (Việt Nam's dates, both included); its results are shown only after it closes."""

    title = CharField()
    asker = CharField()  # who asks: "Sở Giao thông Vận tải", "UBND xã ..."
    purpose = TextField()  # why the province asks
    description = TextField(default="")
    audience = CharField(default=EVERYONE)
    opens_on = DateField()
    closes_on = DateField()
    commune = ForeignKeyField(Commune, null=True, on_delete="RESTRICT")  # whose consultation
    created_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    published_at = DateTimeField(null=True)
    outcome = TextField(default="")  # "Kết quả và việc tỉnh sẽ làm", written after closing
    outcome_published_at = DateTimeField(null=True)
    results = JSONField(null=True)  # counted once after closing (results.py)

    class Meta:
        indexes = ((("published_at", "closes_on"), False),)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def is_open(self, today=None) -> bool:
        today = today or local_today()
        return self.is_published and self.opens_on <= today <= self.closes_on

    def is_closed(self, today=None) -> bool:
        return self.is_published and (today or local_today()) > self.closes_on

    @classmethod
    def published(cls):
        return cls.select().where(cls.published_at.is_null(False))


class ConsultationCommune(BaseModel):
    """A commune whose citizens may answer (audience CITIZENS)."""

    consultation = ForeignKeyField(Consultation, backref="audience_links", on_delete="CASCADE")
    commune = ForeignKeyField(Commune, on_delete="CASCADE")

    class Meta:
        indexes = ((("consultation", "commune"), True),)


class Question(BaseModel):
    """One question, asked on a page of its own, in `position` order."""

    consultation = ForeignKeyField(Consultation, backref="questions", on_delete="CASCADE")
    position = IntegerField()
    kind = CharField()  # one of QUESTION_KINDS
    text = TextField()
    options = JSONField(default=list)  # the choices of SINGLE and MULTIPLE questions

    class Meta:
        indexes = ((("consultation", "position"), False),)


class ConsultationDocument(StoredFile):
    """The draft document a consultation asks about (a PDF, through the uploads room)."""

    consultation = ForeignKeyField(Consultation, backref="documents", on_delete="CASCADE",
                                   unique=True)


class ConsultationAnswer(BaseModel):
    """One person's answers to one consultation: one row per confirmed phone."""

    consultation = ForeignKeyField(Consultation, backref="answers", on_delete="CASCADE")
    phone = CharField()  # normalised, confirmed by a code (her sign-in)
    citizen = ForeignKeyField(Citizen, null=True, on_delete="SET NULL")
    commune = ForeignKeyField(Commune, null=True, on_delete="SET NULL")
    as_business = BooleanField(default=False)
    business_name = CharField(default="")
    tax_code = CharField(default="")  # as typed (its format checked)
    draft = JSONField(default=dict)  # {question id: value} being filled in
    answers = JSONField(default=dict)  # {question id: value} as sent
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("consultation", "phone"), True), (("consultation", "sent_at"), False))
