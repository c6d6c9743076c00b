"""Demonstration data for `make run`. Development only; never load it in production."""

from __future__ import annotations

from webapp.accounts.demo import load_demo_accounts
from webapp.backoffice import load_demo_dossiers
from webapp.reports.demo import load_demo_reports


def load_demo_data() -> list[str]:
    """Load demo rows for each room that has some; return one line per room for the console."""
    lines = ["Demo data: catalogue and communes are loaded."]
    lines += load_demo_accounts()
    lines += load_demo_dossiers()
    lines += load_demo_reports()
    return lines
