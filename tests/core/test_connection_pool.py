"""PostgreSQL in production: `postgresql+pool://` keeps each worker's connection open between
requests (about 8 ms less per page than connecting every time, docs/benchmarks.md)."""

from __future__ import annotations

from playhouse.pool import PooledPostgresqlDatabase

from tests.conftest import make_app
from webapp.core.db import database


def test_a_pooled_postgresql_url_reuses_one_connection_across_requests(postgres_url):
    app = make_app(postgres_url.replace("postgresql://", "postgresql+pool://", 1))
    client = app.test_client()
    try:
        assert isinstance(database.obj, PooledPostgresqlDatabase)
        for _ in range(3):
            assert client.get("/thu-tuc/").status_code == 200
            assert client.get("/healthz").json == {"status": "ok", "pending_migrations": []}
        # Every request handed its connection back, and the next one took the same.
        assert len(database.obj._connections) == 1 and not database.obj._in_use
    finally:
        database.obj.close_all()
