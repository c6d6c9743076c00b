"""The news list and an article's page are kept for anonymous readers (core/page_cache.py) and
never shown stale: a new article, an edit, a scheduled article whose time has come and an
article's audio each show on the next request."""

from __future__ import annotations

import datetime as dt

from tests.news.helpers import make_article
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.news import services
from webapp.news.models import ARTICLE_AUDIO, DONE, Article, SpeechAudio


def _text(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_the_list_is_kept_and_a_new_article_shows_on_the_next_request(app, renders):
    make_article(app, title="Lịch tiêm ngừa tháng Mười Hai")
    reader = app.test_client()
    assert "Lịch tiêm ngừa tháng Mười Hai" in _text(reader, "/tin-tuc")
    rendered = len(renders)
    assert "Lịch tiêm ngừa tháng Mười Hai" in _text(app.test_client(), "/tin-tuc")
    assert len(renders) == rendered  # the second reader got the kept page

    make_article(app, title="Họp tổ dân phố tối thứ Sáu")

    assert "Họp tổ dân phố tối thứ Sáu" in _text(reader, "/tin-tuc")


def test_a_scheduled_article_shows_once_its_time_comes(app, monkeypatch):
    make_article(app, title="Tin đã đăng trước")
    later = utcnow() + dt.timedelta(hours=2)
    make_article(app, title="Tin hẹn giờ đăng", published_at=later - dt.timedelta(hours=1))
    reader = app.test_client()
    assert "Tin hẹn giờ đăng" not in _text(reader, "/tin-tuc")
    assert "Tin hẹn giờ đăng" not in _text(reader, "/tin-tuc")  # from the cache

    monkeypatch.setattr(services, "utcnow", lambda: later)

    assert "Tin hẹn giờ đăng" in _text(reader, "/tin-tuc")


def test_an_edited_article_and_its_audio_show_on_the_next_request(app, renders):
    article = make_article(app, title="Cấp nước sạch cho ấp Bình Phong")
    path = f"/tin-tuc/{article.slug}"
    reader = app.test_client()
    assert "<audio" not in _text(reader, path)
    rendered = len(renders)
    _text(reader, path)
    assert len(renders) == rendered

    with app.app_context(), database.connection_context():
        SpeechAudio.create(kind=ARTICLE_AUDIO, ref=str(article.id),
                           version=str(article.text_version), status=DONE,
                           webm_name="x.webm", mp3_name="x.mp3", duration_ms=1000,
                           made_at=utcnow())
    assert "<audio" in _text(reader, path)

    with app.app_context(), database.connection_context():
        Article.update(title="Cấp nước sạch: lịch mới", updated_at=utcnow()).where(
            Article.id == article.id).execute()
    assert "Cấp nước sạch: lịch mới" in _text(reader, path)
