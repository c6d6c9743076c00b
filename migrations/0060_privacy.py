"""The privacy room: the consents a citizen gave, and her requests to correct or delete her
data (tracked items, with their timeline).

The models are frozen copies, independent of `webapp.privacy.models`.
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

TABLES = ("data_request_event", "data_request", "consent")


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

    class Consent(Base):
        citizen = ForeignKeyField(Citizen, on_delete="CASCADE")
        purpose = CharField()
        wording = CharField()
        reference = CharField(default="")
        given_at = DateTimeField()
        withdrawn_at = DateTimeField(null=True)

    class DataRequest(Base):
        code = CharField(unique=True)
        status = CharField(index=True)
        contact_phone = CharField()
        submitted_at = DateTimeField()
        due_date = DateField(null=True)
        updated_at = DateTimeField()
        version = IntegerField(default=1)
        citizen = ForeignKeyField(Citizen, on_delete="CASCADE")
        kind = CharField()
        details = TextField(default="")
        decision = TextField(default="")
        handled_by = ForeignKeyField(StaffUser, null=True, on_delete="SET NULL")

    class DataRequestEvent(Base):
        created_at = DateTimeField()
        kind = CharField()
        from_status = CharField(null=True)
        to_status = CharField(null=True)
        public_message = TextField(default="")
        internal_note = TextField(default="")
        actor_citizen = ForeignKeyField(Citizen, null=True)
        actor_staff = ForeignKeyField(StaffUser, null=True)
        request = ForeignKeyField(DataRequest, on_delete="CASCADE")

    db.create_tables([Consent, DataRequest, DataRequestEvent], safe=False)


def down(migrator, db):
    for table in TABLES:
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
