"""The development page /dev/tin-nhan in a browser: a developer sends a test message, sends
what is waiting, and reads the message, with and without JavaScript; every state is checked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    assert_good_page,
    axe_violations,
    contrast_violations,
    horizontal_overflow,
)

pytestmark = pytest.mark.browser

NUMBERS = {True: ("0912 345 678", "0912 345 678"), False: ("+84 987.654.321", "0987 654 321")}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_developer_sends_and_reads_a_test_message(open_page, javascript):
    typed, shown = NUMBERS[javascript]
    page = open_page("/dev/tin-nhan", javascript=javascript)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tin nhắn trên máy này")
    assert_good_page(page)

    page.get_by_role("button", name="Gửi tin nhắn thử").click()  # nothing typed
    expect(page).to_have_title(re.compile(r"^Lỗi: Tin nhắn trên máy này"))
    expect(page.locator("#phone-error")).to_contain_text("Nhập số điện thoại di động.")
    assert_good_page(page)

    page.get_by_label("Số điện thoại di động").fill(typed)
    page.get_by_role("button", name="Gửi tin nhắn thử").click()
    expect(page.get_by_role("status")).to_have_text("Tin nhắn thử đang chờ gửi.")
    expect(page.get_by_text(re.compile(r"tin nhắn đang chờ gửi\."))).to_be_visible()
    assert_good_page(page)

    page.get_by_role("button", name="Gửi ngay").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Đã gửi \d+ tin nhắn\.$"))
    newest = page.locator(".dev-message").first
    expect(newest).to_contain_text("Đây là tin nhắn thử của Tây Ninh Smart.")
    expect(newest).to_contain_text(f"Gửi tới {shown} lúc")
    expect(page.get_by_text("Không có tin nhắn nào đang chờ.")).to_be_visible()
    assert_good_page(page)


@pytest.mark.parametrize("cookies,scheme", [
    ({"text": "a2", "contrast": "high"}, "light"), ({}, "dark"), ({"lang": "en"}, "light"),
], ids=["a++-high-contrast", "dark", "english"])
def test_page_in_every_display_setting(open_page, cookies, scheme):
    page = open_page("/dev/tin-nhan", cookies=cookies, color_scheme=scheme)
    page.get_by_role("button", name=re.compile("Gửi tin nhắn thử|Send a test message")).click()
    assert axe_violations(page) == []  # with the error message showing
    assert contrast_violations(page) == []
    assert horizontal_overflow(page) == 0
