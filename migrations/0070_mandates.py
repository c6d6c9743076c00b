"""Assisted mode: a citizen's mandates to community helpers (who, for what, how she agreed,
from when until when, ended by whom) and the photos of signed authorisation papers.

The models are frozen copies, independent of `webapp.mandates.models`.
"""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model

TABLES = ("mandate_paper", "mandate")


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Citizen(Base):
        class Meta:
            table_name = "citizen"

    class StaffUser(Base):
        class Meta:
            table_name = "staff_user"

    class Commune(Base):
        class Meta:
            table_name = "commune"

    class Procedure(Base):
        class Meta:
            table_name = "procedure"

    class Mandate(Base):
        citizen = ForeignKeyField(Citizen, null=True, on_delete="CASCADE")
        helper = ForeignKeyField(StaffUser, on_delete="CASCADE")
        commune = ForeignKeyField(Commune, on_delete="CASCADE")
        person_name = CharField()
        phone = CharField()
        scope = CharField()
        procedure = ForeignKeyField(Procedure, on_delete="CASCADE")
        dossier_id = IntegerField(null=True)
        evidence = CharField()
        challenge_id = IntegerField(null=True)
        created_at = DateTimeField()
        confirmed_at = DateTimeField(null=True)
        starts_at = DateTimeField(null=True)
        ends_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        revoked_by_citizen = ForeignKeyField(Citizen, null=True, on_delete="SET NULL",
                                             backref="+")
        revoked_by_staff = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL",
                                           backref="+")

    class MandatePaper(Base):
        storage_name = CharField(unique=True)
        media_type = CharField()
        size = IntegerField()
        width = IntegerField(null=True)
        height = IntegerField(null=True)
        sha256 = CharField()
        created_at = DateTimeField()
        mandate = ForeignKeyField(Mandate, unique=True, on_delete="CASCADE")

    db.create_tables([Mandate, MandatePaper], safe=False)


def down(migrator, db):
    for table in TABLES:
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
