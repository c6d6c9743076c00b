"""The news room's command:

    flask news audio            make the "Nghe đọc" audio that is missing, once
    flask news audio --loop     keep making it as articles are published (make run starts it)
"""

from __future__ import annotations

import signal
import threading

import click
from flask.cli import AppGroup

from webapp.core.db import database
from webapp.news import audio

news_cli = AppGroup("news", help="News and announcements.")


@news_cli.command("audio")
@click.option("--loop", is_flag=True, help="Keep going until stopped (Ctrl+C or SIGTERM).")
@click.option("--interval", default=10.0, show_default=True,
              help="Seconds to wait between rounds when nothing is missing (with --loop).")
@click.option("--batch", default=20, show_default=True, help="Texts read per round.")
def audio_command(loop: bool, interval: float, batch: int) -> None:
    """Read aloud, once per version, the published articles and the procedures."""
    stop = threading.Event()
    if loop:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        click.echo(f"Making 'Nghe đọc' audio every {interval:g} s (Ctrl+C to stop).")
    total = 0
    while True:
        with database.connection_context():
            made = audio.make_missing(batch)
        total += made
        if not loop:
            break
        if not made and stop.wait(interval):
            break
        if stop.is_set():
            break
    click.echo(f"Audio made: {total}.")
