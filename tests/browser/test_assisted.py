"""Assisted mode in two browsers (issue 12): Chị Hạnh of the digital technology team does Bà
Tư's social-allowance dossier on her phone after Bà Tư reads out the code; Bà Tư, on her own
phone, finds the dossier and the mandate and ends it; Chị Hạnh then cannot open the dossier.
The paper path, and the officer seeing the consent's evidence. JS on and off, A and A++, axe
on every new page and state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_staff, unique_phone
from tests.browser.conftest import assert_good_page, session_cookies
from tests.browser.test_dossiers import continue_, fill_date, heading, photo_of_paper, upload
from tests.dossiers.helpers import sign_in_again
from tests.mandates.helpers import last_consent_code
from webapp.accounts.models import OFFICER, VOLUNTEER, Citizen
from webapp.core.db import database

pytestmark = pytest.mark.browser


def _volunteer(open_page, live_app, javascript, text_size):
    client = live_app.test_client()
    sign_in_staff(client, role=VOLUNTEER, full_name="Trần Thị Hạnh")
    return open_page("/tinh-nguyen/", javascript=javascript,
                     cookies={**session_cookies(client), "text": text_size})


def _ask(page, phone: str, paper: bool = False) -> None:
    page.get_by_role("link", name="Làm hồ sơ giúp người dân").click()
    expect(heading(page)).to_have_text("Làm hồ sơ giúp người dân")
    page.get_by_role("button", name="Tiếp tục").click()  # nothing typed: errors
    expect(page).to_have_title(re.compile("^Lỗi:"))
    assert_good_page(page)
    page.get_by_label("Họ và tên người dân").fill("Lê Thị Tư")
    page.get_by_label("Số điện thoại di động của người dân").fill(phone)
    page.get_by_label("Thủ tục", exact=True).select_option(label="Xin trợ cấp xã hội hằng tháng")
    if paper:
        page.get_by_label(re.compile("^Giấy ủy quyền có chữ ký")).check()
    page.get_by_role("button", name="Tiếp tục").click()


def _fill_wizard(page, javascript, tmp_path) -> str:
    """Her name, phone and commune are known: the date of birth comes first."""
    expect(heading(page)).to_contain_text("Ngày sinh của người xin trợ cấp")
    expect(page.locator(".helping-note")).to_contain_text("Trần Thị Hạnh làm giúp")
    assert_good_page(page)
    fill_date(page, "24", "11", "1953")
    continue_(page, javascript)
    expect(heading(page)).to_contain_text("Số thẻ căn cước")
    page.get_by_label(re.compile("Số thẻ căn cước")).fill("072 053 001 234")
    continue_(page, javascript)
    expect(heading(page)).to_contain_text("hoàn cảnh nào")
    page.get_by_label(re.compile("Người cao tuổi thuộc hộ nghèo")).check()
    continue_(page, javascript)
    expect(heading(page)).to_contain_text("người có nghĩa vụ phụng dưỡng")
    page.get_by_label("Không", exact=True).check()
    continue_(page, javascript)
    expect(heading(page)).to_contain_text("nhận tiền trợ cấp")
    page.get_by_label(re.compile("Nhận tiền mặt")).check()
    continue_(page, javascript)
    expect(heading(page)).to_contain_text("Địa chỉ nơi ở")
    page.get_by_label("Địa chỉ nơi ở").fill("Ấp Thạnh Đông, số nhà 12")
    continue_(page, javascript)
    expect(heading(page)).to_contain_text("Ảnh thẻ căn cước")
    upload(page, javascript, photo_of_paper(tmp_path), side="mặt trước")
    expect(page.get_by_role("heading", name="Mặt trước: đã chụp")).to_be_visible()
    upload(page, javascript, photo_of_paper(tmp_path, seed=8), side="mặt sau")
    expect(page.get_by_role("heading", name="Mặt sau: đã chụp")).to_be_visible()
    assert_good_page(page)
    continue_(page, javascript)  # "other papers, if any" is offered on the check page
    expect(heading(page)).to_have_text("Kiểm tra lại thông tin trước khi gửi")
    expect(page.get_by_role("heading", name="Cam đoan và đồng ý")).to_be_visible()
    page.get_by_label(re.compile("Tôi cam đoan")).check()
    page.get_by_label(re.compile("Tôi đồng ý")).check()
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page.locator("h1 .code")).to_have_text(re.compile(r"^TN-"))
    assert_good_page(page)
    return page.locator("h1 .code").inner_text()


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_volunteer_submits_for_a_citizen_who_consents_by_code(open_page, live_app, tmp_path,
                                                                javascript, text_size):
    phone = unique_phone()
    helper = _volunteer(open_page, live_app, javascript, text_size)
    expect(heading(helper)).to_have_text("Giúp người dân làm hồ sơ")
    assert_good_page(helper)
    _ask(helper, phone)
    expect(heading(helper)).to_have_text("Mã người dân đọc")
    assert_good_page(helper)
    with live_app.app_context(), database.connection_context():
        code = last_consent_code(phone)
    helper.get_by_label("Mã người dân đọc").fill("000000" if code != "000000" else "111111")
    helper.get_by_role("button", name="Xác nhận sự đồng ý").click()
    expect(helper.locator(".error-message")).to_contain_text("Mã chưa đúng")
    assert_good_page(helper)
    helper.get_by_label("Mã người dân đọc").fill(code)
    helper.get_by_role("button", name="Xác nhận sự đồng ý").click()
    dossier_code = _fill_wizard(helper, javascript, tmp_path)
    dossier_url = helper.url

    # Bà Tư, on her own phone: the dossier is hers, and so is the mandate, which she ends.
    with live_app.app_context(), database.connection_context():
        citizen = Citizen.by_phone(phone)
    client = live_app.test_client()
    sign_in_again(client, citizen)
    her = open_page("/ho-so-cua-toi", javascript=javascript,
                    cookies={**session_cookies(client), "text": text_size})
    expect(her.get_by_text(f"Mã {dossier_code}", exact=False)).to_be_visible()
    assert_good_page(her)
    her.goto("/tai-khoan/uy-quyen")
    expect(her.get_by_text("Trần Thị Hạnh", exact=True)).to_be_visible()
    her.get_by_role("button", name=re.compile("^Kết thúc ngay")).click()
    expect(her.get_by_role("status")).to_contain_text("không còn được làm hồ sơ giúp")
    assert_good_page(her)

    response = helper.goto(dossier_url)
    assert response.status == 404
    expect(helper.get_by_text(dossier_code)).to_have_count(0)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_paper_path_and_the_officer_seeing_the_evidence(open_page, live_app, tmp_path,
                                                            javascript):
    helper = _volunteer(open_page, live_app, javascript, "a")
    _ask(helper, unique_phone(), paper=True)
    expect(heading(helper)).to_have_text("Ảnh giấy ủy quyền đã ký")
    helper.get_by_role("link", name="In giấy ủy quyền").click()
    expect(heading(helper)).to_have_text("Giấy ủy quyền làm hồ sơ giúp tôi")
    expect(helper.get_by_text("Tôi là Lê Thị Tư", exact=False)).to_be_visible()
    assert_good_page(helper)
    helper.go_back()
    helper.get_by_role("button", name="Lưu ảnh và tiếp tục").click()  # no photo yet
    expect(helper.locator(".error-message")).to_contain_text("Chụp ảnh giấy ủy quyền")
    assert_good_page(helper)
    helper.get_by_label("Ảnh giấy ủy quyền đã ký").set_input_files(photo_of_paper(tmp_path, 5))
    helper.get_by_role("button", name="Lưu ảnh và tiếp tục").click()
    dossier_code = _fill_wizard(helper, javascript, tmp_path)

    client = live_app.test_client()
    sign_in_staff(client, role=OFFICER)
    office = open_page(f"/can-bo/ho-so/{dossier_code}", javascript=javascript,
                       cookies=session_cookies(client))
    expect(office.get_by_role("heading", name="Nộp với sự giúp đỡ của Trần Thị Hạnh")
           ).to_be_visible()
    assert_good_page(office)
    with office.expect_response(lambda r: "/giay-uy-quyen" in r.url) as seen:
        office.get_by_role("link", name="Mở ảnh giấy ủy quyền").click()
    assert seen.value.status == 200
