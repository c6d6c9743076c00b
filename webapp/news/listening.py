"""Serving "Nghe đọc": the files of a spoken text, and the player's partial for a page.

Files are public (the texts are), immutable per row (a new version of the text is a new row), so
browsers may keep them. They are streamed from the uploads storage (the folder or the bucket) and
Range requests are answered, which Safari needs to play audio.
"""

from __future__ import annotations

from flask import abort, render_template, request
from markupsafe import Markup

from webapp.news.audio import procedure_version
from webapp.news.blueprint import news
from webapp.news.models import ARTICLE_AUDIO, DONE, PROCEDURE_AUDIO, Article, SpeechAudio
from webapp.uploads.serving import streamed

MEDIA_TYPES = {"webm": "audio/webm", "mp3": "audio/mpeg"}
ONE_MONTH = 30 * 24 * 3600


def player(audio: SpeechAudio | None) -> Markup:
    """The "Nghe đọc" block: a plain <audio controls> with two sources, and its length."""
    return Markup(render_template("news/_listen.html", audio=audio))


def procedure_player(procedure) -> Markup:
    """For the catalogue's procedure page (registered as a template global)."""
    return player(SpeechAudio.ready(PROCEDURE_AUDIO, procedure.code, procedure_version(procedure)))


def article_audio(article: Article) -> SpeechAudio | None:
    return SpeechAudio.ready(ARTICLE_AUDIO, article.id, article.text_version)


def _readable(audio: SpeechAudio) -> bool:
    if audio.kind != ARTICLE_AUDIO:
        return True
    article = Article.get_or_none(Article.id == int(audio.ref))
    return article is not None and article.is_published()


@news.get("/nghe-doc/<int:audio_id>.<kind>")
def audio_file(audio_id: int, kind: str):
    """The audio of a published article or a procedure (kind: webm or mp3)."""
    audio = SpeechAudio.get_or_none(SpeechAudio.id == audio_id, SpeechAudio.status == DONE)
    if kind not in MEDIA_TYPES or audio is None or not _readable(audio):
        abort(404)
    response = streamed(audio.webm_name if kind == "webm" else audio.mp3_name,
                        MEDIA_TYPES[kind])
    # Set before the conditional check, so a browser's If-None-Match gets a 304.
    response.set_etag(f"{audio.id}-{kind}")
    response = response.make_conditional(request, accept_ranges=True,
                                         complete_length=response.content_length)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = f"public, max-age={ONE_MONTH}, immutable"
    return response
