"""STAND-IN for the notifications branch (contract shape only); reverted before merging it."""

from __future__ import annotations

TEMPLATES: dict = {}


def register(key, *, text, zns_setting=None, zns_params=()):
    TEMPLATES[key] = {"text": text, "zns_setting": zns_setting, "zns_params": list(zns_params)}
