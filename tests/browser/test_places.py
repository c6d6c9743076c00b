"""Following a dossier and finding one's way, as a 72-year-old would, at 360x740 (and 320 px),
at A and A++, with JavaScript on and off, every state axe-clean (issue 11, items 6 to 9 and
the old address she knows)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_citizen
from tests.browser.conftest import assert_good_page, settle
from tests.dossiers.helpers import BIRTH_1953, CITIZEN_ID_1953, answer, start
from webapp.accounts.models import Citizen
from webapp.core.db import database
from webapp.dossiers.models import DossierDraft

pytestmark = pytest.mark.browser

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
TEXT = pytest.mark.parametrize("text", ["a", "a2"], ids=["A", "A++"])
OLD_ADDRESS = "ấp Bình Phong, xã Thái Bình, huyện Châu Thành, tỉnh Tây Ninh"
CHAU_THANH = re.compile("^Xã Châu Thành")


def signed_in(live_app, **fields):
    """A citizen signed in on a test client of the live app, and the browser's cookie."""
    client = live_app.test_client()
    citizen = sign_in_citizen(client, **fields)
    return client, citizen, {"session": client.get_cookie("session", domain="localhost").value}


def cookies(text: str, more: dict | None = None) -> dict:
    return {"text": text, **(more or {})}


def find_old_address(page, javascript: bool, box_label: str, address: str = OLD_ADDRESS):
    """Type the old address; with htmx the proposals come as she types, else she taps Find."""
    box = page.get_by_label(box_label)
    if javascript:
        box.press_sequentially(address, delay=5)
    else:
        box.fill(address)
        page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.get_by_label(CHAU_THANH)).to_be_visible()
    settle(page)


# --- 6 and 7: the phone numbers page ------------------------------------------------------

TARGET_AREAS_JS = """
() => Array.from(document.querySelectorAll('a, button, input, select, textarea, summary'))
  .filter(el => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1
                  && el.type !== 'hidden'; })
  .map(el => { const r = el.getBoundingClientRect();
               return [el.classList.contains('emergency-call'), el.outerHTML.slice(0, 60),
                       Math.round(r.width * r.height), Math.round(r.height)]; })
"""


@JS
@TEXT
@pytest.mark.parametrize("width", [320, 360])
def test_emergency_numbers_are_the_largest_targets_and_no_placeholder_shows(
        open_page, javascript, text, width):
    page = open_page("/so-dien-thoai-can-biet", javascript=javascript, cookies=cookies(text))
    page.set_viewport_size({"width": width, "height": 740})
    for number in ("113", "114", "115", "111"):
        expect(page.locator(f'a.emergency-call[href="tel:{number}"]')).to_be_visible()
    areas = page.evaluate(TARGET_AREAS_JS)
    emergency = [area for is_emergency, _html, area, _h in areas if is_emergency]
    others = [(area, html) for is_emergency, html, area, _h in areas if not is_emergency]
    assert len(emergency) == 4
    assert min(emergency) > max(others)[0], (min(emergency), max(others))
    assert min(h for is_emergency, _html, _area, h in areas if is_emergency) >= 96
    body = page.locator("body").inner_text()
    assert "1022" not in body and "cần xác nhận" not in body
    assert_good_page(page)


@JS
@TEXT
def test_she_finds_her_one_stop_shop_from_her_old_address(open_page, javascript, text):
    page = open_page("/so-dien-thoai-can-biet", javascript=javascript, cookies=cookies(text))
    find_old_address(page, javascript, "Gõ tên xã, phường, hoặc địa chỉ cũ ghi trên căn cước")
    expect(page.locator(".commune-proposals legend")).to_contain_text(
        "Xã Thái Bình, Huyện Châu Thành, Tỉnh Tây Ninh được chia cho các xã, phường")
    expect(page.get_by_label(re.compile("^Phường Tân Ninh"))).to_be_visible()
    assert_good_page(page)
    page.get_by_label(CHAU_THANH).check()
    page.get_by_role("button", name="Xem nơi làm thủ tục").click()
    where = page.get_by_role("heading", name="Bộ phận một cửa Xã Châu Thành")
    expect(where).to_be_visible()
    # No address is confirmed yet: the page says so, and what to do, rather than a placeholder.
    expect(page.locator(".where-to-go")).to_contain_text("chưa có địa chỉ, giờ làm việc")
    assert_good_page(page)


@JS
def test_an_empty_choice_is_explained_beside_the_picker(open_page, javascript):
    page = open_page("/so-dien-thoai-can-biet", javascript=javascript)
    page.get_by_role("button", name="Xem nơi làm thủ tục").click()
    expect(page).to_have_title(re.compile("^Lỗi: "))
    expect(page.locator("#xa-error")).to_contain_text("gõ tên xã, phường")
    assert_good_page(page)


# --- The old address in the wizard's commune question and in the profile --------------------


def commune_question(live_app) -> tuple[str, str, dict]:
    client, _citizen, cookie = signed_in(live_app, full_name="Nguyễn Thị Tư")
    path = answer(client, start(client), date_of_birth=BIRTH_1953)
    path = answer(client, path, citizen_id=CITIZEN_ID_1953)
    for fields in ({"situation": "older_poor"}, {"has_supporter": "no"}, {"payment": "cash"}):
        path = answer(client, path, **fields)
    return path, path.split("/")[2], cookie


