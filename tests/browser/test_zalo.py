"""Zalo's webview in a real browser: its dark theme at 7:1, and sending a page, with and
without JavaScript, at A++ on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_good_page
from tests.site.test_zalo_webview import ANDROID_DARK, IOS_LIGHT

pytestmark = pytest.mark.browser


def _background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_zalos_dark_theme_is_dark_and_readable_on_a_light_phone(open_page):
    page = open_page("/", user_agent=ANDROID_DARK, color_scheme="light",
                     cookies={"text": "a2"})
    assert _background(page) == "rgb(18, 20, 23)"
    assert_good_page(page)


def test_zalos_light_theme_stays_light_on_a_dark_phone(open_page):
    page = open_page("/", user_agent=IOS_LIGHT, color_scheme="dark")
    assert _background(page) == "rgb(255, 255, 255)"
    assert_good_page(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_sending_a_procedure_in_zalo(open_page, javascript):
    page = open_page("/thu-tuc/", javascript=javascript, cookies={"text": "a2"},
                     user_agent=ANDROID_DARK)
    page.locator("main a[href^='/thu-tuc/']:not([href*='/nhom/'])").first.click()
    title = page.locator("h1").inner_text()
    page.get_by_role("link", name="Gửi trang này qua Zalo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi trang này qua Zalo")
    address = page.get_by_label("Địa chỉ của trang")
    expect(address).to_have_value(re.compile(r"/thu-tuc/"))
    # A copy button only where a script can copy (on this loopback test server the browser
    # allows the clipboard); without one, the steps say how to copy by hand.
    copy = page.get_by_role("button", name="Sao chép địa chỉ")
    expect(copy).to_be_visible() if javascript else expect(copy).to_be_hidden()
    expect(page.get_by_text("Nhấn giữ vào địa chỉ ở trên")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("link", name="Quay lại trang").click()
    expect(page.locator("h1")).to_have_text(title)
