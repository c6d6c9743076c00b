"""The news room: articles that staff publish for the province, some communes or one hamlet's
Party cell, and the pages where people read them (docs/news.md)."""

from __future__ import annotations

from flask import Flask

from webapp.news import staff_views, views  # noqa: F401 (importing them registers the routes)
from webapp.news.blueprint import news
from webapp.news.models import ArticlePhoto
from webapp.uploads import storage

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    app.register_blueprint(news)
    storage.register_owner(app, ArticlePhoto.names_in_use)  # articles' photos
