"""The whole journey of an online dossier on a phone, with JavaScript on and off.

Bà Tư applies for the monthly social allowance and a family registers a death: a wrong citizen
ID, a file that is not a photo, leaving half way and carrying on on another phone, a double tap
on "Send". Every step, error state and the receipt are checked with axe and for large text,
large targets, no sideways scrolling and no console or CSP errors.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_citizen
from tests.browser.conftest import (
    assert_good_page,
    horizontal_overflow,
)
from tests.dossiers.helpers import send, sign_in_again, signed_in_with_draft, submission_key
from tests.uploads.builders import encode, noise
from webapp.core.db import database
from webapp.dossiers.models import Dossier

pytestmark = pytest.mark.browser

STEP = re.compile(r"Bước \d+ trên \d+")


def session_cookie(live_app, citizen=None, **fields):
    """Sign a citizen in on a test client of the live app; hand its cookie to the browser."""
    client = live_app.test_client()
    if citizen is None:
        citizen = sign_in_citizen(client, **fields)
    else:
        sign_in_again(client, citizen)
    return citizen, {"session": client.get_cookie("session", domain="localhost").value}


def heading(page):
    return page.get_by_role("heading", level=1)


def continue_(page, javascript: bool, name: str = "Tiếp tục") -> None:
    """Press the step's main button and wait for the next step to be in place."""
    before = page.url
    page.get_by_role("button", name=name, exact=True).click()
    if javascript:
        expect(page).not_to_have_url(before)
    page.wait_for_load_state()


def expect_step(page, title: str, swapped: bool) -> None:
    """The step is shown with its position; `swapped`: htmx put it in place of the last one."""
    expect(heading(page)).to_contain_text(title)
    expect(page.locator(".step-count")).to_have_text(STEP)
    if swapped:  # and moved the focus to its heading
        expect(page.locator("h1")).to_be_focused()


def fill_date(page, day: str, month: str, year: str) -> None:
    page.get_by_label("Ngày", exact=True).fill(day)
    page.get_by_label("Tháng", exact=True).fill(month)
    page.get_by_label("Năm", exact=True).fill(year)


def photo_of_paper(tmp_path, seed: int = 3) -> str:
    path = tmp_path / f"giay-to-{seed}.jpg"
    path.write_bytes(encode(noise((1200, 900), seed), "JPEG", quality=80))
    return str(path)


SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


def upload(page, javascript: bool, path: str, side: str | None = None) -> None:
    """Choose a file (for one side of the paper: "mặt trước"); with JavaScript it goes up at
    once, without it the "Send this photo" button that then appears sends it."""
    chooser = page.get_by_label(re.compile(f"Chụp (lại )?ảnh {side}$") if side
                                else re.compile("Chụp ảnh giấy tờ|Thêm ảnh khác"))
    with page.expect_response(lambda r: "/giay-to/" in r.url and r.status == 200):
        chooser.set_input_files(path)
        if not javascript:
            chooser.locator("xpath=ancestor::form").get_by_role(
                "button", name="Gửi ảnh này lên").click()
    page.wait_for_function(SETTLED)


def send_with_a_double_tap(page) -> None:
    page.get_by_label(re.compile("Tôi cam đoan")).check()
    page.get_by_label(re.compile("Tôi đồng ý")).check()
    page.get_by_role("button", name="Gửi hồ sơ").dblclick()
    expect(heading(page)).to_have_text("Đã gửi hồ sơ")


