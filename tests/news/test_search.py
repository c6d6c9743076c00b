"""Searching the articles through the databases' full-text index: with or without diacritics,
đ typed as d, the last word as a prefix, hostile input harmless, the audience rule kept."""

from __future__ import annotations

import uuid

import pytest

from tests.accounts.helpers import first_communes, sign_in_citizen
from tests.news.helpers import make_article
from webapp.core.db import database
from webapp.news import search
from webapp.news.models import COMMUNES, PROVINCE


def _titles(app, query, commune=None):
    with app.app_context(), database.connection_context():
        return [a.title for a in search.search(query, commune.id if commune else None)]


@pytest.fixture
def mark():
    return uuid.uuid4().hex[:8]


def test_found_with_or_without_diacritics(app, mark):
    make_article(app, title=f"Đăng ký tiêm ngừa cúm {mark}", body="Trạm y tế xã Đức Hòa.")
    make_article(app, title=f"Cảnh giác lừa đảo {mark}")
    assert _titles(app, f"dang ky tiem {mark}") == [f"Đăng ký tiêm ngừa cúm {mark}"]
    assert _titles(app, f"Đăng ký {mark}") == [f"Đăng ký tiêm ngừa cúm {mark}"]
    assert _titles(app, f"duc hoa {mark}") == [f"Đăng ký tiêm ngừa cúm {mark}"]
    assert _titles(app, f"{mark} lua da") == [f"Cảnh giác lừa đảo {mark}"]  # still typing


def test_hostile_queries_are_harmless(app, client):
    for query in ['"', "can-cuoc", "a OR b", "NEAR(x y)", "'; DROP TABLE article; --", "*", ":*",
                  "title:x", "x & | ! ( )"]:
        assert client.get("/tin-tuc/tim", query_string={"q": query}).status_code == 200


def test_the_audience_rule_holds_in_search(app, mark):
    commune_a, commune_b = first_communes(2)
    make_article(app, title=f"Họp tổ dân phố {mark}", audience=COMMUNES, communes=[commune_a])
    make_article(app, title=f"Bản nháp họp {mark}", audience=PROVINCE, published_at=None)
    assert _titles(app, f"hop {mark}", commune_a) == [f"Họp tổ dân phố {mark}"]
    assert _titles(app, f"hop {mark}", commune_b) == []
    assert _titles(app, f"hop {mark}") == []


def test_the_search_page_for_a_signed_in_reader(app, client, mark):
    commune_a = first_communes(1)[0]
    make_article(app, title=f"Thu hoạch lúa {mark}", audience=COMMUNES, communes=[commune_a])
    sign_in_citizen(client, commune=commune_a)
    page = client.get("/tin-tuc/tim", query_string={"q": f"thu hoach {mark}"})
    assert f"Thu hoạch lúa {mark}" in page.get_data(as_text=True)
