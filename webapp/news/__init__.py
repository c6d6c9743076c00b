"""The news room: articles that staff publish for the province, some communes or one hamlet's
Party cell, and the pages where people read them (docs/news.md)."""

from __future__ import annotations

from flask import Flask

from webapp.core import housekeeping
from webapp.news import audio, feeds, listening, staff_views, views  # noqa: F401 (routes)
from webapp.news.blueprint import news
from webapp.news.cli import news_cli
from webapp.news.demo import load_demo_news
from webapp.news.models import ArticlePhoto, SpeechAudio
from webapp.uploads import storage

__all__ = ["init_app", "load_demo_news"]


def init_app(app: Flask) -> None:
    app.register_blueprint(news)
    app.cli.add_command(news_cli)
    storage.register_owner(app, ArticlePhoto.names_in_use)  # articles' photos
    storage.register_owner(app, SpeechAudio.names_in_use)  # "Nghe đọc" audio
    housekeeping.register(app, "audio of older versions", audio.remove_old_versions)
    # The catalogue's procedure page shows "Nghe đọc" when this room is there (it sits above).
    app.jinja_env.globals["procedure_player"] = listening.procedure_player