def dossiers_of(live_app, citizen) -> list[Dossier]:
    with live_app.app_context(), database.connection_context():
        return list(Dossier.select().where(Dossier.citizen == citizen.id))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_ba_tu_applies_for_the_social_allowance(open_page, live_app, tmp_path, javascript):
    citizen, cookies = session_cookie(live_app, full_name="Nguyễn Thị Tư")
    page = open_page("/", javascript=javascript, cookies=cookies)
    page.get_by_role("link", name=re.compile("^Nộp hồ sơ trực tuyến")).click()
    assert_good_page(page)
    page.get_by_role("link", name=re.compile("^Xin trợ cấp xã hội hằng tháng")).click()
    expect(heading(page)).to_have_text("Xin trợ cấp xã hội hằng tháng")
    expect(page.get_by_role("heading", name="Ông/Bà cần chuẩn bị")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("button", name="Bắt đầu").click()

    # Name and phone come from her profile: the first question is her date of birth.
    expect(heading(page)).to_contain_text("Ngày sinh của người xin trợ cấp")
    expect(page.locator(".step-count")).to_have_text(STEP)
    assert_good_page(page)
    fill_date(page, "24", "11", "1953")
    continue_(page, javascript)

    expect_step(page, "Số thẻ căn cước", swapped=javascript)
    page.get_by_label(re.compile("Số thẻ căn cước")).fill("07205300123")
    page.get_by_role("button", name="Tiếp tục").click()  # stays on the step, with an error
    expect(page).to_have_title(re.compile("^Lỗi: "))
    expect(page.locator(".error-message")).to_contain_text("Ông/Bà đã nhập 11 chữ số")
    expect(page.get_by_label(re.compile("Số thẻ căn cước"))).to_have_value("07205300123")
    if javascript:
        expect(page.locator(".error-summary")).to_be_focused()
    assert_good_page(page)
    page.get_by_label(re.compile("Số thẻ căn cước")).fill("072 053 001 234")
    continue_(page, javascript)

    expect_step(page, "hoàn cảnh nào", swapped=javascript)
    assert_good_page(page)
    page.get_by_label(re.compile("Người cao tuổi thuộc hộ nghèo")).check()
    continue_(page, javascript)
    expect_step(page, "người có nghĩa vụ phụng dưỡng", swapped=javascript)
    if javascript:  # the phone's back gesture returns to the previous step, and forward again
        page.go_back()
        expect(heading(page)).to_contain_text("hoàn cảnh nào")
        page.go_forward()
        expect(heading(page)).to_contain_text("người có nghĩa vụ phụng dưỡng")
    page.get_by_label("Không", exact=True).check()
    continue_(page, javascript)
    expect_step(page, "nhận tiền trợ cấp", swapped=javascript)
    page.get_by_label(re.compile("Nhận tiền mặt")).check()
    continue_(page, javascript)
    # Where she lives is one page: the commune and the street, each with its own label.
    expect_step(page, "Nơi ở hiện nay", swapped=javascript)
    expect(page.get_by_text("Ông/Bà đang sống ở xã, phường nào?")).to_be_visible()
    assert_good_page(page)
    page.get_by_label("Hoặc chọn trong danh sách").select_option(index=1)
    chosen = page.get_by_label("Hoặc chọn trong danh sách").input_value()
    page.get_by_label("Địa chỉ nơi ở").fill("Ấp")  # too short: said beside the street only
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page).to_have_title(re.compile("^Lỗi: "))
    expect(page.locator("#address-error")).to_contain_text("Địa chỉ quá ngắn")
    expect(page.locator("#commune-error")).to_have_count(0)
    expect(page.get_by_label("Hoặc chọn trong danh sách")).to_have_value(chosen)  # kept
    expect(page.get_by_label("Địa chỉ nơi ở")).to_have_value("Ấp")
    assert_good_page(page)
    page.get_by_label("Địa chỉ nơi ở").fill("Ấp Thạnh Đông, số nhà 12")
    continue_(page, javascript)
    expect_step(page, "Ảnh thẻ căn cước", swapped=javascript)
    page.context.close()  # she puts the phone away...

    # ...and her granddaughter carries on with her, on another phone.
    _same, cookies = session_cookie(live_app, citizen)
    page = open_page("/ho-so-cua-toi", javascript=javascript, cookies=cookies)
    expect(page.get_by_role("heading", name="Hồ sơ đang làm dở")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("link", name="Xin trợ cấp xã hội hằng tháng", exact=True).click()
    expect(heading(page)).to_have_text("Ảnh thẻ căn cước của người xin trợ cấp")
    assert_good_page(page)

    not_a_photo = tmp_path / "ghi-chu.txt"
    not_a_photo.write_text("Đây không phải là ảnh")
    upload(page, javascript, str(not_a_photo), side="mặt trước")
    expect(page.locator(".error-message")).to_contain_text("Tệp này không phải là ảnh")
    expect(page).to_have_title(re.compile("^Lỗi: "))
    assert_good_page(page)
    upload(page, javascript, photo_of_paper(tmp_path), side="mặt trước")
    expect(page.get_by_role("heading", name="Mặt trước: đã chụp")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Ảnh mặt trước"))).to_be_visible()
    assert_good_page(page)
    page.get_by_role("button", name="Tiếp tục").click()  # the back is missing: said so
    expect(page.locator(".error-message")).to_contain_text("Còn thiếu: mặt sau")
    upload(page, javascript, photo_of_paper(tmp_path, seed=8), side="mặt sau")
    expect(page.get_by_role("heading", name="Mặt sau: đã chụp")).to_be_visible()
    continue_(page, javascript)  # "other papers, if any" is offered on the check page

    expect(heading(page)).to_have_text("Kiểm tra lại thông tin trước khi gửi")
    other_papers = re.compile(r"^Thêm ảnh\s*: Ảnh giấy tờ khác")  # optional: offered here
    expect(page.get_by_role("link", name=other_papers)).to_be_visible()
    expect(page.locator(".summary").first).to_contain_text("Nguyễn Thị Tư")
    expect(page.locator(".summary").first).to_contain_text("24/11/1953")
    assert_good_page(page)
    # The declaration is at the foot of the check page: no screen of its own.
    expect(page.get_by_role("heading", name="Cam đoan và đồng ý")).to_be_visible()
    page.get_by_role("button", name="Gửi hồ sơ").click()
    expect(page).to_have_title(re.compile("^Lỗi: "))  # the boxes were not ticked
    expect(heading(page)).to_have_text("Kiểm tra lại thông tin trước khi gửi")
    expect(page.locator(".summary").first).to_contain_text("Nguyễn Thị Tư")  # answers kept
    assert_good_page(page)
    send_with_a_double_tap(page)

    expect(page.locator(".dossier-code")).to_have_text(re.compile(r"^TN-"))  # the receipt
    code = page.locator(".dossier-code").inner_text()
    assert re.fullmatch(r"TN-[2-9A-Y]{3}-[2-9A-Y]{4}", code)
    expect(page.locator(".qr svg")).to_be_visible()
    assert_good_page(page)
    assert [d.code for d in dossiers_of(live_app, citizen)] == [code]
    page.get_by_role("button", name="A++").click()  # the largest text: still no sideways scroll
    expect(page.locator(".dossier-code")).to_have_text(code)
    assert horizontal_overflow(page) == 0
    page.goto(f"/tra-cuu-ho-so/{code}")
    assert_good_page(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_family_registers_a_death(open_page, live_app, tmp_path, javascript):
    citizen, cookies = session_cookie(live_app, full_name="Trần Văn Lạc")
    page = open_page("/thu-tuc/dang-ky-khai-tu", javascript=javascript, cookies=cookies)
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    assert_good_page(page)
    page.get_by_role("button", name="Bắt đầu").click()

    expect_step(page, "Số thẻ căn cước của người đi khai tử", swapped=False)
    page.get_by_label(re.compile("Số thẻ căn cước")).fill("385 123 456")  # his old ID card
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator(".error-message")).to_contain_text("chứng minh nhân dân cũ 9 chữ số")
    assert_good_page(page)
    page.get_by_label(re.compile("Số thẻ căn cước")).fill("080066001234")
    continue_(page, javascript)
    expect_step(page, "là gì của người đã mất", swapped=javascript)
    page.get_by_label("Con", exact=True).check()
    continue_(page, javascript)
    expect_step(page, "Họ và tên người đã mất", swapped=javascript)
    page.get_by_label(re.compile("Họ và tên người đã mất")).fill("trần văn an")
    continue_(page, javascript)
    expect_step(page, "Ngày sinh của người đã mất", swapped=javascript)
    fill_date(page, "15", "06", "1940")
    continue_(page, javascript)
    expect_step(page, "Số thẻ căn cước của người đã mất", swapped=javascript)
    assert_good_page(page)
    continue_(page, javascript)  # optional: left empty
    expect_step(page, "Ngày mất", swapped=javascript)
    fill_date(page, "31", "02", "2026")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator(".error-message")).to_contain_text("Không có ngày này")
    assert_good_page(page)
    fill_date(page, "03", "10", "2026")
    continue_(page, javascript)
    expect_step(page, "Nơi mất", swapped=javascript)
    page.get_by_label("Nơi mất").fill("Bệnh viện Đa khoa tỉnh Tây Ninh")
    continue_(page, javascript)
    expect_step(page, "cư trú ở xã, phường nào", swapped=javascript)
    page.context.close()  # the funeral comes first; he carries on two days later, on a tablet

    _same, cookies = session_cookie(live_app, citizen)
    page = open_page("/nop-ho-so", javascript=javascript, cookies=cookies)
    page.get_by_role("link", name="Đăng ký khai tử (làm giấy chứng tử)", exact=True).click()
    expect_step(page, "cư trú ở xã, phường nào", swapped=False)
    page.get_by_label("Hoặc chọn trong danh sách").select_option(index=2)
    continue_(page, javascript)

    expect_step(page, "Ảnh giấy báo tử", swapped=javascript)
    scan = tmp_path / "giay-bao-tu.docx"
    scan.write_bytes(b"PK\x03\x04 a word-processor file, not a photo")
    upload(page, javascript, str(scan))
    expect(page.locator(".error-message")).to_contain_text("Tệp này không phải là ảnh")
    assert_good_page(page)
    upload(page, javascript, photo_of_paper(tmp_path, seed=4))
    upload(page, javascript, photo_of_paper(tmp_path, seed=5))
    expect(page.get_by_role("heading", name="Đã thêm 2 ảnh")).to_be_visible()
    assert_good_page(page)
    continue_(page, javascript)
    expect_step(page, "Ảnh thẻ căn cước của người đi khai tử", swapped=javascript)
    page.get_by_role("button", name="Tiếp tục").click()  # stays on the step, with an error
    expect(page.locator(".error-message")).to_contain_text("Còn thiếu: mặt trước, mặt sau")
    assert_good_page(page)
    upload(page, javascript, photo_of_paper(tmp_path, seed=6), side="mặt trước")
    upload(page, javascript, photo_of_paper(tmp_path, seed=7), side="mặt sau")
    continue_(page, javascript)

    expect(heading(page)).to_have_text("Kiểm tra lại thông tin trước khi gửi")
    expect(page.locator(".summary").first).to_contain_text("Trần Văn An")
    page.get_by_role("link", name=re.compile(r"^Thay đổi\s*: Nơi mất$")).click()
    expect(heading(page)).to_have_text("Nơi mất")
    page.get_by_label("Nơi mất").fill("Tại nhà, ấp Thạnh Đông")
    continue_(page, javascript)
    expect(heading(page)).to_have_text("Kiểm tra lại thông tin trước khi gửi")
    expect(page.locator(".summary").first).to_contain_text("Tại nhà, ấp Thạnh Đông")
    assert_good_page(page)
    send_with_a_double_tap(page)  # the declaration is at the foot of the check page
    assert_good_page(page)
    assert len(dossiers_of(live_app, citizen)) == 1


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_anyone_can_look_up_a_dossier_with_code_and_phone(open_page, live_app, javascript):
    client = live_app.test_client()
    citizen, check_path = signed_in_with_draft(client)
    receipt = send(client, check_path, submission_key(client, check_path)).location
    code = receipt.rsplit("/", 1)[1]

    page = open_page("/", javascript=javascript)  # another phone, nobody signed in
    page.get_by_role("link", name=re.compile("^Tra cứu hồ sơ")).click()
    assert_good_page(page)
    page.get_by_label("Mã hồ sơ").fill(code.lower())
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page).to_have_title(re.compile("^Lỗi: "))
    expect(page.locator(".error-summary")).to_contain_text("Không có hồ sơ nào")
    assert_good_page(page)
    page.get_by_label("Số điện thoại").fill(citizen.phone)
    page.get_by_role("button", name="Tra cứu").click()
    expect(heading(page)).to_have_text(f"Hồ sơ {code}")
    expect(page.locator(".status-now")).to_have_text("Đã gửi, chờ tiếp nhận")
    expect(page.locator(".timeline")).to_contain_text("Đã gửi hồ sơ")
    assert_good_page(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("path", ["/nop-ho-so", "/nop-ho-so/tro-cap-huu-tri-xa-hoi",
                                  "/tra-cuu-ho-so?ma=TN-7K4-Q2M9"])
def test_pages_before_signing_in_are_accessible(open_page, path, javascript):
    page = open_page(path, javascript=javascript)
    assert_good_page(page)


def test_the_status_card_refreshes_itself_and_stops_when_final(open_page, live_app, monkeypatch):
    from tests.dossiers.test_tracking import move
    from webapp.dossiers import lifecycle, tracking_views

    monkeypatch.setattr(tracking_views, "POLL_SECONDS", 1)
    client = live_app.test_client()
    citizen, check_path = signed_in_with_draft(client)
    code = send(client, check_path, submission_key(client, check_path)).location.rsplit("/", 1)[1]
    _same, cookies = session_cookie(live_app, citizen)
    page = open_page(f"/tra-cuu-ho-so/{code}", cookies=cookies)
    expect(page.locator(".status-now")).to_have_text("Đã gửi, chờ tiếp nhận")
    with live_app.app_context(), database.connection_context():
        dossier = Dossier.get(Dossier.code == code)
    move(live_app, dossier, lifecycle.RECEIVED)
    expect(page.locator(".status-now")).to_have_text("Đã tiếp nhận, đang xử lý")
    expect(page.locator(".timeline")).to_contain_text("Đã nhận hồ sơ")
    # A decided dossier's card is answered with htmx's "stop polling" status, 286.
    with page.expect_response(lambda response: "the-trang-thai" in response.url
                              and response.status == 286, timeout=20000):
        move(live_app, dossier, lifecycle.APPROVED, "Mời Ông/Bà đến xã nhận quyết định.")
    expect(page.locator(".status-now")).to_have_text("Đã có kết quả")
    expect(page.locator("#status-card")).not_to_have_attribute("hx-trigger", re.compile("."))
    assert_good_page(page)


@pytest.mark.parametrize("look", ["dark", "high-contrast"])
def test_steps_and_receipt_read_well_in_dark_and_high_contrast(open_page, live_app, look):
    client = live_app.test_client()
    citizen, check_path = signed_in_with_draft(client)
    _same, cookies = session_cookie(live_app, citizen)
    options = ({"color_scheme": "dark"} if look == "dark"
               else {"cookies": {**cookies, "contrast": "high"}})
    page = open_page(check_path, **{"cookies": cookies, **options})
    assert_good_page(page)
    page.goto(check_path.replace("/kiem-tra", "/cau-hoi/citizen-id"))
    page.get_by_label(re.compile("Số thẻ căn cước")).fill("12")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator(".error-message")).to_be_visible()
    assert_good_page(page)
    page.goto(check_path.replace("/kiem-tra", "/giay-to/citizen-id-card"))
    assert_good_page(page)
    page.goto(check_path.replace("/kiem-tra", "/gui"))
    send_with_a_double_tap(page)
    assert_good_page(page)


def test_upload_progress_shows_on_a_slow_connection(open_page, live_app, tmp_path):
    _citizen, cookies = session_cookie(live_app, full_name="Nguyễn Thị Tư")
    page = open_page("/nop-ho-so/tro-cap-xa-hoi-hang-thang", cookies=cookies)
    page.get_by_role("button", name="Bắt đầu").click()
    paper = page.url.split("/cau-hoi/")[0] + "/giay-to/citizen-id-card"
    page.goto(paper)
    big = tmp_path / "anh-lon.jpg"
    big.write_bytes(encode(noise((900, 700), 9), "JPEG", quality=90))  # about 0.5 MB
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {  # about a slow 3G upload
        "offline": False, "latency": 100, "downloadThroughput": 200_000,
        "uploadThroughput": 150_000})
    page.get_by_label("Chụp ảnh mặt trước").set_input_files(str(big))
    status = page.locator("[data-upload-status]").first  # the front's, the one sending
    expect(status).to_be_visible()
    expect(status).to_contain_text("Đang gửi ảnh")
    expect(page.get_by_role("heading", name="Mặt trước: đã chụp")).to_be_visible(timeout=30_000)
    assert page.problems == []
