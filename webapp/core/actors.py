"""Who is acting on this request, for the rooms that sit below accounts.

The accounts room knows who is signed in; the audit log records the actor of every event and
has a page for administrators, yet it sits below accounts and must not import it (accounts
writes to the audit log). So accounts, when the app starts, tells this module how to find the
signed-in person, how to guard a staff page and how to name staff members; the lower rooms ask
here. Nothing else is shared: no model, no session detail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, current_app, has_request_context

STAFF, CITIZEN = "staff", "citizen"


@dataclass(frozen=True)
class Actor:
    """A person acting: a staff member or a citizen, by kind and id."""

    kind: str
    id: int


@dataclass(frozen=True)
class Provider:
    """What the accounts room registers (see `provide`)."""

    current: Callable[[], Actor | None]
    staff_guard: Callable[[tuple[str, ...]], Callable[[Callable], Callable]]
    staff_names: Callable[[Iterable[int]], dict[int, str]]


def provide(app: Flask, provider: Provider) -> None:
    """Called once by the accounts room's `init_app`."""
    app.extensions["actors"] = provider


def _provider() -> Provider:
    return current_app.extensions["actors"]


def current() -> Actor | None:
    """The signed-in person of this request; None when nobody is, or off-request."""
    if not has_request_context():
        return None
    return _provider().current()


def staff_required(*roles: str) -> Callable[[Callable], Callable]:
    """Guard a view as accounts' own decorator does: sign-in page for strangers, 403 for a
    staff member without one of `roles`. Resolved per request, since rooms import this
    before accounts has registered."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            return _provider().staff_guard(roles)(view)(*args, **kwargs)

        return wrapper

    return decorator


def staff_names(ids: Iterable[int]) -> dict[int, str]:
    """{staff id: username} for the ids given."""
    wanted = {i for i in ids if i is not None}
    return _provider().staff_names(wanted) if wanted else {}
