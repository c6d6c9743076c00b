"""Dossiers: drafts, dossiers sent online, their timeline, and the photos of papers.

Models here are frozen copies, independent of `webapp.dossiers.models`, so that this migration
keeps working after the models change. The tables they point at (procedure, commune, citizen,
staff_user) belong to earlier migrations; they are declared here by name only, never created.
"""
from peewee import (
    CharField,
    DateField,
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

    class Procedure(Base):
        class Meta:
            table_name = "procedure"

    class Commune(Base):
        class Meta:
            table_name = "commune"

    class Citizen(Base):
        class Meta:
            table_name = "citizen"

    class StaffUser(Base):
        class Meta:
            table_name = "staff_user"

    class Dossier(Base):
        code = CharField(unique=True)
        procedure = ForeignKeyField(Procedure)
        citizen = ForeignKeyField(Citizen)
        commune = ForeignKeyField(Commune)
        status = CharField(index=True)
        answers = TextField()
        contact_phone = CharField()
        submission_key = CharField(unique=True)
        submitted_at = DateTimeField()
        due_date = DateField(null=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            indexes = ((("commune", "status"), False),)

    class DossierEvent(Base):
        dossier = ForeignKeyField(Dossier, on_delete="CASCADE")
        created_at = DateTimeField()
        kind = CharField()
        from_status = CharField(null=True)
        to_status = CharField(null=True)
        public_message = TextField(default="")
        internal_note = TextField(default="")
        actor_citizen = ForeignKeyField(Citizen, null=True)
        actor_staff = ForeignKeyField(StaffUser, null=True)

    class DossierDraft(Base):
        token = CharField(unique=True)
        procedure = ForeignKeyField(Procedure)
        citizen = ForeignKeyField(Citizen, on_delete="CASCADE")
        answers = TextField()
        prefilled = TextField()
        submission_key = CharField(unique=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        expires_at = DateTimeField(index=True)
        dossier = ForeignKeyField(Dossier, null=True)

    class Attachment(Base):
        dossier = ForeignKeyField(Dossier, null=True, on_delete="CASCADE")
        draft = ForeignKeyField(DossierDraft, null=True, on_delete="SET NULL")
        citizen = ForeignKeyField(Citizen)
        paper_key = CharField(default="")
        purpose = CharField(default="paper")
        storage_name = CharField(unique=True)
        media_type = CharField()
        size = IntegerField()
        width = IntegerField(null=True)
        height = IntegerField(null=True)
        sha256 = CharField()
        created_at = DateTimeField()

    db.create_tables([Dossier, DossierEvent, DossierDraft, Attachment])


def down(migrator, db):
    for table in ("attachment", "dossier_draft", "dossier_event", "dossier"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
