"""Old "Nghe đọc" versions go: once the current version's audio is ready, the daily chore
deletes the rows and files of the older versions of the same text (and of texts that are
gone), and keeps the current one; while the current one is being made or failed, the older
one stays. Rows and files made here directly: no speech engine needed."""

from __future__ import annotations

from tests.news.helpers import make_article
from webapp.core import housekeeping
from webapp.core.db import database
from webapp.news import audio
from webapp.news.models import ARTICLE_AUDIO, DONE, FAILED, MAKING, Article, SpeechAudio
from webapp.uploads import random_storage_name, storage


def _audio(article_id, version, status=DONE) -> SpeechAudio:
    """A row as the worker leaves it, with its two files in the storage when done."""
    row = SpeechAudio.create(kind=ARTICLE_AUDIO, ref=str(article_id), version=str(version),
                             status=status)
    if status == DONE:
        row.webm_name, row.mp3_name = random_storage_name("webm"), random_storage_name("mp3")
        storage.save(row.webm_name, b"webm of version %d" % version)
        storage.save(row.mp3_name, b"mp3 of version %d" % version)
        row.save()
    return row


def _corrected(article_id: int, times: int = 1) -> None:
    Article.update(text_version=Article.text_version + times).where(
        Article.id == article_id).execute()


def _there(row: SpeechAudio) -> bool:
    kept = SpeechAudio.get_or_none(SpeechAudio.id == row.id) is not None
    files = [storage.read(name) is not None for name in (row.webm_name, row.mp3_name)]
    assert files == [kept, kept], "a row and its files go together"
    return kept


def test_the_old_versions_audio_goes_once_the_current_one_is_ready(app, in_app):
    article = make_article(app, title="Lịch tiêm ngừa (đã sửa)")
    old = _audio(article.id, 1)
    _corrected(article.id)
    current = _audio(article.id, 2)
    with app.app_context():
        said = audio.remove_old_versions()
    assert not _there(old) and _there(current)
    assert "audio row(s) of older versions" in said
    with app.app_context():
        audio.remove_old_versions()  # again: nothing more goes
    assert _there(current)


def test_the_old_version_stays_while_the_new_one_is_not_ready(app, in_app):
    making = make_article(app, title="Bản sửa đang đọc")
    failing = make_article(app, title="Bản sửa đọc lỗi")
    old_of_making, old_of_failing = _audio(making.id, 1), _audio(failing.id, 1)
    _corrected(making.id)
    _corrected(failing.id)
    new_being_made, new_failed = _audio(making.id, 2, MAKING), _audio(failing.id, 2, FAILED)
    with app.app_context():
        audio.remove_old_versions()
    assert _there(old_of_making) and _there(old_of_failing)
    assert SpeechAudio.get_by_id(new_being_made.id).status == MAKING
    assert SpeechAudio.get_by_id(new_failed.id).status == FAILED


def test_only_the_current_of_several_versions_is_kept_and_the_chore_is_registered(app, in_app):
    article = make_article(app, title="Ba lần sửa")
    first, second = _audio(article.id, 1), _audio(article.id, 2)
    _corrected(article.id, times=2)
    third = _audio(article.id, 3)
    with app.app_context():
        chore = next(c for c in housekeeping.chores() if c.name == "audio of older versions")
        chore.run()
    assert not _there(first) and not _there(second) and _there(third)


def test_the_audio_of_an_article_deleted_goes(app, in_app):
    article = make_article(app, title="Bài sẽ xóa")
    row = _audio(article.id, 1)
    with database.atomic():
        Article.delete().where(Article.id == article.id).execute()
    with app.app_context():
        audio.remove_old_versions()
    assert not _there(row)
