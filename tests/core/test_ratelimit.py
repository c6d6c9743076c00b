"""Rate limits shared by every app process: in the database, or in Redis when configured."""

from __future__ import annotations

import logging
import multiprocessing
import uuid
from concurrent.futures import ProcessPoolExecutor

import pytest

from tests.conftest import make_app
from tests.fakes.server import closed_port_url
from webapp.core import ratelimit
from webapp.core.db import database

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


@pytest.fixture(params=["database", "redis"])
def backend(request, database_url):
    """An app whose rate limits live in the database or in Redis (skipped without Redis)."""
    if request.param == "redis" and not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}; these tests run in CI")
    redis_url = REDIS_URL if request.param == "redis" else ""
    return database_url, redis_url


def _hits(database_url: str, redis_url: str, key: str, limit: int, times: int,
          window: int = 3600) -> list[bool]:
    """Hit `key` `times` times from a fresh app (as a separate app process would)."""
    app = make_app(database_url, REDIS_URL=redis_url)
    with app.test_request_context(), database.connection_context():
        return [ratelimit.allow(key, limit, window) for _ in range(times)]


def _key() -> str:
    return f"test:{uuid.uuid4().hex}"


def test_hits_within_the_limit_pass_and_the_next_is_refused(backend):
    key = _key()
    assert _hits(*backend, key, limit=3, times=5) == [True, True, True, False, False]
    assert _hits(*backend, _key(), limit=3, times=1) == [True]  # other keys are untouched


def test_the_limit_holds_across_several_app_processes(backend):
    key = _key()
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=3, mp_context=spawn) as pool:
        runs = [pool.submit(_hits, *backend, key, 10, 8) for _ in range(3)]
        allowed = sum(sum(run.result()) for run in runs)
    assert allowed == 10


def test_the_window_slides_instead_of_resetting_at_its_edge(backend, monkeypatch):
    key, clock = _key(), [10_000 * 60.0 + 59]  # one second before a window ends
    monkeypatch.setattr(ratelimit, "_now", lambda: clock[0])
    assert _hits(*backend, key, limit=4, times=4, window=60) == [True] * 4
    clock[0] += 2  # a new fixed window has begun, but the last 60 s still hold 4 hits
    assert _hits(*backend, key, limit=4, times=1, window=60) == [False]
    clock[0] += 60  # a minute later the first four hits have left the window
    assert _hits(*backend, key, limit=4, times=1, window=60) == [True]


def test_keys_are_stored_hashed_so_no_phone_number_is_kept(database_url):
    phone_key = "sign-in-code:phone:0912345678"
    _hits(database_url, "", phone_key, limit=5, times=1)
    app = make_app(database_url)
    with app.app_context(), database.connection_context():
        keys = [row.key for row in ratelimit.RateLimitHit.select()]
    assert keys and not any("0912345678" in key for key in keys)


def test_with_redis_down_limits_fall_back_to_the_database(database_url, caplog):
    key = _key()
    with caplog.at_level(logging.WARNING):
        results = _hits(database_url, closed_port_url().replace("http", "redis"), key, 2, 3)
    assert results == [True, True, False]
    assert "Redis unavailable" in caplog.text
