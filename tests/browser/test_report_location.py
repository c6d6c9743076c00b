"""The phone's location on the report's place page, as Bà Tư's phone gives it or refuses it
(360x740, A++): the button only with JavaScript, the position asked only on her tap, rounded,
and nothing when the phone refuses; axe clean on every state."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_citizen
from tests.browser.conftest import assert_good_page, session_cookies
from tests.reports.helpers import answer, begin
from webapp.core.db import database
from webapp.places.models import Commune
from webapp.reports.models import ReportDraft

pytestmark = pytest.mark.browser

HERE = {"latitude": 11.312345678, "longitude": 106.098765432}  # Tây Ninh, too precise


def _draft_at_the_place_page(live_app):
    """Her draft with category and commune answered: (session cookies, the place page)."""
    client = live_app.test_client()
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    with live_app.app_context(), database.connection_context():
        commune = Commune.in_order().first().code
    token = begin(client)
    answer(client, token, "loai", category="roads")
    answer(client, token, "xa", commune=commune)
    return {**session_cookies(client), "text": "a2"}, token


def _location_of(live_app, token):
    with live_app.app_context(), database.connection_context():
        return ReportDraft.get(ReportDraft.token == token).answers.get("location")


def _phone(open_page, path, cookies, *, allow: bool, javascript: bool = True):
    """A phone-sized page whose browser gives its position when asked, or refuses it."""
    return open_page(path, javascript=javascript, cookies=cookies, geolocation=HERE,
                     permissions=["geolocation"] if allow else [])


def _continue(page):
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Ở chỗ nào? (không bắt buộc)")


def test_she_shares_the_location_and_it_is_kept_rounded(open_page, live_app):
    cookies, token = _draft_at_the_place_page(live_app)
    page = _phone(open_page, f"/phan-anh/nhap/{token}/dia-diem", cookies, allow=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ở chỗ nào? (không bắt buộc)")
    button = page.get_by_role("button", name="Dùng vị trí hiện tại")
    expect(button).to_be_visible()
    expect(page.get_by_text("không bao giờ đăng công khai", exact=False)).to_be_visible()
    assert_good_page(page)
    page.get_by_role("textbox").fill("Đầu cầu Gió")
    button.click()
    expect(page.locator("[data-location-status]")).to_have_text(
        "Đã nhận vị trí. Vị trí sẽ được gửi cùng phản ánh.")
    expect(page.locator("input[name=latitude]")).to_have_value("11.3123")  # rounded on the phone
    assert_good_page(page)
    _continue(page)
    assert _location_of(live_app, token) == {"latitude": 11.3123, "longitude": 106.0988}


def test_the_phone_refuses_and_the_place_in_words_is_enough(open_page, live_app):
    cookies, token = _draft_at_the_place_page(live_app)
    page = _phone(open_page, f"/phan-anh/nhap/{token}/dia-diem", cookies, allow=False)
    page.get_by_role("button", name="Dùng vị trí hiện tại").click()
    expect(page.locator("[data-location-status]")).to_have_text(
        "Điện thoại không cho biết vị trí. Không sao: ghi địa điểm bằng lời là đủ.")
    assert_good_page(page)
    page.get_by_role("textbox").fill("Trước chợ")
    _continue(page)
    assert _location_of(live_app, token) is None


def test_without_javascript_there_is_no_button_and_nothing_is_asked(open_page, live_app):
    cookies, token = _draft_at_the_place_page(live_app)
    page = _phone(open_page, f"/phan-anh/nhap/{token}/dia-diem", cookies, allow=True,
                  javascript=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ở chỗ nào? (không bắt buộc)")
    expect(page.get_by_role("button", name="Dùng vị trí hiện tại")).to_be_hidden()
    assert_good_page(page)
    page.get_by_role("textbox").fill("Trước chợ")
    _continue(page)
    assert _location_of(live_app, token) is None
