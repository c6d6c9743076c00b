""""Dữ liệu của tôi" and the request to correct or delete, as Bà Tư uses them on her phone:
JS on and off, A and A++, axe clean on every state (issue 15)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_citizen
from tests.browser.conftest import assert_good_page, session_cookies

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_she_sees_her_data_and_asks_for_a_correction(open_page, live_app, javascript, text_size):
    client = live_app.test_client()
    sign_in_citizen(client, full_name="Nguyễn Thị Tư", address="Ấp Bình Phong, số 7")
    cookies = {**session_cookies(client), "text": text_size}
    page = open_page("/tai-khoan", javascript=javascript, cookies=cookies)
    page.get_by_role("link", name=re.compile("^Dữ liệu của tôi")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu của tôi")
    expect(page.get_by_text("Ấp Bình Phong, số 7")).to_be_visible()
    expect(page.get_by_text("Chưa có cán bộ nào mở xem dữ liệu của Ông/Bà.")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("link", name="Yêu cầu sửa hoặc xóa dữ liệu của tôi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sửa hoặc xóa dữ liệu của tôi")
    page.get_by_label("Sửa dữ liệu của tôi").check()
    page.get_by_role("button", name="Gửi yêu cầu").click()  # nothing written: an error
    expect(page).to_have_title(re.compile("^Lỗi:"))
    expect(page.locator(".error-message")).to_contain_text("thông tin nào sai")
    assert_good_page(page)
    page.get_by_label(re.compile("^Thông tin nào sai")).fill("Địa chỉ đúng là số 17.")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    expect(page.get_by_role("status")).to_contain_text("đã được gửi")
    expect(page.locator("section[aria-labelledby=yeu-cau]")).to_contain_text(
        "Đã gửi, đang chờ xử lý")
    assert_good_page(page)


def test_the_privacy_notice_reads_well(open_page):
    page = open_page("/quyen-rieng-tu", javascript=False, cookies={"text": "a2"})
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu cá nhân của Ông/Bà")
    assert_good_page(page)
