"""Making "Nghe đọc": an article's or a procedure's text read by espeak-ng (Debian's package, the
`vi-vn-x-south` voice, the closest to Tây Ninh; no network) after `reading.for_speech`, then
encoded by ffmpeg (Debian's, maintained, with libopus, the WebM muxer and LAME in one tool; sox
has had no release since 2015 and writes no WebM) to Opus in WebM at 20 kbit/s and an MP3
fallback at 32 kbit/s for WebKit, mono.

Made once per version of a text: the worker (`flask news audio --loop`) finds the published
articles and the procedures whose current version has no row, claims each by inserting its row
(the unique key lets one worker win), makes the files in a temporary folder, stores them in the
uploads storage and marks the row done. A row left "making" by a killed worker is tried again
after STALE_AFTER; a failure is kept with its reason and not retried for that version.

Older versions go once the current one is ready (`remove_old_versions`, a housekeeping chore):
until then the page has nothing better to offer than nothing, so they wait; the text they read
is no longer the article's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import resource
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from peewee import JOIN, IntegrityError

from webapp.catalogue import Procedure
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.news import services
from webapp.news.formatting import plain_text
from webapp.news.models import (
    ARTICLE_AUDIO,
    DONE,
    FAILED,
    MAKING,
    PROCEDURE_AUDIO,
    Article,
    SpeechAudio,
)
from webapp.news.reading import for_speech
from webapp.uploads import random_storage_name, storage

log = logging.getLogger(__name__)
ESPEAK, FFMPEG = "espeak-ng", "ffmpeg"
VOICE = "vi-vn-x-south"
WORDS_PER_MINUTE = 150  # espeak-ng's -s: slower than its default 175, for older listeners
OPUS_BITRATE, MP3_BITRATE = "20k", "32k"
STALE_AFTER = dt.timedelta(minutes=10)
TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Spoken:
    webm: bytes
    mp3: bytes
    duration_ms: int
    cpu_ms: int


class SpeechFailed(RuntimeError):
    """espeak-ng or ffmpeg failed or is missing; the message says which."""


def article_text(article: Article) -> str:
    return f"{article.title}.\n{article.summary}\n{plain_text(article.body)}"


def procedure_text(procedure) -> str:
    text = procedure.content.get("vi", {})
    lines = [f"{text.get('title', '')}.", text.get("summary", "")]
    if text.get("time"):
        lines.append(f"Thời gian giải quyết: {text['time']}.")
    if text.get("fee"):
        lines.append(f"Lệ phí: {text['fee']}.")
    for heading, key in (("Ai được làm", "who"), ("Giấy tờ cần mang theo", "papers"),
                         ("Các bước", "steps")):
        if text.get(key):
            lines.append(f"{heading}:")
            lines.extend(f"{line}." for line in text[key])
    return "\n".join(line for line in lines if line)


def procedure_version(procedure) -> str:
    return hashlib.sha256(procedure_text(procedure).encode()).hexdigest()[:16]


def _run(command: list[str], **options) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS,
                              **options)
    except FileNotFoundError:
        raise SpeechFailed(f"{command[0]} is not installed (apt-get install espeak-ng ffmpeg)") \
            from None
    except subprocess.CalledProcessError as failed:
        raise SpeechFailed(f"{command[0]} failed: {failed.stderr[-300:]!r}") from None


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def speak(text: str) -> Spoken:
    """Read the text aloud and encode it twice; the CPU the engines used is measured."""
    before = _children_cpu()
    with tempfile.TemporaryDirectory(prefix="news-audio-") as folder:
        wav, webm, mp3 = (Path(folder) / name for name in ("s.wav", "s.webm", "s.mp3"))
        _run([ESPEAK, "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(wav), "--stdin"],
             input=for_speech(text).encode())
        with wave.open(str(wav)) as sound:
            duration_ms = round(sound.getnframes() * 1000 / sound.getframerate())
        quiet = [FFMPEG, "-nostdin", "-v", "error", "-y", "-i", str(wav), "-ac", "1"]
        _run([*quiet, "-c:a", "libopus", "-b:a", OPUS_BITRATE, "-application", "voip",
              str(webm)])
        _run([*quiet, "-c:a", "libmp3lame", "-b:a", MP3_BITRATE, str(mp3)])
        return Spoken(webm.read_bytes(), mp3.read_bytes(), duration_ms,
                      round((_children_cpu() - before) * 1000))


# --- What is missing, and the worker's round --------------------------------------------------


def missing_articles(limit: int) -> list[Article]:
    """Published articles whose current text has no audio row yet, newest first."""
    audio = SpeechAudio.alias()
    joined = ((audio.kind == ARTICLE_AUDIO) & (audio.ref == Article.id.cast("text"))
              & (audio.version == Article.text_version.cast("text")))
    return list(services.published().join(audio, JOIN.LEFT_OUTER, on=joined)
                .where(audio.id.is_null()).order_by(Article.published_at.desc()).limit(limit))


def missing_procedures(limit: int) -> list:
    have = {(ref, version) for ref, version in SpeechAudio.select(SpeechAudio.ref,
            SpeechAudio.version).where(SpeechAudio.kind == PROCEDURE_AUDIO).tuples()}
    missing = [p for p in Procedure.select().order_by(Procedure.code)
               if (p.code, procedure_version(p)) not in have]
    return missing[:limit]


def _claim(kind: str, ref: str, version: str, characters: int) -> SpeechAudio | None:
    """Insert the row that says this version is being made; None if someone else has it."""
    stale = SpeechAudio.get_or_none(SpeechAudio.kind == kind, SpeechAudio.ref == ref,
                                    SpeechAudio.version == version)
    if stale is not None:
        if stale.status != MAKING or stale.started_at > utcnow() - STALE_AFTER:
            return None
        taken = (SpeechAudio.update(started_at=utcnow())
                 .where(SpeechAudio.id == stale.id, SpeechAudio.started_at == stale.started_at)
                 .execute())
        return SpeechAudio.get_by_id(stale.id) if taken else None
    try:
        with database.atomic():
            return SpeechAudio.create(kind=kind, ref=ref, version=version, status=MAKING,
                                      characters=characters, started_at=utcnow())
    except IntegrityError:
        return None


def make(kind: str, ref: str, version: str, text: str) -> SpeechAudio | None:
    """Make and store the audio of one version of a text, unless it exists or is being made."""
    row = _claim(kind, ref, version, len(text))
    if row is None:
        return None
    try:
        spoken = speak(text)
    except (SpeechFailed, subprocess.TimeoutExpired, OSError) as failed:
        log.error("Audio of %s %s (version %s) failed: %s", kind, ref, version, failed)
        row.status, row.error = FAILED, str(failed)[:1000]
        row.save()
        return row
    row.webm_name, row.mp3_name = random_storage_name("webm"), random_storage_name("mp3")
    storage.save(row.webm_name, spoken.webm)
    storage.save(row.mp3_name, spoken.mp3)
    row.status, row.duration_ms, row.cpu_ms, row.made_at = (DONE, spoken.duration_ms,
                                                           spoken.cpu_ms, utcnow())
    row.save()
    return row


def make_missing(limit: int = 20) -> int:
    """One round of the worker: make what is missing (articles first); the number made."""
    made = 0
    for article in missing_articles(limit):
        made += make(ARTICLE_AUDIO, str(article.id), str(article.text_version),
                     article_text(article)) is not None
    if current_app.config.get("NEWS_PROCEDURE_AUDIO", True):
        for procedure in missing_procedures(max(0, limit - made)):
            made += make(PROCEDURE_AUDIO, procedure.code, procedure_version(procedure),
                         procedure_text(procedure)) is not None
    return made


# --- Housekeeping -------------------------------------------------------------------------------


def _current_versions() -> dict[tuple[str, str], str]:
    """(kind, ref) -> the version of its text today, for every article and procedure."""
    current = {(ARTICLE_AUDIO, str(ref)): str(version) for ref, version in
               Article.select(Article.id, Article.text_version).tuples()}
    current.update({(PROCEDURE_AUDIO, p.code): procedure_version(p) for p in Procedure.select()})
    return current


def _outdated(current: dict[tuple[str, str], str]) -> list[SpeechAudio]:
    """Rows of an older version whose text's current version is ready, and rows of a text that
    is gone; never a row a worker is making now (it would store files no row names)."""
    rows = list(SpeechAudio.select().where(SpeechAudio.status != MAKING))
    ready = {(row.kind, row.ref) for row in rows
             if row.status == DONE and current.get((row.kind, row.ref)) == row.version}
    return [row for row in rows
            if current.get((row.kind, row.ref)) != row.version
            and ((row.kind, row.ref) in ready or (row.kind, row.ref) not in current)]


def remove_old_versions() -> str:
    """Delete the audio of texts' older versions (rows, then their files), keeping the current."""
    with database.connection_context():
        old = _outdated(_current_versions())
        if old:
            SpeechAudio.delete().where(SpeechAudio.id.in_([row.id for row in old])).execute()
    names = [name for row in old for name in (row.webm_name, row.mp3_name) if name]
    for name in names:
        storage.delete(name)
    return f"Deleted {len(old)} audio row(s) of older versions of texts and {len(names)} file(s)."
