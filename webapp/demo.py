"""Demonstration data for `make run`. Development only; never load it in production."""

from __future__ import annotations

from webapp.accounts.demo import load_demo_accounts
from webapp.assisted import load_demo_help
from webapp.backoffice import load_demo_dossiers
from webapp.bookings.demo import load_demo_bookings
from webapp.consultations.demo import load_demo_consultations
from webapp.news import load_demo_news
from webapp.reports.demo import load_demo_reports


def load_demo_data() -> list[str]:
    """Load demo rows for each room that has some; return one line per room for the console."""
    lines = ["Demo data: catalogue and communes are loaded."]
    lines += load_demo_accounts()
    lines += load_demo_dossiers()
    lines += load_demo_consultations()
    lines += load_demo_news()
    lines += load_demo_bookings()
    lines += load_demo_help()
    lines += load_demo_reports()
    return lines
