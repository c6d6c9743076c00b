"""Waiting for a condition instead of for a fixed time, so tests pass on a busy machine."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], object], seconds: float = 20.0, what: str = "") -> None:
    """Return as soon as `condition()` is true; fail after `seconds` with `what` in the message."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {seconds} s: {what or condition}")
        time.sleep(0.01)
