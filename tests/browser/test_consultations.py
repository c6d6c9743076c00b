"""Consultations in the browser (issue 13): an administrator makes and publishes one in the back
office, people read it on their phones; JS on and off, A and A++, axe clean on every state."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_staff
from tests.browser.conftest import assert_good_page, session_cookies
from webapp.core.clock import local_today

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_an_administrator_makes_and_publishes_a_consultation(open_page, live_app, javascript):
    client = live_app.test_client()
    sign_in_staff(client, role="admin")
    page = open_page("/can-bo/lay-y-kien", javascript=javascript, viewport="desktop",
                     cookies=session_cookies(client))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lấy ý kiến")
    assert_good_page(page)
    page.get_by_role("link", name="Tạo cuộc lấy ý kiến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạo cuộc lấy ý kiến")
    page.get_by_role("button", name="Lưu").click()  # nothing typed: errors beside the fields
    expect(page).to_have_title(re.compile("^Lỗi:"))
    expect(page.locator(".error-summary")).to_contain_text("Viết tiêu đề")
    assert_good_page(page)
    title = f"Sửa đường nào trước? ({'js' if javascript else 'nojs'})"
    page.get_by_label("Tiêu đề").fill(title)
    page.get_by_label("Cơ quan hỏi ý kiến").fill("Sở Xây dựng")
    page.get_by_label("Vì sao hỏi ý kiến").fill("Để chọn đường sửa trong năm tới.")
    page.get_by_label("Mọi người").check()
    page.get_by_label("Ngày bắt đầu").fill(local_today().isoformat())
    page.get_by_label(re.compile("^Ngày kết thúc")).fill(
        (local_today() + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("status")).to_contain_text("Đã lưu")
    page.get_by_label("Chọn một", exact=True).check()
    page.get_by_label("Câu hỏi", exact=True).fill("Đường nào cần sửa trước?")
    page.get_by_label(re.compile("^Các lựa chọn")).fill("Đường 1\nĐường 2")
    page.get_by_role("button", name="Thêm câu hỏi này").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm câu hỏi")
    expect(page.get_by_text("Đường nào cần sửa trước?")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("button", name="Công bố cuộc lấy ý kiến").click()
    expect(page.get_by_role("status")).to_contain_text("Đã công bố")
    page.get_by_role("link", name="Trang người dân thấy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_people_read_the_open_consultations(open_page, live_app, javascript, text_size):
    from tests.consultations.conftest import make_consultation

    title = f"Chợ mới đặt ở đâu? ({text_size}, {'js' if javascript else 'nojs'})"
    with live_app.app_context():
        consultation = make_consultation(title=title)
    page = open_page("/lay-y-kien", javascript=javascript, cookies={"text": text_size})
    expect(page.get_by_role("heading", level=1)).to_have_text("Góp ý kiến")
    assert_good_page(page)
    page.get_by_role("link", name=title).click()
    expect(page).to_have_url(re.compile(f"/lay-y-kien/{consultation.id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_good_page(page)
