"""Reporting a problem as Bà Tư does on her phone: emergencies first, one question per page, a
photo, checking, sending, the receipt and the status page; JS on and off, A and A++, axe clean
on every page and state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from tests.backoffice.conftest import make_citizen
from tests.browser.conftest import assert_good_page, session_cookies
from tests.dossiers.helpers import jpeg, sign_in_again
from tests.reports.factories import make_report, make_report_photo
from webapp.core.db import database
from webapp.places.models import Commune

pytestmark = pytest.mark.browser


def _commune_name(live_app) -> str:
    with live_app.app_context(), database.connection_context():
        return Commune.in_order().first().name


def _continue(page):
    page.get_by_role("button", name="Tiếp tục").click()


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_she_reports_a_street_light_with_a_photo(open_page, live_app, javascript, text_size,
                                                 tmp_path):
    client = live_app.test_client()
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    cookies = {**session_cookies(client), "text": text_size}
    page = open_page("/phan-anh", javascript=javascript, cookies=cookies)
    expect(page.get_by_role("heading", level=1)).to_have_text("Phản ánh, kiến nghị")
    expect(page.locator("a.emergency-call[href='tel:113']")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("button", name="Bắt đầu phản ánh").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sự việc thuộc loại nào?")
    _continue(page)  # nothing chosen: told beside the field
    expect(page).to_have_title(re.compile("^Lỗi:"))
    assert_good_page(page)
    page.get_by_label(re.compile("^Đèn chiếu sáng")).check()
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Sự việc ở xã, phường nào?")
    page.locator("select#commune").select_option(label=_commune_name(live_app))
    assert_good_page(page)
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Ở chỗ nào? (không bắt buộc)")
    page.get_by_role("textbox").fill("Trước chợ, ấp 3")
    _continue(page)
    if page.get_by_role("heading", level=1).inner_text() == "Đã có người phản ánh việc này chưa?":
        page.get_by_role("link", name="Việc khác: tiếp tục").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Có việc gì?")
    page.get_by_role("textbox").fill("Đèn đường tắt đã một tuần")
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Ảnh sự việc (không bắt buộc)")
    photo = tmp_path / "den.jpg"
    photo.write_bytes(jpeg())
    page.get_by_label("Chụp ảnh sự việc").set_input_files(str(photo))
    page.get_by_role("button", name="Gửi ảnh lên").click()
    expect(page.get_by_role("img", name="Ảnh 1 của sự việc")).to_be_visible()
    assert_good_page(page)
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Có được đăng phản ánh công khai không?")
    page.get_by_label(re.compile("^Có, được đăng")).check()
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ẩn tên của Ông/Bà với mọi người?")
    page.get_by_label(re.compile("^Có, ẩn tên")).check()
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại phản ánh trước khi gửi")
    expect(page.get_by_text("Đèn đường tắt đã một tuần")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("button", name="Gửi phản ánh").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Phản ánh của Ông/Bà đã được gửi")
    assert_good_page(page)
    page.get_by_role("link", name="Xem phản ánh đang ở đâu").click()
    expect(page.get_by_role("status")).to_have_text("Đã gửi, chờ tiếp nhận")
    expect(page.locator(".timeline")).to_contain_text("Đã gửi phản ánh")
    assert_good_page(page)


def test_the_public_page_and_the_look_up_read_well(open_page):
    page = open_page("/phan-anh/da-tra-loi", javascript=False, cookies={"text": "a2"})
    expect(page.get_by_role("heading", level=1)).to_have_text("Phản ánh đã được trả lời")
    assert_good_page(page)
    page = open_page("/tra-cuu-phan-anh", javascript=True)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page).to_have_title(re.compile("^Lỗi:"))
    assert_good_page(page)


def _report_in(live_app, **fields):
    with live_app.app_context(), database.connection_context():
        commune = Commune.in_order().first()
        citizen = make_citizen(commune=commune)
        report = make_report(commune, citizen, **fields)
        make_report_photo(report)
        return commune, citizen, report


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_officer_merges_a_duplicate_answers_and_she_rates(open_page, live_app, javascript,
                                                              text_size):
    commune, citizen, original = _report_in(live_app, description="Đèn tắt trước chợ")
    _c, _other, duplicate = _report_in(live_app, description="Đèn chợ không sáng")
    officer = live_app.test_client()
    sign_in_staff(officer, role="officer", communes=[commune], full_name="Trần Văn Minh")
    page = open_page("/can-bo/phan-anh/", javascript=javascript,
                     cookies={**session_cookies(officer), "text": text_size})
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phản ánh của")
    assert_good_page(page)
    page.get_by_role("link", name=re.compile(duplicate.code)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(duplicate.code)
    assert_good_page(page)
    page.get_by_label("Mã của phản ánh trước đó").fill(original.code)
    page.get_by_role("button", name="Gộp", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Đã gộp phản ánh")
    assert_good_page(page)

    page.goto(f"/can-bo/phan-anh/{original.code}")
    page.get_by_role("button", name="Tiếp nhận phản ánh").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã tiếp nhận")
    page.get_by_role("button", name="Gửi: đã khắc phục").click()  # no answer written: an error
    expect(page).to_have_title(re.compile("^Lỗi:"))
    assert_good_page(page)
    page.get_by_label("Câu trả lời").fill("Đã thay bóng đèn mới")
    page.get_by_role("button", name="Gửi: đã khắc phục").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã gửi trả lời")
    expect(page.locator(".timeline")).to_contain_text("Trần Văn Minh")
    assert_good_page(page)

    her = live_app.test_client()
    sign_in_again(her, citizen)
    page = open_page(f"/phan-anh/theo-doi/{original.code}", javascript=javascript,
                     cookies={**session_cookies(her), "text": text_size})
    expect(page.get_by_role("status").first).to_have_text("Đã trả lời: đã khắc phục")
    expect(page.locator(".timeline")).to_contain_text("Đã thay bóng đèn mới")
    assert_good_page(page)
    page.get_by_text("Hài lòng", exact=True).click()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("#danh-gia")).to_contain_text("Hài lòng")
    assert_good_page(page)

    page = open_page("/phan-anh/da-tra-loi", javascript=javascript)
    expect(page.get_by_text("Đã thay bóng đèn mới").first).to_be_visible()
    assert_good_page(page)
