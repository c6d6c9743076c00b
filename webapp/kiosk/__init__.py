"""Kiosks at one-stop shops: a device an administrator marked (a signed cookie, revocable),
on which nothing of a visitor persists: "Bắt đầu lại" on every page, an idle countdown (a
refresh without JavaScript), her session, unsent drafts, photos and cookies wiped, no lasting
sign-in and no Zalo login (`core.kiosk` tells the rooms below), larger targets and receipts
printed on the kiosk's paper."""

from __future__ import annotations

from flask import Flask

from webapp.core.kiosk import current_kiosk, on_kiosk
from webapp.kiosk import devices, views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.kiosk)
    app.before_request(devices.recognise)
    app.after_request(views.no_store_on_kiosks)
    app.jinja_env.globals.update(on_kiosk=on_kiosk, current_kiosk=current_kiosk,
                                 kiosk_timing=views.idle_timing)
