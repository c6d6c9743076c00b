"""Each worker keeps its database connection between requests (a pool), on SQLite and
PostgreSQL alike: opening one costs 1-3 ms a page on SQLite and 5-9 ms on PostgreSQL
(docs/benchmarks.md)."""

from __future__ import annotations

from playhouse.pool import PooledDatabase

from tests.conftest import make_app
from webapp.core.db import database

HEALTHY = {"status": "ok", "database": "ok", "pending_migrations": [], "uploads": "ok",
           "redis": "not_configured", "rate_limits": {"backend": "database", "fallbacks": 0},
           "upload_processing": {"colour_profile_ignored": 0}}


def test_requests_reuse_one_connection(database_url):
    app = make_app(database_url)
    client = app.test_client()
    assert isinstance(database.obj, PooledDatabase)
    for _ in range(3):
        assert client.get("/thu-tuc/").status_code == 200
        assert client.get("/healthz").json == HEALTHY
    # Every request handed its connection back, and the next one took the same.
    assert len(database.obj._connections) == 1 and not database.obj._in_use


def test_sqlite_keeps_its_safety_pragmas_on_pooled_connections(sqlite_url):
    make_app(sqlite_url)
    with database.connection_context():
        assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_an_app_that_replaces_another_closes_the_connections_it_kept(database_url):
    first = make_app(database_url)
    assert first.test_client().get("/healthz").status_code == 200
    kept = database.obj
    assert len(kept._connections) == 1
    make_app(database_url)
    assert kept._connections == []
