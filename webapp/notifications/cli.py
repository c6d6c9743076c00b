"""Operators' commands for the outbox.

    flask notifications send            send what is due now, then exit (e.g. from cron)
    flask notifications send --loop     keep sending, with a short wait between rounds
    flask notifications status          how many messages are pending, sending, sent, failed,
                                        and the state of the stored Zalo OA token
    flask notifications purge --days 90 delete finished messages older than that
    flask notifications zns-token       load the Zalo OA's refresh token (asked for, not typed
                                        on the command line); the app refreshes it from then on
    flask notifications sms-templates   every SMS text, as registered with the SMS gateway
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import sys
import threading
from collections import Counter
from collections.abc import Mapping
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.integrations.results import WAIT_FOR_MORNING, WAIT_FOR_QUOTA
from webapp.integrations.zalo_oauth import NO_REFRESH_TOKEN, ZaloOAuthError, ZaloUnavailable
from webapp.notifications import problems, sms_templates
from webapp.notifications.models import (
    FINISHED,
    PENDING,
    OutboxAttempt,
    OutboxMessage,
    ZaloOaToken,
)
from webapp.notifications.transports import (
    DEVELOPMENT,
    TOKEN_STORED,
    ZNS,
    NotificationSettingsError,
    stored_oa_token,
    transport_names,
    zns_token_source,
)
from webapp.notifications.worker import Worker, run_forever
from webapp.notifications.zns_token import LOAD_COMMAND, StoredOaToken

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
    """Count the messages in each status and what the delivery reports said; show the stored
    Zalo OA token's state (no secret) and the problems only an operator can mend."""
    config = current_app.config
    now = utcnow()
    with database.connection_context():
        counts = OutboxMessage.count_by_status()
        waiting = _waiting_for_zns()
        reports = OutboxMessage.count_delivery_reports(since=now - problems.RECENT)
        token = ZaloOaToken.current()
        found = problems.recent_problems(now)
    click.echo("  ".join(f"{status}: {count}" for status, count in counts.items()))
    if any(waiting.values()):
        click.echo(f"Waiting for ZNS: {waiting['morning']} until 06:00, "
                   f"{waiting['quota']} until the daily quota resets.")
    if any(reports.values()):
        click.echo("Delivery reports of the last 7 days: "
                   + "  ".join(f"{outcome}: {n}" for outcome, n in reports.items()))
    token_state = _zns_token_state(token, config)
    if token_state:
        click.echo(token_state)
    if found:
        click.echo(f"Needs an operator ({len(found)} problem(s) in the last 7 days):")
        for problem in found:
            click.echo(f"- {problems.describe(problem, config)}")


@notifications_cli.command("sms-templates")
@click.option("--format", "output", type=click.Choice(["markdown", "csv"]), default="markdown",
              show_default=True, help="A Markdown table, or CSV for the gateway's staff.")
def sms_templates_command(output: str) -> None:
    """Print every SMS text as it must be registered with the brand-name gateway, with and
    without diacritics ({P1,20}: a variable part of at most 20 characters)."""
    table = sms_templates.rows()
    click.echo(sms_templates.as_csv(table) if output == "csv" else sms_templates.as_markdown(
        table), nl=False)


@notifications_cli.command("zns-token")
@click.option("--refresh-token", help="The OA's refresh token. Better left out: it is then "
              "asked for (or read from standard input) and stays out of the shell history.")
