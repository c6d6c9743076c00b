"""Rate limits shared by every app process: in Redis when REDIS_URL is set, else in the database.

    if not ratelimit.allow(f"sign-in-code:phone:{phone}", limit=5, window_seconds=3600):
        ...refuse politely...

Counting uses a sliding window made of two fixed windows (the previous one is weighted by how
much of it still overlaps), so a burst at a window boundary cannot double the limit. Every hit
counts, refused or not, so someone hammering stays refused. Keys are hashed before they are
stored, because callers put phone numbers and addresses in them.

Call `allow` outside the caller's database transaction: a hit counted inside a transaction
that is then rolled back would be forgotten.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time

from flask import Flask, current_app
from peewee import BigIntegerField, CharField, IntegerField

from webapp.core.db import BaseModel, database

log = logging.getLogger(__name__)


class RateLimitHit(BaseModel):
    """Hits of one key in one fixed window (the database backend)."""

    key = CharField(max_length=64)
    window_start = BigIntegerField()  # window number: unix time // window length
    count = IntegerField(default=0)
    expires_at = BigIntegerField(index=True)  # unix time after which the row is useless

    class Meta:
        indexes = ((("key", "window_start"), True),)


def _now() -> float:
    """The clock (tests replace it to move through windows without waiting)."""
    return time.time()


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def _estimate(previous: int, current: int, now: float, window: int) -> float:
    """Hits in the last `window` seconds, assuming the previous window's were spread evenly."""
    overlap = 1 - (now % window) / window
    return previous * overlap + current


class DatabaseCounter:
    """Counts in the `rate_limit_hit` table; one upsert and one read per hit."""

    name = "database"

    def hit(self, key: str, window: int, now: float) -> float:
        bucket = int(now // window)
        with database.atomic():
            RateLimitHit.insert(
                key=key, window_start=bucket, count=1, expires_at=(bucket + 2) * window
            ).on_conflict(
                conflict_target=[RateLimitHit.key, RateLimitHit.window_start],
                update={RateLimitHit.count: RateLimitHit.count + 1},
            ).execute()
            counts = dict(
                RateLimitHit.select(RateLimitHit.window_start, RateLimitHit.count)
                .where(RateLimitHit.key == key,
                       RateLimitHit.window_start.in_([bucket - 1, bucket]))
                .tuples()
            )
        if random.random() < 0.01:  # now and then, forget windows nobody can need any more
            RateLimitHit.delete().where(RateLimitHit.expires_at < int(now)).execute()
        return _estimate(counts.get(bucket - 1, 0), counts.get(bucket, 0), now, window)


class RedisCounter:
    """Counts in Redis: INCR the current window, read the previous one, in one round trip."""

    name = "redis"

    def __init__(self, url: str) -> None:
        import redis  # only where REDIS_URL is set: installs without Redis never load it

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def hit(self, key: str, window: int, now: float) -> float:
        bucket = int(now // window)
        current_key, previous_key = f"rl:{key}:{bucket}", f"rl:{key}:{bucket - 1}"
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(current_key)
        pipe.expire(current_key, 2 * window)
        pipe.get(previous_key)
        current, _, previous = pipe.execute()
        return _estimate(int(previous or 0), int(current), now, window)


def allow(key: str, limit: int, window_seconds: int) -> bool:
    """Count a hit on `key`; True while hits in the last `window_seconds` stay within `limit`."""
    counter = current_app.extensions["ratelimit"]
    hashed, now = _hashed(key), _now()
    try:
        return counter.hit(hashed, window_seconds, now) <= limit
    except Exception as error:  # Redis down: keep limiting, with the database, rather than fail
        if counter.name != "redis":
            raise
        log.warning("Rate limit: Redis unavailable (%s); counting in the database",
                    type(error).__name__)
        return DatabaseCounter().hit(hashed, window_seconds, now) <= limit


def redis_health() -> str:
    """"not_configured", "ok" or "unreachable" (then limits are counted in the database)."""
    counter = current_app.extensions["ratelimit"]
    if counter.name != "redis":
        return "not_configured"
    try:
        counter.client.ping()
    except Exception:  # any failure of the client means the same to an operator
        return "unreachable"
    return "ok"


def init_app(app: Flask) -> None:
    """Choose the backend once: Redis when configured, else the shared database."""
    url = app.config.get("REDIS_URL")
    app.extensions["ratelimit"] = RedisCounter(url) if url else DatabaseCounter()
