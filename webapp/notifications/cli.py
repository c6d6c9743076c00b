"""Operators' commands for the outbox.

    flask notifications send            send what is due now, then exit (e.g. from cron)
    flask notifications send --loop     keep sending, with a short wait between rounds
    flask notifications status          how many messages are pending, sending, sent, failed
    flask notifications purge --days 90 delete finished messages older than that
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from collections import Counter

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.core.db import database, utcnow
from webapp.notifications.models import FINISHED, OutboxAttempt, OutboxMessage
from webapp.notifications.transports import (
    DEVELOPMENT,
    NotificationSettingsError,
    transport_names,
)
from webapp.notifications.worker import Worker, run_forever

log = logging.getLogger(__name__)

notifications_cli = AppGroup("notifications", help="Messages to citizens' phones (the outbox).")


@notifications_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep sending until stopped (Ctrl+C or SIGTERM).")
@click.option("--interval", default=2.0, show_default=True,
              help="Seconds to wait between rounds when nothing is due (with --loop).")
@click.option("--batch", default=100, show_default=True, help="Messages claimed per round.")
def send_command(loop: bool, interval: float, batch: int) -> None:
    """Send the messages that are due."""
    worker = _worker()
    if not loop:
        with database.connection_context():
            click.echo(_summary(worker.drain(batch)))
        return
    stop = threading.Event()
    _stop_on_signals(stop)
    click.echo(f"Sending messages via {', '.join(t.name for t in worker.transports)} "
               f"every {interval:g} s (Ctrl+C to stop).")
    total = run_forever(worker, interval=interval, stop=stop, batch=batch)
    click.echo(f"Stopped. {_summary(total)}")


@notifications_cli.command("status")
def status_command() -> None:
    """Count the messages in each status."""
    with database.connection_context():
        counts = OutboxMessage.count_by_status()
    click.echo("  ".join(f"{status}: {count}" for status, count in counts.items()))


@notifications_cli.command("purge")
@click.option("--days", default=90, show_default=True, type=click.IntRange(min=1),
              help="Keep finished messages this many days.")
def purge_command(days: int) -> None:
    """Delete sent and failed messages (phone numbers, texts) older than --days."""
    cutoff = utcnow() - dt.timedelta(days=days)
    old = OutboxMessage.select(OutboxMessage.id).where(
        OutboxMessage.status.in_(FINISHED) & (OutboxMessage.updated_at < cutoff))
    with database.connection_context(), database.atomic():
        OutboxAttempt.delete().where(OutboxAttempt.message.in_(old)).execute()
        deleted = OutboxMessage.delete().where(OutboxMessage.id.in_(old)).execute()
    click.echo(f"Deleted {deleted} finished message(s) older than {days} days.")


def _worker() -> Worker:
    config = current_app.config
    try:
        worker = Worker.from_config(config)
    except NotificationSettingsError as error:
        raise click.ClickException(str(error)) from None
    if DEVELOPMENT in transport_names(config) and config.get("APP_ENV") != "development":
        log.warning("NOTIFY_TRANSPORTS uses the development transport outside development: "
                    "messages reach nobody's phone.")
    return worker


def _stop_on_signals(stop: threading.Event) -> None:
    """Finish the message in hand, then stop, on Ctrl+C or SIGTERM (systemd, docker, make)."""

    def handle(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)


def _summary(outcomes: Counter) -> str:
    return (f"Sent {outcomes['sent']}, to retry {outcomes['retry']}, "
            f"failed {outcomes['failed']}.")
