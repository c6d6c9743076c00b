"""Foundation: the procedure catalogue, its search text, and the province's communes.

Models here are frozen copies, deliberately independent of the application's models, so that
this migration keeps working after the models change (later changes get their own migration).
"""
from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class LifeEvent(Base):
        key = CharField(unique=True)
        position = IntegerField()
        icon = CharField()
        content = TextField()

    class Procedure(Base):
        code = CharField(unique=True)
        slug = CharField(unique=True)
        domain = CharField()
        online = BooleanField(default=False)
        processing_working_days = IntegerField()
        fee_vnd = IntegerField(default=0)
        keywords = TextField()
        unverified = TextField()
        content = TextField()
        updated_at = DateTimeField()

    class ProcedureLifeEvent(Base):
        procedure = ForeignKeyField(Procedure, on_delete="CASCADE")
        life_event = ForeignKeyField(LifeEvent, on_delete="CASCADE")
        position = IntegerField(default=0)

        class Meta:
            indexes = ((("procedure", "life_event"), True),)

    class SearchEntry(Base):
        kind = CharField()
        ref = CharField()
        locale = CharField(max_length=5)
        title = TextField()
        keywords = TextField()
        names = TextField()
        body = TextField()

        class Meta:
            indexes = ((("kind", "ref", "locale"), True),)

    class Commune(Base):
        code = CharField(unique=True)
        name = CharField()
        kind = CharField()
        short_name = CharField()
        search_key = CharField()
        position = IntegerField()

    db.create_tables([LifeEvent, Procedure, ProcedureLifeEvent, SearchEntry, Commune])


def down(migrator, db):
    for table in ("commune", "search_entry", "procedure_life_event", "procedure", "life_event"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
