"""Demonstration data for `make run`. Development only; never load it in production."""

from __future__ import annotations


def load_demo_data() -> list[str]:
    """Load demo rows for each room that has some; return one line per room for the console."""
    return ["Demo data: catalogue and communes are loaded; no other demo data yet."]
