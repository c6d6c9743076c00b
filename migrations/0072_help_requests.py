"""Help requests ("Tôi cần người giúp"): a tracked item with its timeline.

The models are frozen copies, independent of `webapp.assisted.models`.
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

TABLES = ("help_request_event", "help_request")


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

    class Dossier(Base):
        class Meta:
            table_name = "dossier"

    class HelpRequest(Base):
        code = CharField(unique=True)
        status = CharField(index=True)
        contact_phone = CharField()
        submitted_at = DateTimeField()
        due_date = DateField(null=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        commune = ForeignKeyField(Commune)
        citizen = ForeignKeyField(Citizen, null=True, on_delete="SET NULL")
        topic = CharField()
        procedure_slug = CharField(default="")
        details = TextField(default="")
        request_key = CharField(unique=True)
        taken_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")
        taken_at = DateTimeField(null=True)
        first_contact_at = DateTimeField(null=True)
        closed_at = DateTimeField(null=True)
        outcome = CharField(default="")
        dossier = ForeignKeyField(Dossier, null=True, on_delete="SET NULL")

        class Meta:
            indexes = ((("commune", "status"), False),)

    class HelpRequestEvent(Base):
        created_at = DateTimeField()
        kind = CharField()
        from_status = CharField(null=True)
        to_status = CharField(null=True)
        public_message = TextField(default="")
        internal_note = TextField(default="")
        actor_citizen = ForeignKeyField(Citizen, null=True)
        actor_staff = ForeignKeyField(StaffUser, null=True)
        request = ForeignKeyField(HelpRequest, on_delete="CASCADE")

    db.create_tables([HelpRequest, HelpRequestEvent], safe=False)


def down(migrator, db):
    for table in TABLES:
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
