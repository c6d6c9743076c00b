"""Saving articles and deciding who reads what.

Audience rule (docs/news.md): an article for the whole province is listed for everyone; one for
some communes, or for one hamlet's Party cell (a hamlet of one commune), is listed only for
readers of those communes (a signed-in citizen's commune, or the commune a visitor chose). Its
page is public by its link, because a Party-cell secretary forwards the link to his cell's Zalo
group, whose members may not have accounts. Drafts and scheduled articles are reachable by
nobody but staff until their time.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from peewee import JOIN, fn

from webapp.accounts.auth import staff_commune_ids
from webapp.accounts.models import ADMIN, StaffUser
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.core.text import fold_vietnamese
from webapp.news.index import index_article
from webapp.news.models import (
    ARTICLE_AUDIO,
    DONE,
    PROVINCE,
    Article,
    ArticleCommune,
    ArticlePhoto,
    SpeechAudio,
)

PAGE_SIZE = 20
TEXT_FIELDS = ("title", "summary", "body")
SHOWN_FIELDS = (*TEXT_FIELDS, "topic", "audience", "hamlet", "photo_id", "photo_alt")
DRAFT, PUBLISH = "draft", "publish"


@dataclass
class ArticleInput:
    """What the staff form gives, cleaned."""

    title: str
    summary: str
    body: str  # sanitised
    topic: str
    audience: str
    commune_ids: set[int]
    hamlet: str = ""
    photo: ArticlePhoto | None = None
    photo_alt: str = ""
    publish_at: dt.datetime | None = None  # UTC; None: now


def make_slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", fold_vietnamese(title)).strip("-")[:70].rstrip("-")
    return f"{words or 'tin'}-{secrets.token_hex(3)}"


def _apply(article: Article, given: ArticleInput) -> bool:
    """Copy the input onto the row; True when anything a reader sees changed."""
    before = {name: getattr(article, name, None) for name in SHOWN_FIELDS}
    text_before = tuple(before[name] for name in TEXT_FIELDS)
    article.title, article.summary, article.body = given.title, given.summary, given.body
    article.topic, article.audience = given.topic, given.audience
    article.hamlet = given.hamlet if given.audience == "hamlet" else ""
    article.photo, article.photo_alt = given.photo, given.photo_alt if given.photo else ""
    if article.id and tuple(getattr(article, name) for name in TEXT_FIELDS) != text_before:
        article.text_version += 1
    return any(getattr(article, name, None) != before[name] for name in SHOWN_FIELDS)


def _communes_changed(article: Article, commune_ids: set[int]) -> bool:
    current = article.commune_ids()
    if current == commune_ids:
        return False
    ArticleCommune.delete().where(ArticleCommune.article == article).execute()
    ArticleCommune.insert_many([{"article": article.id, "commune": commune_id}
                                for commune_id in sorted(commune_ids)]).execute()
    return True


def save_article(article: Article | None, given: ArticleInput, staff: StaffUser, action: str,
                 form_key: str = "") -> tuple[Article, str]:
    """Create or change an article; return it and what happened: "created", "published",
    "scheduled", "corrected", "saved" or "repeated" (the same new-article form sent twice)."""
    now = utcnow()
    with database.atomic():
        if article is None:
            earlier = Article.get_or_none(Article.form_key == form_key)
            if earlier is not None:
                return earlier, "repeated"
            article = Article(slug=make_slug(given.title), form_key=form_key, created_by=staff,
                              created_at=now)
        was_published = article.id is not None and article.is_published(now)
        changed = _apply(article, given)
        if not was_published:
            article.published_at = (given.publish_at or now) if action == PUBLISH else None
        article.updated_at, article.updated_by = now, staff
        article.save()
        changed = _communes_changed(article, given.commune_ids if given.audience != PROVINCE
                                    else set()) or changed
        if was_published and changed:
            article.corrected_at = now
            article.save()
        index_article(article)
    return article, _outcome(article, was_published, changed, now)


def _outcome(article: Article, was_published: bool, changed: bool, now: dt.datetime) -> str:
    if was_published:
        return "corrected" if changed else "saved"
    if article.published_at is None:
        return "saved"
    return "scheduled" if article.is_scheduled(now) else "published"


# --- Who reads what ---------------------------------------------------------------------------


def published(now: dt.datetime | None = None):
    return Article.select().where(Article.published_at <= (now or utcnow()))


def news_stamp() -> tuple:
    """Changes whenever a public news page could (the pages kept by core/page_cache.py
    compare it): an article published, unpublished or deleted, and a scheduled one once its
    time comes (the count is of those published by now); an edit (updated_at, which an edit of
    its communes or photo sets too); its audio made or removed."""
    articles = published().select(fn.COUNT(Article.id), fn.MAX(Article.updated_at)).tuples()
    audio = (SpeechAudio.select(fn.COUNT(SpeechAudio.id), fn.MAX(SpeechAudio.made_at))
             .where((SpeechAudio.kind == ARTICLE_AUDIO) & (SpeechAudio.status == DONE)).tuples())
    return articles.get() + audio.get() + (ArticleCommune.select().count(),)


def for_reader(commune_id: int | None):
    """The condition that lists an article for a reader of this commune (None: unknown)."""
    condition = Article.audience == PROVINCE
    if commune_id is not None:
        theirs = ArticleCommune.select(ArticleCommune.article).where(
            ArticleCommune.commune == commune_id)
        condition |= Article.id.in_(theirs)
    return condition


def listing(commune_id: int | None, topic: str | None = None, page: int = 1):
    """Published articles listed for the reader, newest first, a page at a time."""
    query = (published().select(Article, ArticlePhoto)
             .join(ArticlePhoto, JOIN.LEFT_OUTER, on=(Article.photo == ArticlePhoto.id))
             .where(for_reader(commune_id)))
    if topic:
        query = query.where(Article.topic == topic)
    return query.order_by(Article.published_at.desc(), Article.id.desc()).paginate(page,
                                                                                  PAGE_SIZE)


def by_slug(slug: str) -> Article | None:
    """A published article by its address (public by link, whatever its audience)."""
    return published().where(Article.slug == slug).first()


# --- Staff ------------------------------------------------------------------------------------


def may_edit(staff: StaffUser, article: Article) -> bool:
    """Administrators edit every article; officers only those for their own communes."""
    if staff.role == ADMIN:
        return True
    communes = article.commune_ids()
    return (article.audience != PROVINCE and bool(communes)
            and communes <= staff_commune_ids(staff))


def staff_listing(staff: StaffUser):
    """The articles a staff member may edit, the most recently changed first."""
    query = Article.select().order_by(Article.updated_at.desc(), Article.id.desc())
    if staff.role != ADMIN:
        theirs = ArticleCommune.select(ArticleCommune.article).where(
            ArticleCommune.commune.in_(sorted(staff_commune_ids(staff))))
        query = query.where(Article.id.in_(theirs))
    return [article for article in query.limit(200) if may_edit(staff, article)]
