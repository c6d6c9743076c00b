"""STAND-IN for the accounts branch (contract shape only); reverted before merging it."""

from __future__ import annotations

import threading
import time

_hits: dict[str, list[float]] = {}
_lock = threading.Lock()


def allow(key: str, limit: int, window_seconds: int) -> bool:
    now = time.monotonic()
    with _lock:
        hits = [t for t in _hits.get(key, []) if now - t < window_seconds]
        allowed = len(hits) < limit
        if allowed:
            hits.append(now)
        _hits[key] = hits
    return allowed
