"""Reading what the accounts room sent through the notification outbox (the real table)."""

from __future__ import annotations

import re

from webapp.notifications.models import OutboxMessage


def messages_to(phone: str, template: str | None = None) -> list[dict]:
    """Messages queued for `phone` (oldest first) as dicts with template, data and reference."""
    query = OutboxMessage.select().where(OutboxMessage.phone == phone).order_by(OutboxMessage.id)
    found = [{"template": m.template, "phone": m.phone, "data": m.data, "text": m.text,
              "reference": m.reference} for m in query]
    return [m for m in found if template is None or m["template"] == template]


def last_code_to(phone: str) -> str:
    """The six digits of the latest sign-in code queued for `phone`."""
    codes = [m["data"]["code"] for m in messages_to(phone, "accounts_sign_in_code")]
    assert codes, f"no code was sent to {phone}"
    assert re.fullmatch(r"\d{6}", codes[-1])
    return codes[-1]