@JS
@TEXT
def test_the_wizard_takes_the_old_address_on_her_id_card(open_page, live_app, javascript, text):
    path, token, cookie = commune_question(live_app)
    page = open_page(path, javascript=javascript, cookies=cookies(text, cookie))
    # The commune shares the page "Nơi ở hiện nay" with the street: "Tìm" keeps the street.
    expect(page.get_by_role("heading", level=1)).to_have_text("Nơi ở hiện nay")
    assert_good_page(page)
    page.get_by_label("Địa chỉ nơi ở").fill("Ấp Bình Phong, số nhà 3")
    find_old_address(page, javascript, "Gõ tên xã, phường, hoặc địa chỉ cũ ghi trên căn cước")
    expect(page.get_by_label("Địa chỉ nơi ở")).to_have_value("Ấp Bình Phong, số nhà 3")
    assert_good_page(page)
    page.get_by_role("button", name="Tiếp tục").click()  # nothing chosen yet
    expect(page).to_have_title(re.compile("^Lỗi: "))
    expect(page.get_by_label(CHAU_THANH)).to_be_visible()  # the proposals stay
    assert_good_page(page)
    page.get_by_label(CHAU_THANH).check()
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ảnh thẻ căn cước")
    with live_app.app_context(), database.connection_context():
        answers = DossierDraft.get(DossierDraft.token == token).answers
    assert (answers["commune"], answers["address"]) == ("25585", "Ấp Bình Phong, số nhà 3")


@JS
@TEXT
def test_the_profile_takes_the_old_address_and_keeps_what_was_typed(open_page, live_app,
                                                                   javascript, text):
    _client, citizen, cookie = signed_in(live_app)
    page = open_page("/tai-khoan/thong-tin", javascript=javascript, cookies=cookies(text, cookie))
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Tư")
    box = page.get_by_label("Gõ tên xã, phường, hoặc địa chỉ cũ ghi trên căn cước")
    box.fill("xa hao duoc huyen chau thanh")
    page.get_by_role("button", name="Tìm", exact=True).click()  # a plain form, JS or not
    expect(page.get_by_label(re.compile("^Xã Hảo Đước"))).to_be_checked()  # the only one
    expect(page.get_by_label("Họ và tên")).to_have_value("Nguyễn Thị Tư")
    assert_good_page(page)
    page.get_by_role("button", name="Lưu thông tin").click()
    expect(page.get_by_text("Thông tin của Ông/Bà đã được lưu.")).to_be_visible()
    with live_app.app_context(), database.connection_context():
        saved = Citizen.get_by_id(citizen.id)
        assert (saved.full_name, saved.commune.name) == ("Nguyễn Thị Tư", "Xã Hảo Đước")
    assert_good_page(page)


# --- 8: where and how each procedure can be done ---------------------------------------------


@JS
@TEXT
def test_each_procedure_says_where_and_how_it_can_be_done(open_page, javascript, text):
    page = open_page("/thu-tuc/nhom/ket-hon", javascript=javascript, cookies=cookies(text))
    marriage = page.get_by_role("link", name=re.compile("^Đăng ký kết hôn"))
    expect(marriage).to_contain_text("Nộp trực tuyến trên: Cổng Dịch vụ công quốc gia")
    expect(page.get_by_role("link", name=re.compile("tình trạng hôn nhân"))).to_contain_text(
        "Nộp trực tuyến tại đây")
    expect(page.get_by_text("Nộp được trực tuyến")).to_have_count(0)
    assert_good_page(page)
    marriage.click()
    expect(page.get_by_text("Thủ tục này chưa nộp được trên trang này.")).to_be_visible()
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_have_count(0)
    expect(page.get_by_role("link", name="dichvucong.gov.vn")).to_be_visible()
    assert_good_page(page)
    page.goto("/thu-tuc/tro-cap-xa-hoi-hang-thang")
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_be_visible()
    expect(page.get_by_text("Trực tuyến, ngay tại đây:")).to_be_visible()
    assert_good_page(page)


# --- 9: a few strong matches, and the first in sight above the keyboard -----------------------

KEYBOARD = {"width": 360, "height": 400}  # 360x740 with the on-screen keyboard open
FIRST_IN_SIGHT_JS = """
() => { const box = document.querySelector('#q').getBoundingClientRect();
        const first = document.querySelector('#search-results .result-title')
                              .getBoundingClientRect();
        return [box.top, box.bottom, first.top, first.bottom, window.innerHeight]; }
"""


@JS
@TEXT
def test_the_first_result_stays_in_sight_above_the_keyboard(open_page, javascript, text):
    page = open_page("/thu-tuc/", javascript=javascript, cookies=cookies(text))
    box = page.get_by_label("Ông/Bà cần làm thủ tục gì?")
    if javascript:
        page.set_viewport_size(KEYBOARD)  # the keyboard opens as she taps the box
        box.click()
        box.press_sequentially("tro cap nguoi gia", delay=20)
        expect(page.locator("#search-results .result-title").first).to_have_text(
            "Xin trợ cấp xã hội hằng tháng")
        page.wait_for_function("() => window.scrollY > 0")  # app.js brought it into sight
    else:
        box.fill("tro cap nguoi gia")
        box.press("Enter")
        expect(page).to_have_url(re.compile(r"/thu-tuc/tim-kiem\?q=tro\+cap\+nguoi\+gia#q$"))
        settle(page)
        page.set_viewport_size(KEYBOARD)  # she taps the box again to change her words
        box.focus()
    box_top, box_bottom, first_top, first_bottom, height = page.evaluate(FIRST_IN_SIGHT_JS)
    assert 0 <= box_top and box_bottom <= height  # what she types is in sight...
    assert box_bottom <= first_top and first_bottom <= height  # ...and the first result too
    page.set_viewport_size({"width": 360, "height": 740})
    expect(page.get_by_role("heading", name="Tìm thấy 3 thủ tục")).to_be_visible()
    expect(page.get_by_role("heading", name="Có thể Ông/Bà cần")).to_be_visible()
    assert page.locator("#search-results .result-title").count() <= 9
    assert_good_page(page)
