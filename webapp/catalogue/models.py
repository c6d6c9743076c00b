"""The procedure catalogue: procedures, the life events they belong to, and their search text."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, fn

from webapp.core.clock import utcnow
from webapp.core.db import BaseModel, JSONField


class LifeEvent(BaseModel):
    """A moment in life that brings people to the one-stop shop ("Sinh con", "Kết hôn", ...)."""

    key = CharField(unique=True)
    position = IntegerField()
    icon = CharField()
    content = JSONField()  # {"vi": {"name", "description"}, "en": {...}}

    @classmethod
    def in_order(cls):
        return cls.select().order_by(cls.position)

    @classmethod
    def for_procedure(cls, procedure: Procedure):
        return (cls.select().join(ProcedureLifeEvent)
                .where(ProcedureLifeEvent.procedure == procedure)
                .order_by(ProcedureLifeEvent.position))


class Procedure(BaseModel):
    """One administrative procedure, described in plain words in both languages."""

    code = CharField(unique=True)  # ma_thu_tuc on the National Public Service Portal
    slug = CharField(unique=True)
    domain = CharField()  # field of law: ho-tich, chung-thuc, bao-tro-xa-hoi, ...
    online = BooleanField(default=False)  # somewhere online: this site, a portal or an app
    ways = JSONField(default=list)  # where and how else: catalogue.loader.WAYS, in order
    processing_working_days = IntegerField()
    fee_vnd = IntegerField(default=0)
    keywords = JSONField(default=list)
    unverified = JSONField(default=list)
    content = JSONField()  # {"vi": {...}, "en": {...}} with the keys of the TOML schema
    updated_at = DateTimeField(default=utcnow)

    @classmethod
    def for_life_event(cls, event: LifeEvent):
        return (cls.select().join(ProcedureLifeEvent)
                .where(ProcedureLifeEvent.life_event == event)
                .order_by(ProcedureLifeEvent.position, cls.code))

    @classmethod
    def by_codes(cls, codes: list[str]) -> list[Procedure]:
        """Procedures in the order of `codes` (search results), in one query."""
        found = {p.code: p for p in cls.select().where(cls.code.in_(codes))}
        return [found[code] for code in codes if code in found]


class ProcedureLifeEvent(BaseModel):
    procedure = ForeignKeyField(Procedure, on_delete="CASCADE", backref="life_event_links")
    life_event = ForeignKeyField(LifeEvent, on_delete="CASCADE", backref="procedure_links")
    position = IntegerField(default=0)  # 0 = the procedure's main life event

    class Meta:
        indexes = ((("procedure", "life_event"), True),)


def catalogue_stamp() -> tuple:
    """Changes whenever the catalogue does: `flask catalogue load` (and any edit) sets a
    procedure's updated_at; adding or removing a procedure, a life event or a link between
    them changes a count. The public pages kept by core/page_cache.py compare it."""
    return (Procedure.select(fn.COUNT(Procedure.id), fn.MAX(Procedure.updated_at)).tuples().get()
            + (LifeEvent.select().count(), ProcedureLifeEvent.select().count()))
