"""Commands for operators: `flask --app webapp <group> <command>`.

    flask db migrate            apply pending schema migrations
    flask db status             list migrations and whether each is applied
    flask catalogue load        load the procedure catalogue from its files
    flask places load           load the province's communes
    flask demo load             all of the above plus demonstration data
    flask housekeeping          daily: delete what is kept only for a while (see below)
    flask translate extract|update|compile
"""

from __future__ import annotations

import subprocess
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from webapp.config import PROJECT_ROOT
from webapp.core import db

db_cli = AppGroup("db", help="Database schema.")
catalogue_cli = AppGroup("catalogue", help="The procedure catalogue.")
places_cli = AppGroup("places", help="Communes and wards of the province.")
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
    from playhouse.migrations import Runner

    with db.database.connection_context():
        for migration in Runner(db.database.obj, str(db.MIGRATIONS_DIR)).status():
            click.echo(f"{'applied' if migration.applied else 'PENDING'}  {migration.name}")


@catalogue_cli.command("load")
def load_catalogue_command() -> None:
    """Load the procedure catalogue from webapp/catalogue/procedures."""
    from webapp.catalogue.loader import load_catalogue

    with db.database.connection_context():
        click.echo(f"Loaded {load_catalogue()} procedures.")


@places_cli.command("load")
def load_places_command() -> None:
    """Load the communes and wards of the configured province."""
    from webapp.places.models import sync_communes

    with db.database.connection_context():
        count = sync_communes(current_app.extensions["province"].code)
    click.echo(f"Loaded {count} communes and wards.")


@demo_cli.command("load")
@click.pass_context
def load_demo_command(ctx: click.Context) -> None:
    """Migrate and load everything a demonstration needs (safe to run again)."""
    ctx.invoke(migrate_command)
    ctx.invoke(load_places_command)
    ctx.invoke(load_catalogue_command)
    from webapp.demo import load_demo_data

    with db.database.connection_context():
        for line in load_demo_data():
            click.echo(line)


@click.command("housekeeping")
@click.option("--message-days", default=90, show_default=True, type=click.IntRange(min=1),
              help="Keep sent and failed text messages this many days.")
@click.pass_context
def housekeeping_command(ctx: click.Context, message_days: int) -> None:
    """Delete everything kept only for a while: spent sign-in codes and ended sessions, drafts
    past DRAFT_RETENTION_DAYS with their photos, finished text messages, stray upload files.
    Run it daily (cron or a systemd timer); `make run` runs it when it starts."""
    from webapp.accounts.cli import purge_command as purge_sign_ins
    from webapp.dossiers.views import purge_drafts_command as purge_drafts
    from webapp.notifications.cli import purge_command as purge_messages
    from webapp.uploads.cli import purge_stray_command as purge_stray_uploads

    ctx.invoke(purge_sign_ins)
    ctx.invoke(purge_drafts)
    ctx.invoke(purge_messages, days=message_days)
    ctx.invoke(purge_stray_uploads)


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
    from webapp.uploads.cli import uploads_cli

    for group in (db_cli, catalogue_cli, places_cli, demo_cli, translate_cli, uploads_cli,
                  housekeeping_command):
        app.cli.add_command(group)
