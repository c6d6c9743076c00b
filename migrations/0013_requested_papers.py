"""The papers an officer ticks when asking for more (issue 11, adding papers): one row per
paper, or per side of a paper, named by one request, so the citizen is offered exactly those.

The models are frozen copies, independent of `webapp.dossiers.models`.
"""
from peewee import CharField, ForeignKeyField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class DossierEvent(Base):
        class Meta:
            table_name = "dossier_event"

    class RequestedPaper(Base):
        event = ForeignKeyField(DossierEvent, on_delete="CASCADE")
        paper_key = CharField()

    db.create_tables([RequestedPaper], safe=False)


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS requested_paper")
