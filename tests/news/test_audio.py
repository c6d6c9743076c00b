""""Nghe đọc": the worker reads each version of a published text once; what is served is real
audio (ffprobe decodes it) whose length matches the text's; procedures get it too."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.accounts.helpers import sign_in_staff
from tests.news.helpers import make_article, post_article
from webapp.core.db import database
from webapp.news import audio
from webapp.news.models import ARTICLE_AUDIO, DONE, PROCEDURE_AUDIO, PROVINCE, SpeechAudio

pytestmark = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("ffmpeg") and shutil.which("ffprobe")),
    reason="'Nghe đọc' needs Debian's espeak-ng and ffmpeg (make speech installs them)")

BODY = ("UBND xã Thái Bình thông báo: từ ngày 24/12/2026, lúc 7h30, trạm y tế tiêm ngừa cúm "
        "miễn phí cho người từ 60 tuổi. Bà con mang CCCD và thẻ BHYT. Lệ phí 0 đồng. "
        "Cần hỏi thêm, gọi 0276 382 2222.")


@pytest.fixture
def app(app):
    """Rounds read this test's articles only: the procedures, unless a test asks, and the
    articles other tests left in the session's database are set aside (as failed rows)."""
    app.config["NEWS_PROCEDURE_AUDIO"] = False
    with app.app_context(), database.connection_context():
        others = [{"kind": ARTICLE_AUDIO, "ref": str(a.id), "version": str(a.text_version),
                   "status": "failed", "error": "another test's", "started_at": a.created_at}
                  for a in audio.missing_articles(10_000)]
        if others:
            SpeechAudio.insert_many(others).execute()
    return app


def _round(app) -> int:
    with app.app_context(), database.connection_context():
        return audio.make_missing(10)


def _rows(app, kind=ARTICLE_AUDIO, ref=None):
    with app.app_context(), database.connection_context():
        query = SpeechAudio.select().where(SpeechAudio.kind == kind)
        if ref is not None:
            query = query.where(SpeechAudio.ref == str(ref))
        return list(query.order_by(SpeechAudio.id))


def _decoded(data: bytes, tmp_path, name: str) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                            "format=duration,format_name:stream=codec_name,channels",
                            "-of", "json", str(path)], capture_output=True, check=True)
    return json.loads(probe.stdout)


def test_a_published_article_is_read_once_and_served_as_real_audio(app, client, tmp_path):
    article = make_article(app, title="Tiêm ngừa cúm miễn phí", audience=PROVINCE, body=BODY)
    draft = make_article(app, title="Bản nháp", published_at=None)
    assert _round(app) == 1 and _round(app) == 0  # once; the draft waits
    (row,) = _rows(app, ref=article.id)
    assert row.status == DONE and row.version == "1" and not _rows(app, ref=draft.id)

    page = client.get(f"/tin-tuc/{article.slug}").get_data(as_text=True)
    assert "<audio controls" in page and 'type=\'audio/webm; codecs="opus"\'' in page
    assert "Thời lượng:" in page
    webm = client.get(f"/nghe-doc/{row.id}.webm")
    mp3 = client.get(f"/nghe-doc/{row.id}.mp3")
    assert webm.mimetype == "audio/webm" and mp3.mimetype == "audio/mpeg"
    opus = _decoded(webm.data, tmp_path, "a.webm")
    lame = _decoded(mp3.data, tmp_path, "a.mp3")
    assert opus["streams"][0]["codec_name"] == "opus" and opus["streams"][0]["channels"] == 1
    assert lame["streams"][0]["codec_name"] == "mp3"
    # About 60 words read at 150 a minute, with pauses: between 15 s and a minute.
    seconds = float(opus["format"]["duration"])
    assert 15 < seconds < 60, seconds
    assert abs(float(lame["format"]["duration"]) - seconds) < 1.5
    assert abs(row.duration_ms / 1000 - seconds) < 1.5
    # Small for slow phones: about 20 kbit/s.
    assert len(webm.data) * 8 / seconds < 32_000
    # Safari asks for ranges.
    partial = client.get(f"/nghe-doc/{row.id}.mp3", headers={"Range": "bytes=0-99"})
    assert partial.status_code == 206 and len(partial.data) == 100


def test_a_correction_of_the_words_is_read_again_a_change_of_topic_is_not(app, client):
    sign_in_staff(client, role="admin")
    post_article(client, audience=PROVINCE, body="Họp lúc 8h.")
    with app.app_context(), database.connection_context():
        from webapp.news.models import Article
        article = Article.select().order_by(Article.id.desc()).first()
    assert _round(app) == 1
    post_article(client, f"/can-bo/tin-tuc/{article.id}", audience=PROVINCE, body="Họp lúc 8h.",
                 topic="policy")
    assert _round(app) == 0
    post_article(client, f"/can-bo/tin-tuc/{article.id}", audience=PROVINCE, body="Họp lúc 9h.")
    assert _round(app) == 1
    assert [row.version for row in _rows(app, ref=article.id)] == ["1", "2"]
    page = client.get(f"/tin-tuc/{article.slug}").get_data(as_text=True)
    newest = _rows(app, ref=article.id)[-1]
    assert f"/nghe-doc/{newest.id}.webm" in page


def test_two_workers_never_make_the_same_version_twice(app):
    article = make_article(app, audience=PROVINCE, body="Một câu ngắn.")
    with app.app_context(), database.connection_context():
        first = audio._claim(ARTICLE_AUDIO, str(article.id), "1", 10)
        second = audio._claim(ARTICLE_AUDIO, str(article.id), "1", 10)
    assert first is not None and second is None


def test_a_scheduled_article_s_audio_is_not_served_before_its_time(app, client):
    import datetime as dt

    from webapp.core.clock import utcnow
    later = make_article(app, audience=PROVINCE, published_at=utcnow() + dt.timedelta(days=1))
    with app.app_context(), database.connection_context():
        row = audio.make(ARTICLE_AUDIO, str(later.id), "1", "Sắp đăng.")
    assert client.get(f"/nghe-doc/{row.id}.webm").status_code == 404


def test_a_procedure_page_gets_nghe_doc(app, client, url):
    from webapp.catalogue import Procedure

    with app.app_context(), database.connection_context():
        procedure = Procedure.select().order_by(Procedure.code).first()
        row = audio.make(PROCEDURE_AUDIO, procedure.code, audio.procedure_version(procedure),
                         audio.procedure_text(procedure))
        slug = procedure.slug
    assert row.status == DONE and row.duration_ms > 5000
    page = client.get(url("catalogue.detail", slug=slug)).get_data(as_text=True)
    assert f"/nghe-doc/{row.id}.mp3" in page
    assert client.get(f"/nghe-doc/{row.id}.mp3").status_code == 200


def test_a_missing_engine_is_a_failure_kept_with_its_reason(app, monkeypatch):
    monkeypatch.setattr(audio, "ESPEAK", "espeak-ng-not-installed")
    article = make_article(app, audience=PROVINCE)
    with app.app_context(), database.connection_context():
        row = audio.make(ARTICLE_AUDIO, str(article.id), "1", "Chào.")
    assert row.status == "failed" and "espeak-ng" in row.error
