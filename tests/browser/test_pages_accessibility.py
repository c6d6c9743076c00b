"""Every page, at phone and desktop widths, with JavaScript on and off: axe-clean, large
text, large targets, no sideways scrolling, no CSP violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    axe_violations,
    body_font_size,
    contrast_violations,
    horizontal_overflow,
    small_targets,
    smallest_text,
)

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/tro-giup",
    "/so-dien-thoai-can-biet",
    "/thu-tuc/",
    "/thu-tuc/tim-kiem?q=lam+giay+khai+sinh",
    "/thu-tuc/tim-kiem?q=khong+co+gi+het+xyz",
    "/thu-tuc/nhom/nguoi-cao-tuoi",
    "/thu-tuc/tro-cap-xa-hoi-hang-thang",
    "/dang-nhap",
    "/can-bo/dang-nhap",
    "/da-dang-xuat",
    "/trang-khong-ton-tai",
]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible(open_page, path, viewport, javascript):
    page = open_page(path, javascript=javascript, viewport=viewport)
    assert axe_violations(page) == []
    assert contrast_violations(page) == []
    assert small_targets(page) == []
    assert body_font_size(page) == 20
    assert smallest_text(page)[0] >= 20, smallest_text(page)
    assert horizontal_overflow(page) == 0
    expected = ["Failed to load resource: the server responded with a status of 404 (NOT FOUND)"]
    assert page.problems == (expected if path == "/trang-khong-ton-tai" else [])


@pytest.mark.parametrize(("cookies", "scheme"), [
    ({"text": "a2"}, "light"), ({"contrast": "high"}, "light"), ({"lang": "en"}, "light"),
    ({"text": "a1", "contrast": "high"}, "light"), ({}, "dark"), ({"contrast": "high"}, "dark"),
], ids=["a++", "high-contrast", "english", "a+-high-contrast", "dark", "dark-high-contrast"])
@pytest.mark.parametrize("path", ["/", "/thu-tuc/", "/thu-tuc/tro-cap-xa-hoi-hang-thang"])
def test_display_settings_stay_accessible(open_page, path, cookies, scheme):
    page = open_page(path, cookies=cookies, color_scheme=scheme)
    assert axe_violations(page) == []
    assert contrast_violations(page) == []
    assert horizontal_overflow(page) == 0


@pytest.mark.parametrize("path", PAGES[:8])
def test_no_sideways_scroll_at_320px_with_text_at_200_percent(open_page, path):
    page = open_page(path, javascript=False)
    page.set_viewport_size({"width": 320, "height": 640})
    assert horizontal_overflow(page) == 0
    # Twice the A++ body size would be 56 px; 200 % of the default 20 px is 40 px (250 % of 16).
    page.evaluate(
        "document.documentElement.style.setProperty('font-size', '250%', 'important')")
    assert horizontal_overflow(page) == 0


@pytest.mark.parametrize("size,expected", [("a", 20), ("a1", 24), ("a2", 28)])
def test_text_size_cookie_sets_body_text_size(open_page, size, expected):
    page = open_page("/tro-giup", cookies={"text": size})
    assert body_font_size(page) == expected


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("size", ["a", "a2"])
def test_the_service_interrupted_page_is_accessible(open_page, live_app, monkeypatch, size,
                                                    javascript):
    """What every visitor sees while the database restarts (webapp/core/errors.py): in plain
    Vietnamese, readable at A++, axe-clean, without the account links that need the database."""
    from peewee import OperationalError

    def database_down():
        raise OperationalError("could not connect to server")

    # A page the page cache does not keep (a kept one would be answered without its view).
    monkeypatch.setitem(live_app.view_functions, "site.contacts", database_down)
    page = open_page("/so-dien-thoai-can-biet", javascript=javascript, cookies={"text": size})

    expect(page.get_by_role("heading", level=1)).to_have_text("Hệ thống đang tạm gián đoạn")
    assert axe_violations(page) == []
    assert smallest_text(page)[0] >= 20, smallest_text(page)
    assert horizontal_overflow(page) == 0
    assert page.get_by_role("navigation", name="Tài khoản").count() == 0
