"""The site's own pages: home, settings (text size, contrast, language), help, phone numbers,
the health check."""

from __future__ import annotations

from flask import Flask

from webapp.site import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.site)
