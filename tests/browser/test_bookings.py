"""Booking a time at the one-stop shop as Bà Hoa does on her phone (book, move, cancel), and
the officer's day list and timetable: JS on and off, A and A++, 360x740, axe clean on every
state (issue 14)."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from tests.backoffice.conftest import first_commune, make_citizen, procedure_by_code
from tests.bookings.conftest import make_booking, open_shop
from tests.browser.conftest import assert_good_page, session_cookies
from webapp.accounts.models import OFFICER
from webapp.core import clock
from webapp.core.db import database

pytestmark = pytest.mark.browser
_communes = itertools.count(60)  # communes no other browser test uses


def _open_shop(live_app):
    with live_app.app_context(), database.connection_context():
        shop = open_shop(first_commune(next(_communes)))
        title = procedure_by_code().content["vi"]["title"]
        return shop, title


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_she_books_a_time_and_cancels_it(open_page, live_app, javascript, text_size):
    shop, title = _open_shop(live_app)
    client = live_app.test_client()
    sign_in_citizen(client, full_name="Lê Thị Hoa", commune=shop)
    cookies = {**session_cookies(client), "text": text_size}
    page = open_page("/dat-lich", javascript=javascript, cookies=cookies)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt lịch hẹn tại bộ phận một cửa")
    assert_good_page(page)
    page.get_by_role("button", name="Tiếp theo: chọn ngày").click()  # nothing chosen
    expect(page.locator(".error-message")).to_contain_text("Xin chọn thủ tục")
    page.get_by_label(title).check()
    page.get_by_role("button", name="Tiếp theo: chọn ngày").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chọn ngày")
    expect(page.locator(".link-list a").first).to_contain_text("Còn")
    assert_good_page(page)
    page.locator(".link-list a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chọn giờ ngày")
    assert_good_page(page)
    page.locator("input[name=gio]").first.check()
    page.get_by_role("button", name="Đặt giờ này").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch hẹn của Ông/Bà")
    expect(page.locator(".dossier-code")).to_have_text(re.compile(r"^TN-"))
    expect(page.get_by_role("status")).to_contain_text("Đã đặt lịch")
    assert_good_page(page)
    page.get_by_role("link", name="Đổi giờ hẹn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chọn ngày mới")
    page.locator(".link-list a").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chọn giờ ngày")
    page.locator("input[name=gio]").last.check()
    page.get_by_role("button", name="Đổi lịch hẹn sang giờ này").click()
    expect(page.get_by_role("status")).to_contain_text("Đã đổi lịch hẹn")
    assert_good_page(page)
    page.get_by_role("button", name="Hủy lịch hẹn này").click()
    expect(page.get_by_role("status")).to_contain_text("Đã hủy lịch hẹn")
    expect(page.locator(".receipt-panel")).to_contain_text("Đã hủy")
    assert_good_page(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_officer_sees_the_day_and_sets_the_timetable(open_page, live_app, javascript):
    shop, _title = _open_shop(live_app)
    with live_app.app_context(), database.connection_context():
        citizen = make_citizen(commune=shop, full_name="Phạm Văn Lộc")
        make_booking(citizen, shop, day=clock.local_today(), start="16:30")
    client = live_app.test_client()
    sign_in_staff(client, role=OFFICER, communes=[shop])
    cookies = {**session_cookies(client), "text": "a2"}
    page = open_page("/can-bo/lich-hen", javascript=javascript, cookies=cookies)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch hẹn trong ngày")
    expect(page.get_by_text("Phạm Văn Lộc")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("button", name="Đã đến").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu")
    assert_good_page(page)
    page.get_by_role("link", name="Lịch làm việc và ngày nghỉ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch nhận đặt hẹn")
    page.get_by_label("Số người được tiếp cùng lúc").fill("0")
    page.get_by_role("button", name="Lưu lịch làm việc").click()
    expect(page).to_have_title(re.compile("^Lỗi:"))
    expect(page.locator(".error-message").first).to_contain_text("từ 1 đến")
    assert_good_page(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_volunteer_books_a_time_for_her_under_her_mandate(open_page, live_app, javascript):
    """Chị Hạnh books Bà Tư a time from her assisted page (A++); once Bà Tư ends another
    mandate, booking under it is refused with the reason."""
    from tests.mandates.helpers import given_mandate
    from webapp.accounts.models import VOLUNTEER
    from webapp.mandates import Mandate
    from webapp.mandates import services as mandates

    shop, _title = _open_shop(live_app)
    client = live_app.test_client()
    volunteer = sign_in_staff(client, role=VOLUNTEER, communes=[shop],
                              full_name="Trần Thị Hạnh")
    given_mandate(live_app, helper=volunteer, commune=shop, name="Lê Thị Tư")
    page = open_page("/tinh-nguyen/", javascript=javascript,
                     cookies={**session_cookies(client), "text": "a2"})
    page.get_by_role("link", name=re.compile("^Đặt lịch hẹn tại bộ phận một cửa cho người này"
                                             )).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chọn ngày")
    expect(page.get_by_text("Cho Lê Thị Tư")).to_be_visible()
    assert_good_page(page)
    page.locator(".link-list a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chọn giờ ngày")
    assert_good_page(page)
    page.get_by_role("button", name="Đặt giờ này").click()  # no time chosen
    expect(page.locator(".error-message")).to_contain_text("Xin chọn một giờ")
    assert_good_page(page)
    page.locator("input[name=gio]").first.check()
    page.get_by_role("button", name="Đặt giờ này").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lịch hẹn tại bộ phận một cửa cho Lê Thị Tư")
    expect(page.get_by_role("status")).to_contain_text("Đã đặt lịch hẹn cho người dân")
    expect(page.locator(".dossier-code")).to_have_text(re.compile(r"^TN-"))
    assert_good_page(page)

    # Another mandate, ended by her while the volunteer has the times open.
    other = given_mandate(live_app, helper=volunteer, commune=shop, name="Võ Văn Năm")
    page.goto("/tinh-nguyen/")
    page.get_by_role("link", name=re.compile("^Đặt lịch hẹn tại bộ phận một cửa.*Võ Văn Năm$")
                     ).click()
    page.locator(".link-list a").first.click()
    page.locator("input[name=gio]").first.check()
    with live_app.app_context(), database.connection_context():
        ended = Mandate.get_by_id(other.id)
        mandates.end(ended, citizen=ended.citizen)
    page.get_by_role("button", name="Đặt giờ này").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giúp người dân làm hồ sơ")
    expect(page.get_by_role("status")).to_contain_text("Sự đồng ý của người này đã kết thúc")
    assert_good_page(page)
