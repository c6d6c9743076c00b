"""Notifications: the outbox of messages to citizens' phones, and every attempt to send them.

Models here are frozen copies, independent of `webapp.notifications.models`, so that this
migration keeps working after the models change.
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

    class OutboxMessage(Base):
        template = CharField(max_length=64)
        phone = CharField(max_length=32)
        data = TextField()
        text = TextField()
        reference = CharField(max_length=200, unique=True)
        status = CharField(max_length=10, index=True)
        attempts = IntegerField(default=0)
        transport = CharField(max_length=20, null=True)
        transport_attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField()
        lease_expires_at = DateTimeField(null=True)
        claim_token = CharField(max_length=32, null=True)
        last_error = CharField(max_length=40, null=True)
        provider_message_id = CharField(max_length=100, null=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        sent_at = DateTimeField(null=True)

        class Meta:
            indexes = ((("status", "next_attempt_at"), False),)

    class OutboxAttempt(Base):
        message = ForeignKeyField(OutboxMessage, on_delete="CASCADE")
        transport = CharField(max_length=20)
        ok = BooleanField()
        retryable = BooleanField(default=False)
        error_code = CharField(max_length=40, null=True)
        error_detail = TextField(null=True)
        provider_message_id = CharField(max_length=100, null=True)
        started_at = DateTimeField()
        finished_at = DateTimeField()

    db.create_tables([OutboxMessage, OutboxAttempt])


def down(migrator, db):
    for table in ("outbox_attempt", "outbox_message"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
