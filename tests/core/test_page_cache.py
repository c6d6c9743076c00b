"""Anonymous public pages served without rendering (core/page_cache.py): every way a kept
page could be wrong for the next visitor, and that it is not."""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import re

import brotli
import pytest
from flask import flash, render_template_string

from tests.accounts.helpers import sign_in_citizen
from tests.backoffice.conftest import in_app  # noqa: F401
from tests.kiosk.test_kiosk import make_kiosk
from webapp.catalogue.models import Procedure
from webapp.core import page_cache
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.core.page_cache import Entry, Store, cached_page

ZALO_DARK = ("Mozilla/5.0 (Linux; Android 12) Mobile Safari/537.36 Zalo android/25112868 "
             "ZaloTheme/dark ZaloLanguage/vi")
PROCEDURE = "/thu-tuc/tro-cap-xa-hoi-hang-thang"


def token_of(client) -> str:
    with client.session_transaction() as kept:
        return kept["csrf_token"]


def tokens_in(html: str) -> set[str]:
    """Every CSRF token the page carries: the hidden fields and htmx's header."""
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html)) | set(
        re.findall(r'"X-CSRF-Token": "([^"]+)"', html))


def assert_nonces_match(response) -> str:
    """The CSP header's nonce is the one on every script of the page; return it."""
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*>", response.get_data(as_text=True))
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    return nonce


def test_the_second_anonymous_visit_is_not_rendered_and_is_the_same_page(app, renders):
    first, second = app.test_client(), app.test_client()
    one = first.get("/")
    rendered = len(renders)
    two = second.get("/")
    assert len(renders) == rendered  # from the cache
    assert len(app.extensions["page_cache"]) == 1
    strip = re.compile(r'nonce="[^"]+"|"X-CSRF-Token": "[^"]+"|name="csrf_token" value="[^"]+"')
    assert strip.sub("", one.get_data(as_text=True)) == strip.sub("", two.get_data(as_text=True))
    assert two.headers["Content-Type"] == one.headers["Content-Type"]
    for header in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
                   "Cache-Control", "Vary"):
        assert two.headers[header] == one.headers[header]


def test_each_visitor_gets_her_own_token_and_a_fresh_nonce_on_every_answer(app):
    alice, bob = app.test_client(), app.test_client()
    pages = [alice.get("/"), bob.get("/"), alice.get("/"), bob.get("/"), alice.get("/")]
    alices, bobs = token_of(alice), token_of(bob)
    assert alices != bobs
    for page, token in zip(pages, [alices, bobs, alices, bobs, alices], strict=True):
        assert tokens_in(page.get_data(as_text=True)) == {token}
    nonces = [assert_nonces_match(page) for page in pages]
    assert len(set(nonces)) == len(nonces)
    # The token in a page served from the cache is one her session accepts.
    page = bob.get("/").get_data(as_text=True)
    answer = bob.post("/tuy-chon", data={"csrf_token": tokens_in(page).pop(), "text": "a2"})
    assert answer.status_code == 303
    assert bob.post("/tuy-chon", data={"csrf_token": alices, "text": "a2"}).status_code == 400


def test_a_first_visit_from_the_cache_gets_its_own_session_and_token(app, renders):
    app.test_client().get("/")
    rendered = len(renders)
    newcomer = app.test_client()
    response = newcomer.get("/")
    assert len(renders) == rendered
    assert "session=" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert tokens_in(response.get_data(as_text=True)) == {token_of(newcomer)}
    # Once she has a session, the page from the cache sets no cookie.
    assert "Set-Cookie" not in newcomer.get("/").headers


@pytest.mark.parametrize("cookie, agent, expected", [
    (("text", "a2"), None, r'<html lang="vi" class="text-a2"'),
    (("contrast", "high"), None, r'<html lang="vi" class="text-a contrast-high"'),
    (("lang", "en"), None, r'<html lang="en" class="text-a"'),
    (None, ZALO_DARK, r'<html lang="vi" class="text-a theme-dark"'),
])
def test_text_size_contrast_language_and_zalo_each_get_their_own_page(app, renders, cookie,
                                                                        agent, expected):
    plain = app.test_client()
    assert '<html lang="vi" class="text-a">' in plain.get("/").get_data(as_text=True)
    chooser = app.test_client()
    if cookie:
        chooser.set_cookie(*cookie, domain="localhost")
    headers = {"User-Agent": agent} if agent else {}
    for _ in range(2):  # rendered for her, then from the cache: hers both times
        html = chooser.get("/", headers=headers).get_data(as_text=True)
        assert re.search(expected + r'>', html), html[:200]
    assert '<html lang="vi" class="text-a">' in plain.get("/").get_data(as_text=True)
    assert len(app.extensions["page_cache"]) == 2


def test_the_settings_form_comes_back_to_the_page_asked_for(app):
    app.test_client().get("/thu-tuc/")
    html = app.test_client().get("/thu-tuc/?xem=1").get_data(as_text=True)
    assert 'name="next" data-current-page value="/thu-tuc/?xem=1"' in html


