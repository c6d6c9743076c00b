"""Anh Minh returns a dossier on time, and the citizen is told at every step.

An officer (desktop, JavaScript on) takes a dossier from the queue, receives it and asks for a
paper; the citizen (a phone, in another browser context, with or without JavaScript) looks the
dossier up with its code and phone number, reads what is missing, sends a photo through the
same kind of page as the wizard's; the officer sees it, approves with the result attached and
hands it over; the citizen sees each step, then rates the service. Every page on the way is
checked like every other page (axe, 20 px text, 48 px targets, no sideways scrolling).
"""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_staff
from tests.backoffice.conftest import first_commune, make_citizen, make_dossier
from tests.browser.conftest import (
    assert_good_page,
    session_cookies,
)
from webapp.core.db import database

pytestmark = pytest.mark.browser

MISSING = "Ảnh giấy khai sinh bị mờ. Ông/Bà chụp lại ở chỗ sáng giúp."


def photo_file(tmp_path):
    path = tmp_path / "giay-khai-sinh.jpg"
    Image.new("RGB", (900, 600), (240, 238, 230)).save(path, "JPEG")
    return path


def messages_to(live_app, phone):
    from webapp.notifications.models import OutboxMessage

    with live_app.app_context(), database.connection_context():
        return [(m.template, m.text) for m in OutboxMessage.select()
                .where(OutboxMessage.phone == phone).order_by(OutboxMessage.id)]


@pytest.fixture
def case(live_app):
    """A dossier just sent by Bà Tư, and Anh Minh signed in as the officer of her commune."""
    with live_app.app_context(), database.connection_context():
        commune = first_commune(2)
        citizen = make_citizen(full_name="Nguyễn Thị Tư", phone=None)
        dossier = make_dossier(commune=commune, citizen=citizen, contact_phone="0912876543")
    client = live_app.test_client()
    sign_in_staff(client, role="officer", communes=[commune], full_name="Trần Văn Minh",
                  phone="0987654321")
    return {"code": dossier.code, "phone": "0912876543", "officer": session_cookies(client)}


def citizen_sees(citizen, words):
    citizen.reload()
    expect(citizen.locator("#status-card")).to_contain_text(words)


@pytest.mark.parametrize("citizen_javascript", [True, False], ids=["citizen-js",
                                                                   "citizen-nojs"])
