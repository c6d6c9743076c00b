"""When ZNS takes messages again after refusing one for the hour or the day.

Zalo refuses ZNS sends between 22:00 and 06:00 (-133) and once the OA's (or the template's)
daily quota is spent (-144, -147), until the quota resets at midnight. Both are Việt Nam's
local time; the outbox keeps naive UTC, so these functions take and return naive UTC.
"""

from __future__ import annotations

import datetime as dt

from webapp.core.clock import VIETNAM_OFFSET, local_to_utc

MORNING = dt.time(6, 0)  # ZNS sends are allowed again from 06:00
MIDNIGHT = dt.time(0, 0)  # daily quotas start again


def next_morning(now_utc: dt.datetime) -> dt.datetime:
    """The next 06:00 in Việt Nam, in naive UTC (today's if it is still before six)."""
    return _next_local(now_utc, MORNING)


def next_quota_reset(now_utc: dt.datetime) -> dt.datetime:
    """The next midnight in Việt Nam, when daily quotas start again, in naive UTC."""
    return _next_local(now_utc, MIDNIGHT)


def _next_local(now_utc: dt.datetime, at: dt.time) -> dt.datetime:
    local_now = now_utc + VIETNAM_OFFSET
    candidate = dt.datetime.combine(local_now.date(), at)
    if candidate <= local_now:
        candidate += dt.timedelta(days=1)
    return local_to_utc(candidate)
