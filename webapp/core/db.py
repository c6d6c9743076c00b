"""The database: SQLite by default, PostgreSQL by URL; a connection per request, from a pool.

Models subclass `BaseModel` and are bound to `database`, a proxy that `init_app` points at the
real database, so that tests can give every app its own database.

Each request takes a connection at its start and gives it back at its end. The pool keeps it
open for the next request of the same worker: opening one costs SQLite the parsing of the
schema and PostgreSQL a login and a cold session, 1-3 ms and 5-9 ms a page respectively
(measured, docs/benchmarks.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask, request
from peewee import DatabaseProxy, Model, SqliteDatabase, TextField
from playhouse.db_url import connect
from playhouse.migrations import Runner
from playhouse.pool import PooledDatabase, PooledSqliteDatabase

from webapp.config import PROJECT_ROOT
from webapp.core import housekeeping

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


# PostgreSQL may drop a connection left idle; the pool reopens one older than this (seconds).
POSTGRES_STALE_SECONDS = 300


def open_database(url: str):
    """Create the pooled peewee database for a URL (sqlite:///path or postgresql://...)."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path == ":memory:":  # every connection would be a different, empty database
            return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # No limit: a sync worker uses one connection; threaded servers one per thread. A
        # connection may serve another thread later, one thread at a time (the pool sees to it).
        return PooledSqliteDatabase(path, pragmas=SQLITE_PRAGMAS, max_connections=None,
                                    check_same_thread=False)
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            url = "postgresql+pool://" + url.removeprefix(scheme)
    separator = "&" if "?" in url else "?"
    if "stale_timeout" not in url:
        url += f"{separator}stale_timeout={POSTGRES_STALE_SECONDS}"
    return connect(url)


def is_postgres() -> bool:
    """Tell whether the bound database is PostgreSQL (for the few dialect-specific queries)."""
    return not isinstance(database.obj, SqliteDatabase)


def write_transaction():
    """A transaction that takes SQLite's write lock at once.

    A deferred SQLite transaction that reads and then writes can fail at once with "database
    is locked" when another writer got there first; taking the lock up front makes concurrent
    writers queue (busy_timeout) instead. PostgreSQL needs nothing special.
    """
    return database.atomic() if is_postgres() else database.atomic("IMMEDIATE")


def migrate() -> list[str]:
    """Apply every pending migration in order; return the names applied."""
    with database.connection_context():
        return Runner(database.obj, str(MIGRATIONS_DIR)).up()


def pending_migrations() -> list[str]:
    """Name the migrations that have not been applied yet (the health check reports them)."""
    runner = Runner(database.obj, str(MIGRATIONS_DIR))
    return [m.name for m in runner.status() if m.path and not m.applied]


def refresh_statistics() -> str:
    """Give SQLite's query planner fresh row counts and index spreads (a daily chore).

    Without them it guesses that `status IN (...)` picks few rows, and sorted every answered
    report to show the newest 20: 32 ms at 100,000 reports, 0.2 ms with statistics, which let
    it walk the (updated_at, public, status) index instead. A whole ANALYZE, not a sampled one
    (`analysis_limit`): a sample of 1,000 rows told it `status` picks 1,001 rows of 100,000,
    and it went back to sorting. PostgreSQL's autovacuum keeps its own statistics.
    """
    if is_postgres():
        return "Nothing to do: PostgreSQL's autovacuum keeps them."
    database.execute_sql("ANALYZE")
    return "Refreshed (ANALYZE)."


def init_app(app: Flask) -> None:
    """Bind the models to the configured database and take a connection per request."""
    previous = database.obj
    database.initialize(open_database(app.config["DATABASE_URL"]))
    if isinstance(previous, PooledDatabase):
        # Another app in this process (tests make many) let go of its database: close the
        # connections it kept, rather than leave files and server sessions open until GC.
        previous.close_idle()

    housekeeping.register(app, "query planner statistics", refresh_statistics)

    @app.before_request
    def _connect() -> None:
        if request.endpoint == "site.health":
            # /healthz must answer even when the database does not: it connects when it
            # asks (and reports the failure), so a balancer sees a 503, not an error page.
            return
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        if not database.is_closed():
            database.close()
