"""The append-only audit log, and the rate-limit counters used when Redis is not configured.

The database itself refuses to change or delete audit rows (triggers on SQLite and on
PostgreSQL), so that not even a bug or a careless query in the app can rewrite history.
Models here are frozen copies (see 0001).
"""
from peewee import (
    BigIntegerField,
    CharField,
    DateTimeField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
)

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
]


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class AuditEvent(Base):
        created_at = DateTimeField(index=True)
        actor_type = CharField()
        actor_id = IntegerField(null=True)
        action = CharField(index=True)
        object_type = CharField()
        object_id = CharField(default="")
        detail = TextField()
        client_address = CharField(default="")

        class Meta:
            indexes = ((("object_type", "object_id"), False),)

    class RateLimitHit(Base):
        key = CharField(max_length=64)
        window_start = BigIntegerField()
        count = IntegerField(default=0)
        expires_at = BigIntegerField(index=True)

        class Meta:
            indexes = ((("key", "window_start"), True),)

    db.create_tables([AuditEvent, RateLimitHit])
    for statement in SQLITE_TRIGGERS if isinstance(db, SqliteDatabase) else POSTGRES_TRIGGERS:
        db.execute_sql(statement)


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS rate_limit_hit")
    db.execute_sql("DROP TABLE IF EXISTS audit_event")
    if not isinstance(db, SqliteDatabase):
        db.execute_sql("DROP FUNCTION IF EXISTS audit_event_append_only()")
