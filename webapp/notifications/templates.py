"""Message templates: what each kind of message says, and how it maps to a ZNS template.

Rooms register their templates at import time in their own module (for example
`webapp/dossiers/notifications.py`)::

    register(
        "dossier_status_changed",
        text=_l("Your dossier %(ma_ho_so)s: %(trang_thai)s."),
        zns_setting="ZNS_TEMPLATE_DOSSIER_STATUS_CHANGED",
        zns_params=["ho_ten", "ma_ho_so", "trang_thai"],
    )

`text` is one translatable sentence with named placeholders; it is rendered in Vietnamese
(whatever the language of the request that caused it) for SMS and the development transport.
`zns_setting` names the configuration value holding the approved ZNS template id for this kind
(read from the environment variable of the same name); `zns_params` are the keys of the
message data sent as `template_data`, so the ZNS template's parameters must carry these names.
Without a configured template id, the message goes by SMS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale

MESSAGE_LANGUAGE = "vi"


class UnknownTemplate(KeyError):
    """No template is registered under this key: a programming error, caught by tests."""


@dataclass(frozen=True)
class MessageTemplate:
    """One kind of message."""

    key: str
    text: Any  # a LazyString (or str) with named %(placeholders)s
    zns_setting: str | None = None
    zns_params: tuple[str, ...] = field(default_factory=tuple)
    max_age_seconds: int | None = None  # worthless after this (a sign-in code): not sent late

    def render(self, data: Mapping[str, Any]) -> str:
        """The message in Vietnamese. Needs an app context; raises KeyError for missing data."""
        with force_locale(MESSAGE_LANGUAGE):
            return str(self.text) % dict(data)

    def zns_template_id(self, config: Mapping[str, Any]) -> str | None:
        """The approved ZNS template id configured for this kind, or None."""
        if not self.zns_setting:
            return None
        return str(config.get(self.zns_setting) or "").strip() or None

    def zns_data(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The ZNS `template_data`: the listed values of the message data."""
        return {name: data[name] for name in self.zns_params}


_REGISTRY: dict[str, MessageTemplate] = {}


def register(
    key: str,
    *,
    text: Any,
    zns_setting: str | None,
    zns_params: list[str],
    max_age_seconds: int | None = None,
) -> MessageTemplate:
    """Declare a kind of message. Registering the same key again must say the same thing.

    `max_age_seconds`: a message of this kind still unsent after that long (providers down,
    retries waiting) is marked failed with `expired` instead of arriving when it is useless,
    e.g. a sign-in code that has already run out.
    """
    template = MessageTemplate(key, text, zns_setting, tuple(zns_params), max_age_seconds)
    existing = _REGISTRY.get(key)
    if existing is not None and _signature(existing) != _signature(template):
        raise ValueError(f"message template {key!r} is already registered differently")
    _REGISTRY[key] = template
    return template


def get(key: str) -> MessageTemplate:
    """The template registered under `key`; UnknownTemplate if there is none."""
    try:
        return _REGISTRY[key]
    except KeyError:
        raise UnknownTemplate(key) from None


def registered() -> list[MessageTemplate]:
    """Every registered kind, by key (the table of SMS texts is made from these)."""
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def find(key: str) -> MessageTemplate | None:
    """The template registered under `key`, or None (the worker tolerates removed kinds)."""
    return _REGISTRY.get(key)


def _signature(template: MessageTemplate) -> tuple:
    # LazyStrings compare by their text, so a re-import of the registering module is harmless.
    return (getattr(template.text, "_args", None) or str(template.text),
            template.zns_setting, template.zns_params, template.max_age_seconds)
