"""Commands for operators: `flask --app webapp <group> <command>`.

    flask db migrate            apply pending schema migrations
    flask db status             list migrations and whether each is applied
    flask db backup PATH        a consistent copy of the database, taken while the app runs
    flask db restore PATH       replace the database by a backup (asks first; --yes does not)
    flask demo load             migrate, load the communes and the catalogue, add demo data
    flask housekeeping          daily: every room's clean-up of what is kept only for a while

Commands of one room live in that room (`flask catalogue load`, `flask places load|check`, ...).
    flask translate extract|update|compile
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from playhouse.migrations import Runner

from webapp.catalogue import load_catalogue_command
from webapp.config import PROJECT_ROOT
from webapp.core import backup, db, housekeeping
from webapp.demo import load_demo_data
from webapp.places.cli import load_places_command

db_cli = AppGroup("db", help="Database schema.")
demo_cli = AppGroup("demo", help="Demonstration data (never in production).")
translate_cli = AppGroup("translate", help="Translations of the interface.")

BABEL_CFG = PROJECT_ROOT / "babel.cfg"
POT_FILE = PROJECT_ROOT / "translations" / "messages.pot"
TRANSLATIONS = PROJECT_ROOT / "translations"
PO_WIDTH = 100  # the catalogues' line width, as the project's code: fewer re-wrapped lines in diffs


@db_cli.command("migrate")
def migrate_command() -> None:
    """Apply pending migrations."""
    applied = db.migrate()
    click.echo(f"Applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")


@db_cli.command("status")
def status_command() -> None:
    """Show every migration and whether it is applied."""
    with db.database.connection_context():
        for migration in Runner(db.database.obj, str(db.MIGRATIONS_DIR)).status():
            click.echo(f"{'applied' if migration.applied else 'PENDING'}  {migration.name}")


@db_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH while the app keeps running (SQLite's
    online backup API; pg_dump -Fc on PostgreSQL)."""
    try:
        written = backup.backup(current_app.config["DATABASE_URL"], path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {written} ({written.stat().st_size:,} bytes).")


@db_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database by the backup at PATH (pg_restore on PostgreSQL). Stop the app's
    workers first: requests served meanwhile would be lost."""
    if not yes:
        click.confirm(f"Replace everything in the database by the backup {path}?", abort=True)
    try:
        backup.restore(current_app.config["DATABASE_URL"], path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Database restored from {path}.")


@demo_cli.command("load")
@click.pass_context
def load_demo_command(ctx: click.Context) -> None:
    """Migrate and load everything a demonstration needs (safe to run again)."""
    ctx.invoke(migrate_command)
    ctx.invoke(load_places_command)
    ctx.invoke(load_catalogue_command)
    with db.database.connection_context():
        for line in load_demo_data():
            click.echo(line)


@click.command("housekeeping")
@click.option("--message-days", type=click.IntRange(min=1), default=None,
              help="Keep sent and failed text messages this many days (default: "
                   "MESSAGE_RETENTION_DAYS, 90).")
@with_appcontext
def housekeeping_command(message_days: int | None) -> None:
    """Delete everything kept only for a while, room by room (see docs/architecture.md):
    spent sign-in codes and ended sessions, drafts past DRAFT_RETENTION_DAYS with their photos,
    finished text messages. Run it daily (cron or a systemd timer); `make run` runs it when
    it starts."""
    if message_days is not None:
        current_app.config["MESSAGE_RETENTION_DAYS"] = message_days
    for chore in housekeeping.chores():
        click.echo(f"{chore.name}: {chore.run()}")


def _babel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)


@translate_cli.command("extract")
def extract_command() -> None:
    """Collect every marked string into translations/messages.pot."""
    _babel("extract", "-F", str(BABEL_CFG), "-k", "_l", "-o", str(POT_FILE), "--no-location",
           "--sort-output", str(PROJECT_ROOT / "webapp"), str(PROJECT_ROOT / "templates"))


@translate_cli.command("update")
@click.pass_context
def update_command(ctx: click.Context) -> None:
    """Extract, then merge new strings into every language's catalogue."""
    ctx.invoke(extract_command)
    _babel("update", "-i", str(POT_FILE), "-d", str(TRANSLATIONS), "--no-fuzzy-matching",
           "--ignore-obsolete", "--width", str(PO_WIDTH))


@translate_cli.command("compile")
def compile_command() -> None:
    """Compile the catalogues for the running app."""
    _babel("compile", "-d", str(TRANSLATIONS), "--statistics")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    for group in (db_cli, demo_cli, translate_cli, housekeeping_command):
        app.cli.add_command(group)
