"""The citizen-services web app. `create_app()` reads like a table of contents."""

from __future__ import annotations

from flask import Flask

from webapp import config


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: configuration, shared plumbing, then one blueprint per room."""
    app = Flask(__name__, static_folder=None, template_folder="../templates")
    app.config.update(config.from_environment(app.instance_path))
    app.config.update(overrides or {})
    init_core(app)
    register_rooms(app)
    return app


def init_core(app: Flask) -> None:
    """Shared plumbing: database, languages, security, assets, templates, logs, errors."""
    from webapp import audit
    from webapp.core import (
        assets,
        compression,
        db,
        errors,
        i18n,
        ratelimit,
        request_log,
        security,
        templating,
    )
    from webapp.places import province

    request_log.init_app(app)
    audit.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    ratelimit.init_app(app)
    assets.init_app(app)
    templating.init_app(app)
    province.init_app(app)
    errors.init_app(app)
    compression.init_app(app)


def register_rooms(app: Flask) -> None:
    """One blueprint per domain; each room owns its views, models and templates folder."""
    from webapp import accounts, cli, notifications
    from webapp.backoffice.views import backoffice
    from webapp.catalogue.views import catalogue
    from webapp.dossiers import views as dossiers
    from webapp.site.views import site

    app.register_blueprint(site)
    app.register_blueprint(catalogue)
    accounts.init_app(app)
    dossiers.init_app(app)
    app.register_blueprint(backoffice)
    notifications.init_app(app)
    cli.init_app(app)
