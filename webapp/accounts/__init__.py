"""Accounts: citizens sign in without passwords, staff with a password and TOTP; sessions,
roles and commune scoping live here (see `auth.py`)."""

from __future__ import annotations

from flask import Flask, g


def _no_store_when_signed_in(response):
    """Pages for a signed-in person are theirs alone: never kept by a cache or the back button
    of the next person at a kiosk."""
    if g.get("sign_in_session") is not None:
        response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Cookie")
    return response


def _masked_phone(phone: str | None) -> str:
    from webapp.core.phones import InvalidPhone, mask_phone

    try:
        return mask_phone(phone or "")
    except InvalidPhone:
        return "***"


def init_app(app: Flask) -> None:
    """Blueprints, template globals and the `flask accounts` commands."""
    from webapp.accounts import auth, cli, zalo
    from webapp.accounts.staff_views import staff
    from webapp.accounts.views import accounts

    app.register_blueprint(accounts)
    app.register_blueprint(staff)
    app.after_request(_no_store_when_signed_in)
    app.jinja_env.globals.update(current_citizen=auth.current_citizen,
                                 current_staff=auth.current_staff,
                                 zalo_sign_in_enabled=zalo.configured)
    app.jinja_env.filters["masked_phone"] = _masked_phone
    app.cli.add_command(cli.accounts_cli)