def test_an_officer_returns_a_dossier_and_the_citizen_follows_and_rates_it(
        open_page, live_app, case, tmp_path, citizen_javascript):
    code = case["code"]
    officer = open_page(f"/can-bo/ho-so/?q={code}", viewport="desktop",
                        cookies=case["officer"])
    assert_good_page(officer)
    officer.locator(".queue-link", has_text=code).click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text(code)
    officer.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã tiếp nhận hồ sơ")
    assert_good_page(officer)

    # Bà Tư looks her dossier up on her phone with the code and her phone number.
    citizen = open_page("/tra-cuu-ho-so", javascript=citizen_javascript)
    citizen.get_by_label("Mã hồ sơ").fill(code)
    citizen.get_by_label("Số điện thoại").fill(case["phone"])
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.locator("#status-card")).to_contain_text("Đã tiếp nhận, đang xử lý")

    officer.get_by_role("link", name="Yêu cầu bổ sung giấy tờ").click()
    officer.get_by_label("Giấy tờ hoặc thông tin khác (ghi rõ ở ô bên dưới)").check()
    officer.get_by_label("Còn thiếu giấy tờ gì?").fill(MISSING)
    assert_good_page(officer)
    officer.get_by_role("button", name="Gửi yêu cầu cho công dân").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã gửi yêu cầu")
    expect(officer.locator(".dossier-status")).to_contain_text("Tạm dừng tính hạn")

    citizen_sees(citizen, "Cần Ông/Bà bổ sung giấy tờ")
    expect(citizen.locator("#status-card")).to_contain_text(MISSING)
    expect(citizen.locator('#status-card a[href^="tel:0987654321"]').first).to_be_visible()
    assert_good_page(citizen)
    citizen.get_by_role("link", name="Bổ sung giấy tờ").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Bổ sung giấy tờ")
    assert_good_page(citizen)
    citizen.get_by_label("Chụp ảnh giấy tờ").set_input_files(str(photo_file(tmp_path)))
    citizen.get_by_label("Ông/Bà muốn nhắn gì cho xã? (không bắt buộc)").fill(
        "Tôi đã chụp lại ảnh rõ hơn.")
    citizen.get_by_role("button", name="Gửi cho xã").click()
    expect(citizen.locator(".notice--success[role=status]")).to_contain_text(
        "Giấy tờ bổ sung đã được gửi")
    expect(citizen.locator("#status-card")).to_contain_text("Đã bổ sung giấy tờ, đang xử lý")
    assert_good_page(citizen)

    # Back at the office: the new photo and the citizen's words are on the dossier.
    officer.reload()
    expect(officer.locator(".dossier-status")).to_contain_text("Đã bổ sung giấy tờ")
    expect(officer.locator(".paper-grid img")).to_have_count(1)
    expect(officer.locator("#history ~ .history-list")).to_contain_text(
        "Tôi đã chụp lại ảnh rõ hơn.")
    officer.locator(".paper-link").first.click()
    officer.get_by_role("link", name="Xoay phải").click()
    expect(officer).to_have_url(re.compile(r"xoay=90"))
    assert_good_page(officer)
    officer.get_by_role("link", name="Quay lại hồ sơ").click()
    officer.get_by_role("link", name="Phê duyệt và đính kèm kết quả").click()
    officer.get_by_label("Nội dung kết quả (không bắt buộc nếu đã đính kèm tệp)").fill(
        "Giấy xác nhận tình trạng hôn nhân đã có.")
    officer.get_by_role("button", name="Phê duyệt và báo cho công dân").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã phê duyệt hồ sơ")

    citizen_sees(citizen, "Giấy xác nhận tình trạng hôn nhân đã có.")
    expect(citizen.locator("#status-card")).to_contain_text("Mời Ông/Bà đến nhận tại")
    assert_good_page(citizen)
    citizen.get_by_label("Rất hài lòng").check()
    citizen.get_by_label("Góp ý thêm (không bắt buộc)").fill("Cán bộ nhiệt tình.")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.locator("#danh-gia")).to_contain_text("Ông/Bà đã đánh giá: Rất hài lòng.")
    assert_good_page(citizen)

    officer.get_by_role("link", name="Đã trả kết quả").click()
    officer.get_by_label("Công dân đã nhận tại bộ phận một cửa").check()
    officer.get_by_role("button", name="Ghi nhận đã trả kết quả").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã trả kết quả. Hồ sơ đã hoàn tất.")
    expect(officer.locator("#rating-heading")).to_be_visible()
    assert_good_page(officer)
    citizen_sees(citizen, "Kết quả đã được trả.")

    # She was told at every step, in plain Vietnamese, with the code and Anh Minh's number.
    sent = messages_to(live_app, case["phone"])
    assert [template for template, _text in sent][-5:] == [
        "dossier_received", "dossier_papers_requested", "dossier_papers_added",
        "dossier_result_pickup", "dossier_returned"]
    assert all(code in text and "0987654321" in text for _template, text in sent[-5:])


@pytest.fixture
def waiting_and_decided(live_app):
    """Bà Tư signed in, with one dossier waiting for her papers and one decided."""
    from tests.accounts.helpers import sign_in_citizen
    from webapp.dossiers import steps
    from webapp.tracking.lifecycle import Move

    client = live_app.test_client()
    citizen = sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    with live_app.app_context():
        commune = first_commune(2)
    officer = sign_in_staff(live_app.test_client(), communes=[commune], phone="0987654321")
    with live_app.app_context(), database.connection_context():
        waiting = make_dossier(commune=commune, citizen=citizen)
        decided = make_dossier(commune=commune, citizen=citizen)
        for dossier in (waiting, decided):
            steps.perform(dossier, Move("receive", 1, staff=officer))
        steps.perform(waiting, Move("request_papers", 2, staff=officer, public_message=MISSING))
        steps.perform(decided, Move("refuse", 2, staff=officer,
                                 public_message="Hồ sơ không thuộc thẩm quyền của xã."))
    return {"cookies": session_cookies(client), "waiting": waiting.code,
            "decided": decided.code}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_citizens_forms_sent_empty_say_what_to_do(open_page, waiting_and_decided,
                                                      javascript):
    codes, cookies = waiting_and_decided, waiting_and_decided["cookies"]
    page = open_page(f"/tra-cuu-ho-so/{codes['waiting']}/bo-sung", cookies=cookies,
                     javascript=javascript)
    page.get_by_role("button", name="Gửi cho xã").click()
    expect(page).to_have_title(re.compile(r"^Lỗi:"))
    expect(page.locator(".error-summary")).to_contain_text("Vui lòng chụp ảnh giấy tờ")
    assert_good_page(page)
    page = open_page(f"/tra-cuu-ho-so/{codes['decided']}", cookies=cookies,
                     javascript=javascript)
    expect(page.locator("#danh-gia")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page).to_have_title(re.compile(r"^Lỗi:"))
    expect(page.locator("#score-error")).to_contain_text("Vui lòng chọn một trong năm khuôn mặt.")
    assert_good_page(page)
