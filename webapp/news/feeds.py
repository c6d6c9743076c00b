"""Atom feeds, made with `feedgen` (maintained, writes valid Atom through lxml): the whole
province's news, a topic's, and a commune's (the province's and that commune's, as its readers
see the list). Every link is on PUBLIC_BASE_URL. A feed reader, a commune's website or a Zalo
Official Account's tooling can follow them; nobody needs an account."""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator
from flask import Response, abort, current_app, request
from flask_babel import gettext as _

from webapp.core import links
from webapp.core.i18n import in_language
from webapp.news import services
from webapp.news.blueprint import news
from webapp.news.words import TOPIC_BY_SLUG, TOPIC_LABELS
from webapp.places.models import Commune

FEED_SIZE = 30


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC)


def _feed(feed_id: str, title: str, articles: list, self_url: str) -> Response:
    generator = FeedGenerator()
    generator.id(feed_id)
    generator.title(title)
    generator.language("vi")
    generator.link(href=self_url, rel="self")
    generator.link(href=links.external("news.index"), rel="alternate")
    generator.updated(_utc(max((a.corrected_at or a.published_at for a in articles),
                               default=dt.datetime(2026, 1, 1))))
    for article in reversed(articles):  # feedgen puts the last added first
        entry = generator.add_entry()
        address = links.external("news.article", slug=article.slug)
        entry.id(address)
        entry.title(article.title)
        entry.link(href=address)
        entry.summary(article.summary)
        entry.content(article.body, type="html")
        entry.published(_utc(article.published_at))
        entry.updated(_utc(article.corrected_at or article.published_at))
        entry.category(term=article.topic, label=str(TOPIC_LABELS[article.topic]))
    response = Response(generator.atom_str(pretty=False), mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _name() -> str:
    return in_language(current_app.extensions["province"].content)["name"]


@news.get("/tin-tuc.atom")
def province_feed():
    articles = list(services.listing(None).limit(FEED_SIZE))
    return _feed(links.external("news.province_feed"),
                 _("News of %(province)s", province=_name()), articles,
                 links.external("news.province_feed"))


@news.get("/tin-tuc/chu-de/<topic_slug>.atom")
def topic_feed(topic_slug: str):
    topic = TOPIC_BY_SLUG.get(topic_slug) or abort(404)
    articles = list(services.listing(None, topic).limit(FEED_SIZE))
    address = links.external("news.topic_feed", topic_slug=topic_slug)
    return _feed(address, f"{TOPIC_LABELS[topic]} – {_name()}", articles, address)


@news.get("/tin-tuc/xa/<code>.atom")
def commune_feed(code: str):
    commune = Commune.get_or_none(Commune.code == code) if code.isdigit() else None
    if commune is None:
        abort(404)
    topic = TOPIC_BY_SLUG.get(request.args.get("chu-de", ""))
    articles = list(services.listing(commune.id, topic).limit(FEED_SIZE))
    address = links.external("news.commune_feed", code=code)
    return _feed(address, _("News of %(commune)s", commune=commune.name), articles, address)
