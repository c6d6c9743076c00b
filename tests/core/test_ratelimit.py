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


def counted_in(database_url: str, key: str) -> set[str]:
    """Where the hits of `key` were stored: "database", "redis", both or neither.

    The database backs Redis up when Redis fails, so a test that only counts answers cannot
    tell which backend ran; this looks at the stores themselves.
    """
    hashed, found = ratelimit._hashed(key), set()
    with make_app(database_url).app_context(), database.connection_context():
        if ratelimit.RateLimitHit.select().where(ratelimit.RateLimitHit.key == hashed).exists():
            found.add("database")
    if redis_reachable() and _redis().keys(f"rl:{hashed}:*"):
        found.add("redis")
    return found


def _redis():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def test_hits_within_the_limit_pass_and_the_next_is_refused(backend, request):
    key = _key()
    assert _hits(*backend, key, limit=3, times=5) == [True, True, True, False, False]
    assert _hits(*backend, _key(), limit=3, times=1) == [True]  # other keys are untouched
    assert counted_in(backend[0], key) == {"redis" if backend[1] else "database"}


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


def test_with_redis_down_limits_fall_back_to_the_database_logged_and_counted(database_url,
                                                                              caplog):
    key = _key()
    app = make_app(database_url, REDIS_URL=closed_port_url().replace("http", "redis"))
    with caplog.at_level(logging.WARNING, logger="webapp.core.ratelimit"):
        with app.test_request_context(), database.connection_context():
            results = [ratelimit.allow(key, 2, 3600) for _ in range(3)]
    assert results == [True, True, False]
    assert counted_in(database_url, key) == {"database"}
    assert [record.getMessage() for record in caplog.records] == [
        "Rate limit: Redis unavailable (ConnectionError); counted in the database "
        f"({n} time(s) since this process started)" for n in (1, 2, 3)]
    health = app.test_client().get("/healthz").json
    assert health["rate_limits"] == {"backend": "redis", "fallbacks": 3}


def test_a_working_redis_reports_no_fallback(backend):
    app = make_app(backend[0], REDIS_URL=backend[1])
    with app.test_request_context(), database.connection_context():
        ratelimit.allow(_key(), 2, 3600)
    expected = {"backend": "redis" if backend[1] else "database", "fallbacks": 0}
    assert app.test_client().get("/healthz").json["rate_limits"] == expected


@pytest.mark.parametrize(("seconds_into_window", "allowed"), [(15, 1), (45, 3)])
def test_the_previous_window_weighs_by_how_much_of_it_still_overlaps(
        backend, monkeypatch, seconds_into_window, allowed):
    # Four hits late in one minute; in the next, the previous minute still overlaps the last
    # 60 s by 75 % at 15 s in (three hits count) and by 25 % at 45 s in (one hit counts).
    key, clock = _key(), [10_000 * 60.0 + 58]
    monkeypatch.setattr(ratelimit, "_now", lambda: clock[0])
    assert _hits(*backend, key, limit=4, times=4, window=60) == [True] * 4
    clock[0] = 10_001 * 60.0 + seconds_into_window
    assert _hits(*backend, key, limit=4, times=4, window=60) == (
        [True] * allowed + [False] * (4 - allowed))


def test_hits_older_than_the_previous_window_no_longer_count(backend, monkeypatch):
    key, clock = _key(), [10_000 * 60.0 + 30]
    monkeypatch.setattr(ratelimit, "_now", lambda: clock[0])
    assert _hits(*backend, key, limit=2, times=3, window=60) == [True, True, False]
    clock[0] = 10_002 * 60.0  # two windows on: nothing of the first one overlaps
    assert _hits(*backend, key, limit=2, times=3, window=60) == [True, True, False]


def test_redis_forgets_a_window_once_no_later_window_can_need_it(monkeypatch):
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}; these tests run in CI")
    key = _key()
    monkeypatch.setattr(ratelimit, "_now", lambda: 10_000 * 60.0 + 30)
    with make_app("sqlite:///:memory:", REDIS_URL=REDIS_URL).test_request_context():
        ratelimit.allow(key, 2, 60)
    stored = f"rl:{ratelimit._hashed(key)}:10000"
    assert 110 <= _redis().ttl(stored) <= 120  # two windows of 60 s


def _database_rows(database_url: str, key: str) -> list[tuple[int, int, int]]:
    with make_app(database_url).app_context(), database.connection_context():
        hit = ratelimit.RateLimitHit
        return [tuple(row) for row in hit.select(hit.window_start, hit.count, hit.expires_at)
                .where(hit.key == ratelimit._hashed(key)).order_by(hit.window_start).tuples()]


@pytest.mark.parametrize("now_and_then", [0.0, 0.5])
def test_the_database_forgets_windows_nobody_can_need_now_and_then(database_url, monkeypatch,
                                                                   now_and_then):
    old, recent, clock = _key(), _key(), [10_000 * 60.0 + 30]
    monkeypatch.setattr(ratelimit, "_now", lambda: clock[0])
    monkeypatch.setattr(ratelimit.random, "random", lambda: 0.5)  # no clean-up yet
    _hits(database_url, "", old, limit=5, times=2, window=60)
    clock[0] = 10_001 * 60.0 + 59  # the first window can still weigh in: kept
    _hits(database_url, "", recent, limit=5, times=1, window=60)
    assert _database_rows(database_url, old) == [(10_000, 2, 10_002 * 60)]
    clock[0] = 10_002 * 60.0 + 1  # now it cannot: a clean-up, 1 % of hits, removes it
    monkeypatch.setattr(ratelimit.random, "random", lambda: now_and_then)
    _hits(database_url, "", recent, limit=5, times=1, window=60)
    assert _database_rows(database_url, old) == ([] if now_and_then < 0.01 else
                                                 [(10_000, 2, 10_002 * 60)])
    assert [row[:2] for row in _database_rows(database_url, recent)] == [(10_001, 1), (10_002, 1)]
