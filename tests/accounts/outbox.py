"""Reading what the accounts room sent through the notification outbox.

Until the notification room is merged, `webapp.notifications` does not exist: then a stand-in
with the contract's `enqueue` and `register` is installed, keeping messages in memory.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from dataclasses import dataclass, field

STAND_IN = importlib.util.find_spec("webapp.notifications") is None


@dataclass
class _Message:
    template: str
    phone: str
    data: dict
    reference: str | None
    id: int = field(default=0)


SENT: list[_Message] = []


def install_stand_in() -> None:
    """Put a minimal `webapp.notifications` in sys.modules when the real one is absent."""
    if not STAND_IN or "webapp.notifications.outbox" in sys.modules:
        return
    package = types.ModuleType("webapp.notifications")
    package.__path__ = []
    outbox = types.ModuleType("webapp.notifications.outbox")
    templates = types.ModuleType("webapp.notifications.templates")

    def enqueue(*, template, phone, data, reference=None):
        message = _Message(template, phone, dict(data), reference, len(SENT) + 1)
        SENT.append(message)
        return message

    outbox.enqueue = enqueue
    templates.register = lambda key, **kwargs: key
    package.outbox, package.templates = outbox, templates
    sys.modules.update({"webapp.notifications": package,
                        "webapp.notifications.outbox": outbox,
                        "webapp.notifications.templates": templates})


def messages_to(phone: str, template: str | None = None) -> list[dict]:
    """Messages queued for `phone` (oldest first) as dicts with template, data and reference."""
    if STAND_IN:
        found = [m.__dict__ for m in SENT if m.phone == phone]
    else:
        from webapp.notifications.models import OutboxMessage

        found = [{"template": m.template, "phone": m.phone, "data": m.data,
                  "reference": m.reference}
                 for m in OutboxMessage.select().where(OutboxMessage.phone == phone)
                 .order_by(OutboxMessage.id)]
    return [m for m in found if template is None or m["template"] == template]


def last_code_to(phone: str) -> str:
    """The six digits of the latest sign-in code queued for `phone`."""
    codes = [m["data"]["code"] for m in messages_to(phone, "accounts_sign_in_code")]
    assert codes, f"no code was sent to {phone}"
    assert re.fullmatch(r"\d{6}", codes[-1])
    return codes[-1]
