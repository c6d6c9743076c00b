"""STAND-IN for the notifications branch (contract shape only); reverted before merging it."""

from __future__ import annotations

from flask_babel import force_locale

TEMPLATES: dict = {}


def register(key, *, text, zns_setting=None, zns_params=()):
    TEMPLATES[key] = {"text": text, "zns_setting": zns_setting, "zns_params": list(zns_params)}


def render(key, data):
    with force_locale("vi"):
        return str(TEMPLATES[key]["text"]) % dict(data)
