"""The citizen-services web app. `create_app()` reads like a table of contents."""

from __future__ import annotations

from flask import Flask

from webapp import (
    accounts,
    assisted,
    audit,
    backoffice,
    bookings,
    catalogue,
    cli,
    config,
    consultations,
    dossiers,
    kiosk,
    mandates,
    news,
    notifications,
    places,
    privacy,
    public_figures,
    reports,
    site,
    tracking,
    uploads,
)
from webapp.core import (
    assets,
    compression,
    conditional,
    db,
    errors,
    i18n,
    metrics,
    page_cache,
    ratelimit,
    request_log,
    security,
    templating,
)

# Shared plumbing, in the order its request hooks must run.
CORE = (request_log, metrics, db, i18n, security, ratelimit, assets, templating, errors,
        compression, conditional, page_cache)
# The rooms, from the bottom layer up (docs/architecture.md); each registers itself. The
# integrations room (HTTP clients) has nothing to register: the rooms that use it build them.
ROOMS = (audit, places, notifications, uploads, accounts, kiosk, tracking, privacy, catalogue,
         mandates, dossiers, consultations, reports, news, bookings, backoffice, public_figures,
         assisted, site, cli)


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: configuration, shared plumbing, then every room."""
    app = Flask(__name__, static_folder=None, template_folder="../templates")
    app.config.update(config.from_environment(app.instance_path))
    app.config.update(overrides or {})
    _refuse_insecure(app)
    for part in (*CORE, *ROOMS):
        part.init_app(app)
    return app


class InsecureConfiguration(RuntimeError):
    """APP_ENV=production with settings that would expose citizens; the message says which."""


def _refuse_insecure(app: Flask) -> None:
    problems = config.insecure_settings(app.config)
    if problems and not app.testing:
        raise InsecureConfiguration("Refusing to start in production: " + "; ".join(problems))
