"""Notifications: messages to citizens' phones through an outbox, sent by a worker.

A room that needs to tell a citizen something registers a message template at import time
(`templates.register`) and calls `outbox.enqueue(...)` inside the same `database.atomic()`
block as the event that causes the message. The worker (`flask notifications send`) delivers
what is due through the configured transports (development log, Zalo ZNS, SMS), retrying with
backoff and falling back from ZNS to SMS; see docs/notifications.md.
"""

from __future__ import annotations

from flask import Flask, current_app

from webapp.core import housekeeping
from webapp.core import metrics as app_metrics
from webapp.notifications import (
    delivery_reports,
    messages,  # noqa: F401  (registers this room's templates)
    metrics,
)
from webapp.notifications.cli import notifications_cli, purge_finished
from webapp.notifications.transports import development_page_enabled
from webapp.notifications.views import dev_messages


def _purge_messages() -> str:
    days = current_app.config["MESSAGE_RETENTION_DAYS"]
    return f"Deleted {purge_finished(days)} finished message(s) older than {days} days."


def init_app(app: Flask) -> None:
    """Register the worker commands, the daily purge, the outbox's metrics, the SMS gateway's
    delivery reports (a 404 unless eSMS is configured to send them), and the development page
    when messages stay local."""
    app.cli.add_command(notifications_cli)
    housekeeping.register(app, "finished text messages", _purge_messages)
    app_metrics.register_collector(app, metrics.collect)
    app.register_blueprint(delivery_reports.delivery_reports)
    if development_page_enabled(app.config):
        app.register_blueprint(dev_messages)
