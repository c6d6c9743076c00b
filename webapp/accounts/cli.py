"""`flask accounts create-admin`: the first administrator, who then invites everyone else."""

from __future__ import annotations

import click
import segno
from flask.cli import AppGroup

from webapp.accounts import staff
from webapp.accounts.forms import MIN_PASSWORD
from webapp.accounts.models import ADMIN, StaffUser, purge_expired
from webapp.audit import log as audit
from webapp.core.db import database

accounts_cli = AppGroup("accounts", help="Staff accounts.")


@accounts_cli.command("create-admin")
@click.argument("username")
@click.option("--full-name", prompt="Full name", help="Shown to other staff.")
@click.option("--phone", default="", help="Mobile number (optional).")
@click.password_option(help="Asked for (twice) when not given.")
def create_admin_command(username: str, full_name: str, phone: str, password: str) -> None:
    """Create a province administrator and print the TOTP secret to set up once."""
    username = username.strip().lower()
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"The password needs at least {MIN_PASSWORD} characters.")
    secret = staff.new_totp_secret()
    with database.connection_context():
        if StaffUser.by_username(username) is not None:
            raise click.ClickException(f"The username {username!r} is taken.")
        account = staff.create_staff(username=username, full_name=full_name, role=ADMIN,
                                     phone=phone, password_hash=staff.hash_password(password),
                                     totp_secret=secret)
        audit.record("staff.created_by_command", object_type="staff_user",
                     object_id=account.id, detail={"role": ADMIN})
    uri = staff.provisioning_uri(secret, username)
    click.echo(f"Created administrator {username!r}.")
    click.echo("Add this account to an authenticator app now (it is not shown again):")
    segno.make(uri, error="m").terminal(compact=True)
    click.echo(f"  secret: {secret}")
    click.echo(f"  link:   {uri}")


@accounts_cli.command("purge")
def purge_command() -> None:
    """Delete spent one-time codes and ended sessions (run daily, e.g. from cron)."""
    click.echo(purge_sign_ins())


def purge_sign_ins() -> str:
    """The daily chore: spent codes and ended sessions; what was deleted, in a sentence."""
    with database.connection_context():
        codes, sessions = purge_expired()
    return f"Deleted {codes} one-time code(s) and {sessions} ended session(s)."
