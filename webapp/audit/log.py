"""Record who did what to which object, when and from where, with personal data masked.

    audit.record("citizen.viewed", object_type="citizen", object_id=citizen.id)

The actor (the signed-in staff member or citizen), the time and the client address are taken
from the request. Rows are append-only: the model refuses updates and deletes, and so does the
database (triggers from migration 0003).

Masking happens here, once, so no caller can forget it: values under personal-data keys are
masked, and anything in any other value that looks like a phone or identity number is too.
The `PersonalDataFilter` applies the same masking to every log line the app writes.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, has_request_context, request

from webapp.audit.models import AuditEvent
from webapp.core import actors
from webapp.core.citizen_ids import mask_citizen_id
from webapp.core.phones import InvalidPhone, mask_phone

# Whole values that are personal data whatever they look like.
_HIDDEN_KEYS = {"full_name", "name", "address", "date_of_birth", "password", "code", "token",
                "totp", "secret"}
_PHONE_KEYS = {"phone", "contact_phone", "new_phone", "old_phone"}
_ID_KEYS = {"citizen_id", "id_number"}

# A Vietnamese mobile in any usual spelling, and 9- or 12-digit identity numbers.
_PHONE_LIKE = re.compile(r"(?<![\d*])(?:\+?84|0)[\s.]?\d{2,3}[\s.]?\d{3}[\s.]?\d{3}(?!\d)")
_ID_LIKE = re.compile(r"(?<!\d)(?:\d{12}|\d{9})(?!\d)")


def mask_text(text: str) -> str:
    """Mask phone numbers and identity numbers found anywhere in a piece of text."""
    text = _PHONE_LIKE.sub(lambda m: _mask_phone_or_stars(m.group(0)), text)
    return _ID_LIKE.sub(lambda m: mask_citizen_id(m.group(0)), text)


def _mask_phone_or_stars(value: str) -> str:
    try:
        return mask_phone(value)
    except InvalidPhone:
        return "***"


def mask_value(key: str, value: Any) -> Any:
    """Mask one detail value according to what its key says it is."""
    if value is None or value == "":
        return value
    if key in _HIDDEN_KEYS:
        return "***"
    if key in _PHONE_KEYS:
        return _mask_phone_or_stars(str(value))
    if key in _ID_KEYS:
        return mask_citizen_id(str(value))
    if isinstance(value, dict):
        return mask_detail(value)
    if isinstance(value, list | tuple):
        return [mask_value(key, item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    return value


def mask_detail(detail: dict | None) -> dict:
    """A copy of `detail` safe to keep: personal data masked, keys kept."""
    return {str(key): mask_value(str(key), value) for key, value in (detail or {}).items()}


def _actor(actor) -> tuple[str, int | None]:
    """("staff", id), ("citizen", id), ("anonymous", None), or ("system", None) off-request.

    `actor` is anything with `as_actor()` (a staff member or a citizen), or None for whoever
    is signed in on this request.
    """
    found = actor.as_actor() if actor is not None else actors.current()
    if found is not None:
        return found.kind, found.id
    return ("anonymous" if has_request_context() else "system"), None


def record(action: str, *, object_type: str, object_id, detail: dict | None = None,
           actor=None) -> None:
    """Append one event. `actor` overrides the signed-in person (e.g. a failed sign-in's target)."""
    actor_type, actor_id = _actor(actor)
    AuditEvent.create(
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        detail=mask_detail(detail),
        client_address=(request.remote_addr or "") if has_request_context() else "",
    )


# Random tokens (a draft's name in its address, a reset link, a session) are 20 or more URL-safe
# characters; in a log line (an exception's path, a server's error) they would be a key.
_TOKEN_LIKE = re.compile(r"(?<![\w-])[A-Za-z0-9_-]{20,}(?![\w-])")


def mask_log_line(text: str) -> str:
    """A log line with phone, identity numbers and random tokens masked."""
    return _TOKEN_LIKE.sub("***", mask_text(text))


class PersonalDataFilter(logging.Filter):
    """Mask phone and identity numbers and tokens in every log line, whoever wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_log_line(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def mask_loggers(*names: str) -> None:
    """Put the masking filter on every handler of these loggers ("" is the root logger, where
    the app's logs go; gunicorn's own loggers have handlers of their own)."""
    for name in names:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
                handler.addFilter(PersonalDataFilter())


def init_app(app: Flask) -> None:
    """Mask the app's log lines (the root logger's handlers)."""
    mask_loggers("")
