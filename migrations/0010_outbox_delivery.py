"""Outbox messages remember a ZNS request whose outcome was never written (so that no worker
sends it by ZNS a second time) and what the SMS gateway's delivery report said; reports name
the message by the provider's id, hence its index.
"""
from peewee import CharField, DateTimeField

COLUMNS = {
    "in_flight": CharField(max_length=20, null=True),
    "delivery_status": CharField(max_length=20, null=True),
    "delivery_reported_at": DateTimeField(null=True),
}


INDEX = "outbox_message_provider_message_id"


def up(migrator, db):
    migrator.migrate(*[migrator.add_column("outbox_message", name, field)
                       for name, field in COLUMNS.items()])
    db.execute_sql(f"CREATE INDEX IF NOT EXISTS {INDEX} ON outbox_message (provider_message_id)")


def down(migrator, db):
    db.execute_sql(f"DROP INDEX IF EXISTS {INDEX}")
    migrator.migrate(*[migrator.drop_column("outbox_message", name) for name in COLUMNS])
