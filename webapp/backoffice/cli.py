"""Back-office commands: `flask --app webapp backoffice generate --count 50000`."""

from __future__ import annotations

import time

import click

from webapp.backoffice.blueprint import backoffice
from webapp.backoffice.generator import generate
from webapp.core import db


@backoffice.cli.command("generate")
@click.option("--count", default=50_000, show_default=True, help="How many dossiers to add.")
@click.option("--seed", default=2026, show_default=True, help="Same seed, same dossiers.")
def generate_command(count: int, seed: int) -> None:
    """Add fictitious dossiers with their histories (benchmarks and demos; never production)."""
    started = time.monotonic()
    with db.database.connection_context():
        generate(count, seed=seed, progress=lambda done: click.echo(f"  {done} dossiers",
                                                                     err=True)
                 if done % 10_000 == 0 else None)
    click.echo(f"Added {count} dossiers in {time.monotonic() - started:.0f} s.")