@pytest.fixture
def flashing_page(app):
    """An opted-in page that shows flashed messages, and one that flashes as it renders."""
    def show():
        return render_template_string('{% include "accounts/_flash.html" %}')

    def flash_and_show():
        flash("Chỉ cho Bà")
        return show()

    app.add_url_rule("/thu-flash", "flash_shown", cached_page()(show))
    app.add_url_rule("/thu-flash-ngay", "flash_now", cached_page()(flash_and_show))


def test_a_flashed_message_is_never_kept_nor_shown_to_another(app, flashing_page, renders):
    her = app.test_client()
    with her.session_transaction() as kept:
        kept["_flashes"] = [("message", "Hồ sơ của Bà đã gửi")]
    assert "Hồ sơ của Bà đã gửi" in her.get("/thu-flash").get_data(as_text=True)
    assert len(app.extensions["page_cache"]) == 0
    assert "Hồ sơ của Bà đã gửi" not in app.test_client().get("/thu-flash").get_data(
        as_text=True)
    assert "Hồ sơ của Bà đã gửi" not in her.get("/thu-flash").get_data(as_text=True)
    # A page that flashed while it rendered is not kept either.
    for _ in range(2):
        app.test_client().get("/thu-flash-ngay")
    assert "/thu-flash-ngay" not in {key[4] for key in app.extensions["page_cache"]._pages}
    # Nor is one asked by a visitor whose message is still waiting, though she is served.
    app.extensions["page_cache"]._pages.clear()
    waiting = app.test_client()
    with waiting.session_transaction() as kept:
        kept["_flashes"] = [("message", "Đang chờ")]
    waiting.get("/")
    assert len(app.extensions["page_cache"]) == 0


def test_a_signed_in_citizen_never_gets_nor_makes_the_anonymous_copy(app, renders):
    citizen = app.test_client()
    sign_in_citizen(citizen)
    citizen.set_cookie("lang", "en", domain="localhost")
    assert "My dossiers" in citizen.get("/").get_data(as_text=True)
    assert len(app.extensions["page_cache"]) == 0
    stranger = app.test_client()
    stranger.set_cookie("lang", "en", domain="localhost")
    assert "My dossiers" not in stranger.get("/").get_data(as_text=True)
    assert len(app.extensions["page_cache"]) == 1
    rendered = len(renders)
    html = citizen.get("/").get_data(as_text=True)
    assert len(renders) > rendered and "My dossiers" in html and "Sign out" in html


def test_a_session_holding_more_than_a_token_is_always_rendered(app, renders):
    app.test_client().get("/")
    rendered = len(renders)
    looked_up = app.test_client()
    with looked_up.session_transaction() as kept:
        kept["lookup_grants"] = [1]
    looked_up.get("/")
    assert len(renders) > rendered


def test_kiosk_pages_are_never_kept_nor_served_from_the_cache(app):
    from tests.backoffice.conftest import first_commune

    with app.app_context(), database.connection_context():
        commune = first_commune()
    app.test_client().get("/")
    kiosk = app.test_client()
    assert make_kiosk(kiosk, commune).status_code == 303
    for _ in range(2):
        response = kiosk.get("/")
        assert "Bắt đầu lại" in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "no-store"
        kiosk.get("/tro-giup")
    assert {key[4] for key in app.extensions["page_cache"]._pages} == {"/"}


def test_an_edited_procedure_shows_on_the_next_request_with_a_new_etag(app):
    visitor = app.test_client()
    before = visitor.get(PROCEDURE)
    etag = before.headers["ETag"]
    assert visitor.get(PROCEDURE, headers={"If-None-Match": etag}).status_code == 304
    with app.app_context(), database.connection_context():
        procedure = Procedure.get(Procedure.slug == PROCEDURE.rsplit("/", 1)[1])
        content = copy.deepcopy(procedure.content)
        content["vi"]["title"] = "Trợ cấp đã sửa hôm nay"
        Procedure.update(content=content, updated_at=utcnow() + dt.timedelta(seconds=1)).where(
            Procedure.id == procedure.id).execute()
    try:
        after = visitor.get(PROCEDURE, headers={"If-None-Match": etag})
        assert after.status_code == 200
        assert "Trợ cấp đã sửa hôm nay" in after.get_data(as_text=True)
        assert after.headers["ETag"] != etag
        assert "Trợ cấp đã sửa hôm nay" in app.test_client().get(PROCEDURE).get_data(
            as_text=True)
    finally:  # the tests of a run share the database: later ones read the real title
        with app.app_context(), database.connection_context():
            Procedure.update(content=procedure.content, updated_at=procedure.updated_at).where(
                Procedure.id == procedure.id).execute()


