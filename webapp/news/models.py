"""What the news room keeps: articles, the communes each is for, its photo.

An article's address (`slug`) is made once, from its first title, and never changes: a
correction keeps every link forwarded on Zalo working. `text_version` counts changes to the
words (title, summary, body), so that what is made from them (the audio) is made again once per
version and never for a change of photo or topic.
"""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from webapp.accounts.models import StaffUser
from webapp.core.clock import utcnow
from webapp.core.db import BaseModel
from webapp.places.models import Commune
from webapp.uploads.models import StoredFile

# Topics, in the order readers see them (labels in webapp/news/topics.py).
POLICY, COMMUNE_NOTICE, PARTY_CELL, HEALTH, AGRICULTURE, SCAMS = (
    "policy", "commune_notice", "party_cell", "health", "agriculture", "scams")
TOPICS = (POLICY, COMMUNE_NOTICE, PARTY_CELL, HEALTH, AGRICULTURE, SCAMS)
# Audiences: the whole province, some communes, or one hamlet's Party cell (a hamlet of one
# commune).
PROVINCE, COMMUNES, HAMLET = "province", "communes", "hamlet"
AUDIENCES = (PROVINCE, COMMUNES, HAMLET)


class ArticlePhoto(StoredFile):
    """An article's photo, stored and cleaned by the upload pipeline."""


class Article(BaseModel):
    slug = CharField(unique=True)  # the address, made once and kept through corrections
    form_key = CharField(unique=True)  # the new-article form's key: a double submit adds one
    title = CharField()
    summary = TextField()
    body = TextField()  # sanitised HTML (formatting.sanitise)
    topic = CharField(index=True)
    audience = CharField()
    hamlet = CharField(default="")  # the hamlet (ấp) of a Party cell's article
    photo = ForeignKeyField(ArticlePhoto, null=True, on_delete="SET NULL")
    photo_alt = CharField(default="")
    published_at = DateTimeField(null=True, index=True)  # None: a draft; later: scheduled
    corrected_at = DateTimeField(null=True)  # set when a published article is changed
    text_version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL",
                                 backref="articles_created")
    updated_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL",
                                 backref="articles_updated")

    def is_published(self, now=None) -> bool:
        return self.published_at is not None and self.published_at <= (now or utcnow())

    def is_scheduled(self, now=None) -> bool:
        return self.published_at is not None and self.published_at > (now or utcnow())

    def commune_ids(self) -> set[int]:
        query = ArticleCommune.select(ArticleCommune.commune).where(ArticleCommune.article == self)
        return {commune_id for (commune_id,) in query.tuples()}

    def communes(self) -> list[Commune]:
        return list(Commune.select().join(ArticleCommune)
                    .where(ArticleCommune.article == self).order_by(Commune.position))


class ArticleCommune(BaseModel):
    """One commune an article is for (audience COMMUNES, or the hamlet's commune)."""

    article = ForeignKeyField(Article, backref="audience_rows", on_delete="CASCADE")
    commune = ForeignKeyField(Commune, on_delete="CASCADE")

    class Meta:
        indexes = ((("article", "commune"), True), (("commune", "article"), False))


ARTICLE_AUDIO, PROCEDURE_AUDIO = "article", "procedure"
MAKING, DONE, FAILED = "making", "done", "failed"


class SpeechAudio(BaseModel):
    """The spoken version of one version of a text ("Nghe đọc"), made once by the worker: an
    article's `text_version`, or a procedure's text's digest. Opus in WebM and an MP3 fallback,
    in the uploads storage."""

    kind = CharField()  # ARTICLE_AUDIO or PROCEDURE_AUDIO
    ref = CharField()  # the article's id, the procedure's code
    version = CharField()
    status = CharField(default=MAKING)
    webm_name = CharField(default="")
    mp3_name = CharField(default="")
    duration_ms = IntegerField(default=0)
    characters = IntegerField(default=0)  # of the text read, for the CPU figures
    cpu_ms = IntegerField(default=0)
    error = TextField(default="")
    started_at = DateTimeField(default=utcnow)
    made_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("kind", "ref", "version"), True),)

    @classmethod
    def ready(cls, kind: str, ref, version) -> SpeechAudio | None:
        return cls.get_or_none(cls.kind == kind, cls.ref == str(ref), cls.version == str(version),
                               cls.status == DONE)

    @classmethod
    def names_in_use(cls, names: set[str]) -> set[str]:
        rows = cls.select(cls.webm_name, cls.mp3_name).where(
            cls.webm_name.in_(sorted(names)) | cls.mp3_name.in_(sorted(names)))
        return {name for row in rows for name in (row.webm_name, row.mp3_name)} & names
