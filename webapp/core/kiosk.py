"""Whether this request comes from a kiosk at a one-stop shop, and what each room forgets of a
visitor there when she leaves or walks away.

The kiosk room recognises the device (a signed cookie an administrator set) and puts it on
`g.kiosk`; rooms below it (accounts: no lasting sign-in, no Zalo login) only ask `on_kiosk()`.
Rooms that keep something a visitor made there (drafts and their photos) register a `forget`
function, so the kiosk room never imports them: `forget(citizen, since)` deletes what the
citizen made since `since` (the start of her session at the kiosk) and has not sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask, current_app, g

Forget = Callable[[object, dt.datetime], None]
# The device's signed cookie (the kiosk room sets and reads it); the page cache never serves a
# request that carries one (core/page_cache.py).
DEVICE_COOKIE = "kiosk"


def current_kiosk():
    """The kiosk this request comes from, or None (a phone, a computer at home)."""
    return g.get("kiosk")


def on_kiosk() -> bool:
    return current_kiosk() is not None


def register_forget(app: Flask, name: str, forget: Forget) -> None:
    app.extensions.setdefault("kiosk_forget", {})[name] = forget


def forget_visitor(citizen, since: dt.datetime) -> list[str]:
    """Run every room's `forget` for the citizen who used the kiosk; the names of those run."""
    forgetters = current_app.extensions.get("kiosk_forget", {})
    for forget in forgetters.values():
        forget(citizen, since)
    return sorted(forgetters)
