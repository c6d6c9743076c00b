""""Tôi cần người giúp" in three browsers (issue 12): Bà Tư asks from the home page; two
volunteers of her commune open the requests and both press "Tôi nhận"; one gets it, the other
is told someone was faster; the taker calls and closes it. JS on and off, A and A++, axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import first_communes, sign_in_staff, unique_phone
from tests.accounts.outbox import messages_to
from tests.browser.conftest import assert_good_page, session_cookies
from webapp.accounts.models import VOLUNTEER
from webapp.core.db import database

pytestmark = pytest.mark.browser


def _volunteer(open_page, live_app, javascript, text_size, name):
    client = live_app.test_client()
    with live_app.app_context(), database.connection_context():
        commune = first_communes(1)[0]
    sign_in_staff(client, role=VOLUNTEER, full_name=name, communes=[commune])
    return open_page("/tinh-nguyen/yeu-cau-giup-do", javascript=javascript,
                     cookies={**session_cookies(client), "text": text_size})


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_she_asks_two_volunteers_take_it_and_one_wins(open_page, live_app, javascript,
                                                      text_size):
    phone = unique_phone()
    her = open_page("/", javascript=javascript, cookies={"text": text_size})
    her.get_by_role("link", name="Tôi cần người giúp").click()
    expect(her.get_by_role("heading", level=1)).to_have_text("Tôi cần người giúp")
    her.get_by_role("button", name="Gửi yêu cầu giúp đỡ").click()
    expect(her).to_have_title(re.compile("^Lỗi:"))
    assert_good_page(her)
    her.get_by_label("Số điện thoại di động của Ông/Bà").fill(phone)
    her.get_by_label("Hoặc chọn trong danh sách").select_option(index=1)
    her.get_by_label("Làm hồ sơ").check()
    her.get_by_role("button", name="Gửi yêu cầu giúp đỡ").click()
    expect(her.get_by_role("heading", level=1)).to_have_text("Đã gửi yêu cầu giúp đỡ")
    assert_good_page(her)

    first = _volunteer(open_page, live_app, javascript, text_size, "Trần Thị Hạnh")
    second = _volunteer(open_page, live_app, javascript, text_size, "Ngô Văn Bảy")
    masked = f"{phone[:4]} *** {phone[-3:]}"
    for page in (first, second):
        expect(page.get_by_text(masked, exact=False)).to_be_visible()
    assert_good_page(first)
    take = re.compile("^Tôi nhận")
    row = first.locator("li", has_text=masked)
    row.get_by_role("button", name=take).click()
    expect(first.get_by_role("heading", level=1)).to_contain_text("Yêu cầu giúp đỡ")
    expect(first.get_by_role("link", name=re.compile(phone[-3:]))).to_be_visible()
    assert_good_page(first)
    second.locator("li", has_text=masked).get_by_role("button", name=take).click()
    expect(second.get_by_role("status")).to_contain_text("Người giúp khác đã nhận")
    assert_good_page(second)

    first.get_by_role("button", name="Tôi đã liên lạc được").click()
    first.get_by_label("Đã giúp qua điện thoại").check()
    first.get_by_role("button", name="Đóng yêu cầu").click()
    expect(first.get_by_role("status")).to_contain_text("Đã đóng yêu cầu")
    assert_good_page(first)
    with live_app.app_context(), database.connection_context():
        [told] = messages_to(phone, "assisted_help_taken")
    assert "Trần Thị Hạnh" in told["text"]