def zns_token_command(refresh_token: str | None) -> None:
    """Load the Zalo Official Account's refresh token, after authorising the OA.

    The token is spent at once to check it, and the new pair is stored; from then on the app
    refreshes the access token itself. Neither token is ever printed.
    """
    try:
        store = stored_oa_token(current_app.config)
    except NotificationSettingsError as error:
        raise click.ClickException(str(error)) from None
    token = (refresh_token or _read_secret("Refresh token of the Official Account")).strip()
    if not token:
        raise click.ClickException("No refresh token given; nothing was stored.")
    with database.connection_context():
        row = _load_token(store, token)
    click.echo(f"Stored the Zalo OA token. The access token expires at {_utc(row.expires_at)}; "
               "the app refreshes it before then.")
    if zns_token_source(current_app.config) != TOKEN_STORED:
        click.echo("Note: ZNS_ACCESS_TOKEN or ZNS_ACCESS_TOKEN_FILE is set, so ZNS uses that "
                   "token instead; unset it to use the stored one.")


@notifications_cli.command("purge")
@click.option("--days", default=90, show_default=True, type=click.IntRange(min=1),
              help="Keep finished messages this many days.")
def purge_command(days: int) -> None:
    """Delete sent and failed messages (phone numbers, texts) older than --days."""
    click.echo(f"Deleted {purge_finished(days)} finished message(s) older than {days} days.")


def purge_finished(days: int) -> int:
    """Delete sent and failed messages older than `days`, with their attempts; how many."""
    cutoff = utcnow() - dt.timedelta(days=days)
    old = OutboxMessage.select(OutboxMessage.id).where(
        OutboxMessage.status.in_(FINISHED) & (OutboxMessage.updated_at < cutoff))
    with database.connection_context(), database.atomic():
        OutboxAttempt.delete().where(OutboxAttempt.message.in_(old)).execute()
        return OutboxMessage.delete().where(OutboxMessage.id.in_(old)).execute()


def _read_secret(prompt: str) -> str:
    """A secret from a hidden prompt, or from standard input when something is piped in."""
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, default="", show_default=False)
    return sys.stdin.readline()


def _load_token(store: StoredOaToken, refresh_token: str) -> ZaloOaToken:
    """Load the operator's refresh token, explaining Zalo's refusal or absence."""
    try:
        return store.load(refresh_token)
    except ZaloOAuthError as refusal:
        if refusal.code == NO_REFRESH_TOKEN:
            raise click.ClickException(
                "Zalo took this refresh token but sent no new one back, so the OA could not "
                "be kept; nothing was stored. Authorise the Official Account again and load "
                "its new refresh token.") from None
        raise click.ClickException(
            f"Zalo refused this refresh token ({refusal}); nothing was stored. Authorise the "
            "Official Account again and load its new refresh token.") from None
    except ZaloUnavailable as error:
        raise click.ClickException(
            f"Zalo could not be reached ({error}); nothing was stored. Try again; should Zalo "
            "then refuse the token, it was spent meanwhile: authorise the OA again.") from None


def _zns_token_state(token: ZaloOaToken | None, config: Mapping[str, Any]) -> str | None:
    """One line on the stored OA token without its secrets; None when ZNS does not use one."""
    uses_stored = ZNS in transport_names(config) and zns_token_source(config) == TOKEN_STORED
    if token is None:
        return f"ZNS token: none stored; load one with `{LOAD_COMMAND}`." if uses_stored else None
    if token.refused_at is not None:
        state = (f"refused by Zalo at {_utc(token.refused_at)} ({token.refusal}); authorise the "
                 f"Official Account again and load its new refresh token with `{LOAD_COMMAND}`")
    else:
        state = (f"access token expires at {_utc(token.expires_at)}, last refreshed at "
                 f"{_utc(token.updated_at)}")
    return f"ZNS token: {state}{'' if uses_stored else ' (not used by this configuration)'}."


def _waiting_for_zns() -> dict[str, int]:
    """Pending messages that wait for ZNS's morning or its quota's reset."""
    pending = OutboxMessage.select().where(OutboxMessage.status == PENDING)
    return {
        "morning": pending.where(OutboxMessage.last_error.in_(list(WAIT_FOR_MORNING))).count(),
        "quota": pending.where(OutboxMessage.last_error.in_(list(WAIT_FOR_QUOTA))).count(),
    }


def _utc(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


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
