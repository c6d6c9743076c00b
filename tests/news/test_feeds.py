"""Atom feeds per topic and per commune (valid Atom, links on PUBLIC_BASE_URL, the audience
rule kept), and what a Zalo chat shows for an article's link (Open Graph)."""

from __future__ import annotations

import io
import uuid

from lxml import etree

from tests.accounts.helpers import first_communes, sign_in_staff
from tests.dossiers.helpers import jpeg
from tests.news.helpers import make_article, post_article
from webapp.core.db import database
from webapp.news.models import COMMUNES, HEALTH, PROVINCE, SCAMS, Article

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def _entries(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = etree.fromstring(response.data)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    return [e.findtext("a:title", namespaces=ATOM) for e in feed.findall("a:entry", ATOM)]


def test_the_commune_feed_has_the_province_s_and_its_own_news_only(app, client):
    commune_a, commune_b = first_communes(2)
    mark = uuid.uuid4().hex[:6]
    make_article(app, title=f"Tin xã A {mark}", audience=COMMUNES, communes=[commune_a])
    make_article(app, title=f"Tin xã B {mark}", audience=COMMUNES, communes=[commune_b])
    make_article(app, title=f"Tin cả tỉnh {mark}", audience=PROVINCE)
    titles = _entries(client.get(f"/tin-tuc/xa/{commune_a.code}.atom"))
    assert f"Tin xã A {mark}" in titles and f"Tin cả tỉnh {mark}" in titles
    assert f"Tin xã B {mark}" not in titles
    province = _entries(client.get("/tin-tuc.atom"))
    assert f"Tin cả tỉnh {mark}" in province and f"Tin xã A {mark}" not in province
    assert client.get("/tin-tuc/xa/khong-co.atom").status_code == 404


def test_the_topic_feed_links_on_the_public_address(app, client):
    mark = uuid.uuid4().hex[:6]
    article = make_article(app, title=f"Cảnh báo lừa đảo {mark}", topic=SCAMS)
    make_article(app, title=f"Sức khỏe {mark}", topic=HEALTH)
    response = client.get("/tin-tuc/chu-de/canh-giac-lua-dao.atom")
    titles = _entries(response)
    assert f"Cảnh báo lừa đảo {mark}" in titles and f"Sức khỏe {mark}" not in titles
    assert f"http://localhost/tin-tuc/{article.slug}" in response.get_data(as_text=True)
    assert client.get("/tin-tuc/chu-de/khong-co.atom").status_code == 404


def test_an_article_s_link_shows_its_title_words_and_photo_in_a_chat(app, client):
    sign_in_staff(client, role="admin")
    post_article(client, audience=PROVINCE, title="Ngày hội hiến máu", photo_alt="Người hiến máu",
                 photo=(io.BytesIO(jpeg()), "anh.jpg"))
    with app.app_context(), database.connection_context():
        article = Article.select().order_by(Article.id.desc()).first()
    page = app.test_client().get(f"/tin-tuc/{article.slug}").get_data(as_text=True)
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="Ngày hội hiến máu' in page
    assert f'content="http://localhost/tin-tuc/anh/{article.photo_id}"' in page
    assert '<meta property="og:image:alt" content="Người hiến máu">' in page
    # Sharing: the site's own page with the address to send in Zalo, no third-party script.
    assert f'/chia-se?trang=/tin-tuc/{article.slug}' in page.replace("%2F", "/")
