"""The database: one peewee connection per request, SQLite by default, PostgreSQL by URL.

Models subclass `BaseModel` and are bound to `database`, a proxy that `init_app` points at the
real database, so that tests can give every app its own database.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from flask import Flask
from peewee import DatabaseProxy, Model, SqliteDatabase, TextField
from playhouse.db_url import connect
from playhouse.migrations import Runner

from webapp.config import PROJECT_ROOT

database = DatabaseProxy()
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"

# WAL lets readers work while a dossier is written; synchronous=FULL makes an acknowledged
# submission survive a power cut; busy_timeout makes concurrent writers wait instead of failing.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -16000,
}


def utcnow() -> dt.datetime:
    """Return the current time in UTC without tzinfo: the app stores UTC and shows local time."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class JSONField(TextField):
    """JSON kept as text, so that the same schema works on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


def open_database(url: str):
    """Create the peewee database object for a URL (sqlite:///path or postgresql://...)."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS)
    return connect(url)


def is_postgres() -> bool:
    """Tell whether the bound database is PostgreSQL (for the few dialect-specific queries)."""
    return not isinstance(database.obj, SqliteDatabase)


def migrate() -> list[str]:
    """Apply every pending migration in order; return the names applied."""
    with database.connection_context():
        return Runner(database.obj, str(MIGRATIONS_DIR)).up()


def pending_migrations() -> list[str]:
    """Name the migrations that have not been applied yet (the health check reports them)."""
    runner = Runner(database.obj, str(MIGRATIONS_DIR))
    return [m.name for m in runner.status() if m.path and not m.applied]


def init_app(app: Flask) -> None:
    """Bind the models to the configured database and open a connection per request."""
    database.initialize(open_database(app.config["DATABASE_URL"]))

    @app.before_request
    def _connect() -> None:
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        if not database.is_closed():
            database.close()
