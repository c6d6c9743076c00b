"""Notifications: messages to citizens' phones through an outbox, sent by a worker.

A room that needs to tell a citizen something registers a message template at import time
(`templates.register`) and calls `outbox.enqueue(...)` inside the same `database.atomic()`
block as the event that causes the message. The worker (`flask notifications send`) delivers
what is due through the configured transports (development log, Zalo ZNS, SMS), retrying with
backoff and falling back from ZNS to SMS; see docs/notifications.md.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the worker commands, the SMS gateway's delivery reports (a 404 unless eSMS is
    configured to send them), and the development page when messages stay local."""
    from webapp.notifications import messages  # noqa: F401  (registers this room's templates)
    from webapp.notifications.cli import notifications_cli
    from webapp.notifications.delivery_reports import delivery_reports
    from webapp.notifications.transports import development_page_enabled

    app.cli.add_command(notifications_cli)
    app.register_blueprint(delivery_reports)
    if development_page_enabled(app.config):
        from webapp.notifications.views import dev_messages

        app.register_blueprint(dev_messages)