def test_a_page_from_the_cache_still_answers_304_and_keeps_its_etag(app):
    visitor = app.test_client()
    etags = {visitor.get("/").headers["ETag"] for _ in range(3)}
    assert len(etags) == 1
    unchanged = visitor.get("/", headers={"If-None-Match": etags.pop()})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert "nonce-" not in unchanged.headers["Content-Security-Policy"]
    other = app.test_client()
    assert other.get("/", headers={"If-None-Match": unchanged.headers["ETag"]}).status_code == 200
    head = visitor.head("/")
    assert head.status_code == 200 and head.get_data() == b""


def test_compressed_answers_from_the_cache_are_the_page(app):
    visitor = app.test_client()
    visitor.get("/")
    plain = visitor.get("/").get_data(as_text=True)
    token = token_of(visitor)
    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = visitor.get("/", headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        html = decode(response.get_data()).decode()
        assert tokens_in(html) == {token}
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
        assert re.sub(r'nonce="[^"]+"', "", html) == re.sub(r'nonce="[^"]+"', "", plain)
        assert f'nonce="{nonce}"' in html


@pytest.mark.usefixtures("in_app")
def test_new_figures_show_once_the_counting_time_is_over(app, monkeypatch, renders):
    from tests.backoffice.conftest import make_dossier
    from tests.backoffice.test_figures import new_commune
    from webapp.public_figures import counting

    counting.forget()
    now = {"wall": dt.datetime(2026, 12, 2, 3, 0), "cache": 1000.0}
    monkeypatch.setattr(counting, "utcnow", lambda: now["wall"])
    monkeypatch.setattr(page_cache, "_now", lambda: now["cache"])
    make_dossier(commune=new_commune("Xã Đếm Lại"), submitted_at=dt.datetime(2026, 11, 3, 2))
    path = "/so-lieu?theo=xa"
    visitor = app.test_client()
    assert "Xã Đếm Lại" in visitor.get(path).get_data(as_text=True)
    rendered = len(renders)
    visitor.get(path)
    assert len(renders) == rendered  # kept while its figures are the ones counted
    make_dossier(commune=new_commune("Xã Mới Đếm"), submitted_at=dt.datetime(2026, 11, 3, 2))
    seconds = app.config["PUBLIC_FIGURES_SECONDS"]
    now["wall"] += dt.timedelta(seconds=seconds)
    now["cache"] += seconds
    assert "Xã Mới Đếm" in visitor.get(path).get_data(as_text=True)
    counting.forget()


def test_pages_that_do_not_opt_in_are_rendered_every_time(app, renders):
    visitor = app.test_client()
    for _ in range(2):
        visitor.get("/tin-tuc/tim?q=tiem+ngua")  # search: rendered for each query
    assert renders.count("news/search.html") == 2
    assert len(app.extensions["page_cache"]) == 0


def test_an_untrusted_host_is_refused_even_when_the_page_is_kept(app):
    app.config["TRUSTED_HOSTS"] = ["localhost"]
    app.test_client().get("/")
    assert app.test_client().get("/", headers={"Host": "evil.example"}).status_code == 400


def entry(size: int) -> Entry:
    return Entry(b"x" * size, [], b"", None, None, 0.0, "/", size)


def test_the_store_keeps_at_most_its_entries_and_bytes_least_recently_served_first():
    store = Store(entries=3, max_bytes=1000)
    for name in "abc":
        store.put((name,), entry(100))
    store.get(("a",))
    store.put(("d",), entry(100))
    assert store.get(("b",)) is None and store.get(("a",)) is not None and len(store) == 3
    store.put(("e",), entry(900))
    assert store.bytes <= 1000 and store.get(("e",)) is not None
    store.put(("huge",), entry(1001))
    assert store.get(("huge",)) is None
    store.put(("e",), entry(10))
    assert store.bytes == sum(e.size for e in store._pages.values())


def test_the_app_bounds_the_cache_by_its_settings(database_url):
    from tests.conftest import make_app

    small = make_app(database_url, PAGE_CACHE_ENTRIES=2)
    for path in ("/", "/tro-giup", "/thu-tuc/", PROCEDURE):
        small.test_client().get(path)
    assert len(small.extensions["page_cache"]) == 2
    off = make_app(database_url, PAGE_CACHE_ENTRIES=0)
    off.test_client().get("/")
    assert len(off.extensions["page_cache"]) == 0


def test_a_stamp_that_cannot_be_read_renders_the_page_again(app, renders):
    from flask import has_request_context

    def stamp():
        if not has_request_context() and app.config.get("DATABASE_DOWN"):
            raise RuntimeError("database down")
        return 1

    def page():
        return render_template_string("<p>Trang {{ 1 + 1 }}</p>")

    app.add_url_rule("/thu-dau-an", "stamp_fails", cached_page(stamp=stamp)(page))
    visitor = app.test_client()
    visitor.get("/thu-dau-an")
    rendered = len(renders)
    visitor.get("/thu-dau-an")
    assert len(renders) == rendered
    app.config["DATABASE_DOWN"] = True
    answer = visitor.get("/thu-dau-an")
    assert answer.status_code == 200 and len(renders) > rendered
