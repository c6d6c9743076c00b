"""Accounts: citizens sign in without passwords, staff with a password and TOTP; sessions,
roles and commune scoping live here (see `auth.py`)."""

from __future__ import annotations

from flask import Flask, g

from webapp.accounts import auth, cli, personal_data, staff_views, views, zalo
from webapp.accounts.models import StaffUser
from webapp.core import actors, housekeeping
from webapp.core import personal_data as held
from webapp.core.phones import InvalidPhone, mask_phone


def _no_store_when_signed_in(response):
    """Pages for a signed-in person are theirs alone: never kept by a cache or the back button
    of the next person at a kiosk."""
    if g.get("sign_in_session") is not None:
        response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Cookie")
    return response


def _masked_phone(phone: str | None) -> str:
    try:
        return mask_phone(phone or "")
    except InvalidPhone:
        return "***"


def _signed_in_actor() -> actors.Actor | None:
    person = auth.current_staff() or auth.current_citizen()
    return person.as_actor() if person is not None else None


def _staff_names(ids) -> dict[int, str]:
    return dict(StaffUser.select(StaffUser.id, StaffUser.username)
                .where(StaffUser.id.in_(sorted(ids))).tuples())


def init_app(app: Flask) -> None:
    """Blueprints, template globals, the `flask accounts` commands, and who is signed in for
    the rooms below (core.actors)."""
    app.register_blueprint(views.accounts)
    app.register_blueprint(staff_views.staff)
    app.after_request(_no_store_when_signed_in)
    app.jinja_env.globals.update(current_citizen=auth.current_citizen,
                                 current_staff=auth.current_staff,
                                 zalo_sign_in_enabled=zalo.configured)
    app.jinja_env.filters["masked_phone"] = _masked_phone
    app.cli.add_command(cli.accounts_cli)
    housekeeping.register(app, "sign-in codes and sessions", cli.purge_sign_ins)
    held.register(app, personal_data.ACCOUNTS)
    actors.provide(app, actors.Provider(current=_signed_in_actor,
                                        staff_guard=lambda roles: auth.staff_required(*roles),
                                        staff_names=_staff_names))
