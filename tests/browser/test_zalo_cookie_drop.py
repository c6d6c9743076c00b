"""Inside Zalo on an iPhone the webview may drop the session cookie when Zalo closes (issue 12,
"Inside Zalo"). She comes back from the chat signed out: after signing in again with a code, her
draft is there with every answer. At 360x740, A++, JavaScript on and off, axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.accounts.outbox import last_code_to
from tests.browser.conftest import assert_good_page, session_cookies
from tests.dossiers.helpers import signed_in_with_draft
from webapp.core.db import database

pytestmark = pytest.mark.browser

ZALO_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
               "(KHTML, like Gecko) Mobile/15E148 Zalo iOS/586 ZaloTheme/light ZaloLanguage/vn")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_dropped_session_cookie_loses_no_draft(open_page, live_app, javascript):
    client = live_app.test_client()
    citizen, check = signed_in_with_draft(client)  # every answer given, ID card photographed
    page = open_page(check, javascript=javascript, user_agent=ZALO_IPHONE,
                     cookies={**session_cookies(client), "text": "a2"})
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kiểm tra lại thông tin trước khi gửi")

    # Zalo closes; iOS forgets the session cookie but keeps her text size.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "text", "value": "a2", "url": page.url}])
    page.goto(check)  # the link she had, from the chat's history
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    assert_good_page(page)
    page.get_by_label("Số điện thoại di động của Ông/Bà").fill(citizen.phone)
    page.get_by_role("button", name="Gửi mã").click()
    expect(page.get_by_label("Nhập mã xác nhận")).to_be_visible()
    with live_app.app_context(), database.connection_context():
        code = last_code_to(citizen.phone)
    page.get_by_label("Nhập mã xác nhận").fill(code)
    page.get_by_role("button", name="Xác nhận").click()

    # Straight back to where she was, with everything she had typed.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kiểm tra lại thông tin trước khi gửi")
    summary = page.locator(".summary").first
    expect(summary).to_contain_text("Nguyễn Thị Tư")
    expect(summary).to_contain_text("24/11/1953")
    expect(page.get_by_role("heading", name="Cam đoan và đồng ý")).to_be_visible()
    assert_good_page(page)
