"""/healthz for operators and load balancers: each dependency, and 503 when one the app needs
is down (issue 10)."""

from __future__ import annotations

import pytest

from tests.conftest import make_app
from tests.core.test_ratelimit import REDIS_URL, redis_reachable


def health(app):
    response = app.test_client().get("/healthz")
    return response.status_code, response.json


def test_everything_up(database_url):
    code, body = health(make_app(database_url))
    assert code == 200
    assert body == {"status": "ok", "database": "ok", "pending_migrations": [],
                    "uploads": "ok", "redis": "not_configured",
                    "rate_limits": {"backend": "database", "fallbacks": 0},
                    "upload_processing": {"colour_profile_ignored": 0}}


def test_an_upload_folder_that_cannot_be_written_takes_the_instance_out(database_url, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # as root, permissions would not stop a write
    app = make_app(database_url)
    app.config["UPLOAD_DIR"] = str(blocker / "uploads")
    code, body = health(app)
    assert code == 503
    assert (body["status"], body["uploads"], body["database"]) == ("error", "not_writable", "ok")


def test_pending_migrations_take_the_instance_out(tmp_path):
    code, body = health(make_app(f"sqlite:///{tmp_path / 'never-migrated.db'}"))
    assert code == 503
    assert body["database"] == "migrations_pending" and body["pending_migrations"]


def test_redis_down_is_reported_but_the_instance_stays_in_service(database_url):
    """Rate limits fall back to the database: pulling every instance out of the balancer
    because Redis is down would take the whole site down for nothing."""
    code, body = health(make_app(database_url, REDIS_URL="redis://127.0.0.1:1/0"))
    assert code == 200
    assert (body["status"], body["redis"]) == ("degraded", "unreachable")


def test_redis_up_is_reported(database_url):
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}; these tests run in CI")
    code, body = health(make_app(database_url, REDIS_URL=REDIS_URL))
    assert (code, body["status"], body["redis"]) == (200, "ok", "ok")
