"""Reading the news: the list for the reader's commune, newest first, by topic; an article's
page (public by its link); its photo. A visitor without an account chooses her commune once;
it is kept in a cookie."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for

from webapp.accounts.auth import current_citizen
from webapp.core import links
from webapp.core.page_cache import cached_page
from webapp.news import listening, services
from webapp.news import search as news_search
from webapp.news.blueprint import news
from webapp.news.models import TOPICS, Article, ArticlePhoto
from webapp.news.words import TOPIC_BY_SLUG, TOPIC_LABELS, TOPIC_SLUGS
from webapp.places.models import Commune
from webapp.uploads.serving import stored_file_response

COMMUNE_COOKIE = "news_commune"
ONE_YEAR = 365 * 24 * 3600


def reader_commune() -> Commune | None:
    """The signed-in citizen's commune, else the one chosen on the list (cookie), else None."""
    citizen = current_citizen()
    if citizen is not None and citizen.commune_id:
        return citizen.commune
    code = request.cookies.get(COMMUNE_COOKIE, "")
    return Commune.get_or_none(Commune.code == code) if code.isdigit() else None


def _page_number() -> int:
    raw = request.args.get("trang", "1")
    return max(1, min(int(raw), 1000)) if raw.isdigit() else 1


@news.get("/tin-tuc")
@cached_page(stamp=services.news_stamp)
def index():
    """The newest articles for the reader's commune, optionally of one topic."""
    topic = TOPIC_BY_SLUG.get(request.args.get("chu-de", ""))
    commune, page = reader_commune(), _page_number()
    articles = list(services.listing(commune.id if commune else None, topic, page))
    return render_template(
        "news/index.html", articles=articles, topic=topic, commune=commune, page=page,
        has_next=len(articles) == services.PAGE_SIZE,
        signed_in_commune=bool(current_citizen() and current_citizen().commune_id),
        topics=[(t, TOPIC_LABELS[t], TOPIC_SLUGS[t]) for t in TOPICS],
        topic_labels=TOPIC_LABELS, topic_slugs=TOPIC_SLUGS,
        communes=list(Commune.in_order()))


@news.post("/tin-tuc/chon-xa")
def choose_commune():
    """Remember the visitor's commune for the list (an empty choice forgets it)."""
    code = request.form.get("xa", "")
    topic = request.form.get("chu-de", "")
    target = url_for("news.index", **({"chu-de": topic} if topic in TOPIC_BY_SLUG else {}))
    response = redirect(target, 303)
    cookie = {"max_age": ONE_YEAR, "samesite": "Lax", "httponly": True,
              "secure": current_app.config["SESSION_COOKIE_SECURE"]}
    if code and Commune.get_or_none(Commune.code == code) is not None:
        response.set_cookie(COMMUNE_COOKIE, code, **cookie)
    else:
        response.delete_cookie(COMMUNE_COOKIE)
    return response


@news.get("/tin-tuc/<slug>")
@cached_page(stamp=services.news_stamp)
def article(slug: str):
    """An article, for whoever has its link, once it is published."""
    found = services.by_slug(slug)
    if found is None:
        abort(404)
    return render_template("news/article.html", article=found, topic_labels=TOPIC_LABELS,
                           topic_slugs=TOPIC_SLUGS, communes=found.communes(),
                           audio=listening.article_audio(found), player=listening.player,
                           external_photo_url=links.external("news.photo",
                                                             photo_id=found.photo_id)
                           if found.photo_id else "")


@news.get("/tin-tuc/anh/<int:photo_id>")
def photo(photo_id: int):
    """A published article's photo (the small copy with ?nho=1)."""
    found = ArticlePhoto.get_or_none(ArticlePhoto.id == photo_id)
    owner = found and Article.select().where(Article.photo == found).first()
    if owner is None or not owner.is_published():
        abort(404)
    return stored_file_response(found.storage_name, found.media_type,
                                small=request.args.get("nho") == "1", download_name="anh")


@news.get("/tin-tuc/tim")
def search_results():
    """Articles matching what she typed (with or without diacritics), best first."""
    query = request.args.get("q", "").strip()[:200]
    commune = reader_commune()
    found = news_search.search(query, commune.id if commune else None) if query else []
    return render_template("news/search.html", query=query, articles=found,
                           topic_labels=TOPIC_LABELS)
