"""A citizen signs in by phone code and by Zalo (the fake provider), JavaScript on and off;
every sign-in page and error state is accessible; staff sign in with password and TOTP."""

from __future__ import annotations

import re
import threading

import pyotp
import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.accounts.helpers import create_staff, unique_phone
from tests.accounts.outbox import last_code_to
from tests.browser.conftest import (
    assert_good_page,
    axe_violations,
    contrast_violations,
    horizontal_overflow,
)
from tests.conftest import make_app, prepare_database
from tests.fakes.server import serve_wsgi
from tests.fakes.zalo import FakeZalo, FakeZaloUser
from webapp.accounts import staff as accounts_staff
from webapp.core.db import database

pytestmark = pytest.mark.browser
JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
PASSWORD = "mot cau de nho 2026"


@pytest.fixture(scope="module")
def fake_zalo():
    fake = FakeZalo()
    with serve_wsgi(fake) as url:
        fake.url = url
        yield fake


@pytest.fixture(scope="module")
def server(tmp_path_factory, fake_zalo):
    """The app with Zalo login configured against the fake Zalo, served on a free port."""
    url = f"sqlite:///{tmp_path_factory.mktemp('accounts') / 'live.db'}"
    prepare_database(url)
    app = make_app(url, SERVER_NAME=None, ZALO_APP_ID=fake_zalo.app_id,
                   ZALO_SECRET_KEY=fake_zalo.secret_key, ZALO_OAUTH_BASE=fake_zalo.url,
                   ZALO_GRAPH_BASE=fake_zalo.url)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    http.app, http.base = app, f"http://127.0.0.1:{http.server_port}"
    app.config["PUBLIC_BASE_URL"] = http.base  # Zalo sends the browser back here
    yield http
    http.shutdown()


def code_sent_to(server, phone: str) -> str:
    with server.app.app_context(), database.connection_context():
        return last_code_to(phone)


def _type_phone_and_send(page, phone: str) -> None:
    page.get_by_label("Số điện thoại di động của Ông/Bà").fill(phone)
    page.get_by_role("button", name="Gửi mã").click()


def _type_code_and_confirm(page, code: str) -> None:
    page.get_by_label("Nhập mã xác nhận").fill(code)
    page.get_by_role("button", name="Xác nhận").click()


@JS
def test_a_citizen_signs_in_with_a_code_by_phone_and_signs_out(open_page, server, javascript):
    page = open_page(f"{server.base}/thu-tuc/", javascript=javascript)
    page.get_by_role("link", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    assert_good_page(page)
    phone = unique_phone()
    _type_phone_and_send(page, f"{phone[:4]} {phone[4:7]} {phone[7:]}")
    expect(page.get_by_text("Mã xác nhận đã được gửi đến số")).to_contain_text(
        f"{phone[:4]} *** {phone[7:]}. Mã có hiệu lực trong 5 phút.")
    assert_good_page(page)
    _type_code_and_confirm(page, code_sent_to(server, phone))
    expect(page).to_have_url(re.compile(r"/thu-tuc/$"))  # back where the citizen was
    page.get_by_role("link", name="Tài khoản của tôi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")
    assert_good_page(page)
    page.get_by_role("button", name="Đăng xuất khỏi thiết bị này").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ông/Bà đã đăng xuất")
    assert_good_page(page)
    page.goto(f"{server.base}/tai-khoan")
    expect(page).to_have_url(re.compile(r"/dang-nhap\?next=/tai-khoan$"))


def test_in_development_the_code_is_read_on_the_messages_page(open_page, server):
    """No SMS leaves a development machine: the code page links to where the code shows."""
    page = open_page(f"{server.base}/dang-nhap", javascript=False)
    phone = unique_phone()
    _type_phone_and_send(page, phone)
    page.get_by_role("link", name="Xem các tin nhắn lẽ ra đã được gửi").click()
    page.get_by_role("button", name="Gửi ngay").click()
    shown = f"{phone[:4]} {phone[4:7]} {phone[7:]}"
    message = page.locator(".dev-message", has_text=f"Gửi tới {shown}").first.inner_text()
    code = re.search(r"(\d{6}) là mã đăng nhập Tây Ninh Smart", message).group(1)
    page.go_back()
    page.go_back()
    _type_code_and_confirm(page, code)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")


@JS
def test_sign_in_errors_are_explained_and_accessible(open_page, server, javascript):
    page = open_page(f"{server.base}/dang-nhap", javascript=javascript)
    _type_phone_and_send(page, "0276 3822 123")
    expect(page).to_have_title(re.compile(r"^Lỗi: "))
    expect(page.locator("#phone-error")).to_contain_text("Đây là số máy bàn")
    expect(page.get_by_label("Số điện thoại di động của Ông/Bà")).to_have_value("0276 3822 123")
    if javascript:
        expect(page.locator(".error-summary")).to_be_focused()
    assert_good_page(page)
    phone = unique_phone()
    _type_phone_and_send(page, phone)
    wrong = f"{(int(code_sent_to(server, phone)) + 1) % 1_000_000:06d}"
    _type_code_and_confirm(page, wrong)
    expect(page.locator("#code-error")).to_contain_text("Ông/Bà còn 4 lần thử")
    assert_good_page(page)
    page.get_by_role("button", name="Gửi lại mã").click()
    expect(page.locator("#code-error")).to_contain_text("Xin đợi")
    assert_good_page(page)


@JS
def test_a_citizen_signs_in_with_zalo_giving_the_phone_once(open_page, server, fake_zalo,
                                                            javascript):
    fake_zalo.current_user = FakeZaloUser(id=f"zalo-{unique_phone()}", name="Trần Văn Bảy")
    page = open_page(f"{server.base}/dang-nhap", javascript=javascript)
    page.get_by_role("link", name="Đăng nhập bằng Zalo").click()
    page.get_by_role("button", name="Cho phép").click()  # on the (fake) Zalo page
    page.problems.clear()  # only our pages are held to our standard
    expect(page.get_by_text("Chào Ông/Bà Trần Văn Bảy.")).to_be_visible()
    assert_good_page(page)
    phone = unique_phone()
    page.get_by_label("Số điện thoại di động của Ông/Bà").fill(phone)
    page.get_by_role("button", name="Gửi mã").click()
    _type_code_and_confirm(page, code_sent_to(server, phone))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")
    expect(page.get_by_text("Đã liên kết")).to_be_visible()

    page.get_by_role("button", name="Đăng xuất", exact=True).click()  # the header's button
    page.goto(f"{server.base}/dang-nhap")
    page.get_by_role("link", name="Đăng nhập bằng Zalo").click()
    page.get_by_role("button", name="Cho phép").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")  # one tap


def test_saying_no_to_zalo_is_explained(open_page, server):
    page = open_page(f"{server.base}/dang-nhap", javascript=False)
    page.get_by_role("link", name="Đăng nhập bằng Zalo").click()
    page.get_by_role("button", name="Từ chối").click()
    page.problems.clear()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ông/Bà chưa đồng ý đăng nhập bằng Zalo")
    assert_good_page(page)


@JS
def test_the_profile_is_corrected_with_errors_beside_the_fields(open_page, server, javascript):
    page = open_page(f"{server.base}/dang-nhap?next=/tai-khoan/thong-tin",
                     javascript=javascript)
    phone = unique_phone()
    _type_phone_and_send(page, phone)
    _type_code_and_confirm(page, code_sent_to(server, phone))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông tin của tôi")
    assert_good_page(page)
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Mai")
    page.get_by_label("Ngày").fill("15")
    page.get_by_label("Tháng").fill("3")
    page.get_by_label("Năm").fill("1956")
    page.get_by_label("Số căn cước").fill("072 3560 01234")
    page.get_by_label("Hoặc chọn trong danh sách").select_option(label="Phường Tân Ninh")
    page.get_by_role("button", name="Lưu thông tin").click()
    expect(page.locator("#citizen_id-error")).to_contain_text("không khớp với năm sinh")
    expect(page.get_by_label("Họ và tên")).to_have_value("Nguyễn Thị Mai")
    assert_good_page(page)
    page.get_by_label("Số căn cước").fill("072156001234")
    page.get_by_role("button", name="Lưu thông tin").click()
    expect(page.get_by_text("Thông tin của Ông/Bà đã được lưu.")).to_be_visible()
    expect(page.get_by_text("072••••••234")).to_be_visible()
    assert_good_page(page)


@JS
def test_an_officer_signs_in_with_password_and_totp(open_page, server, javascript):
    with server.app.app_context(), database.connection_context():
        officer = create_staff(server.app, role="officer",
                               password_hash=accounts_staff.hash_password(PASSWORD))
    page = open_page(f"{server.base}/can-bo/dang-nhap", javascript=javascript)
    assert_good_page(page)
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill("wrong password")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.locator("#password-error")).to_contain_text("chưa đúng")
    assert_good_page(page)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã trong ứng dụng xác thực")
    assert_good_page(page)
    page.get_by_label("Mã trong ứng dụng xác thực").fill(pyotp.TOTP(officer.totp_secret).now())
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    expect(page.get_by_text("Cán bộ", exact=True)).to_be_visible()
    assert_good_page(page)


def _staff_signs_in(page, account, password=PASSWORD) -> None:
    page.get_by_label("Tên đăng nhập").fill(account.username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Mã trong ứng dụng xác thực").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="Đăng nhập").click()


@JS
def test_an_administrator_invites_an_officer_who_sets_up_totp(open_page, server, javascript):
    with server.app.app_context(), database.connection_context():
        admin = create_staff(server.app, role="admin",
                             password_hash=accounts_staff.hash_password(PASSWORD))
    page = open_page(f"{server.base}/can-bo/dang-nhap", javascript=javascript)
    _staff_signs_in(page, admin)
    page.get_by_role("link", name="Tài khoản cán bộ và lời mời").click()
    assert_good_page(page)
    page.get_by_role("link", name="Mời người mới").click()
    assert_good_page(page)
    page.get_by_role("button", name="Gửi lời mời").click()
    expect(page).to_have_title(re.compile(r"^Lỗi: "))
    assert_good_page(page)
    username = f"can.bo.moi.{unique_phone()[-6:]}"
    page.get_by_label("Họ và tên").fill("Đỗ Văn Mới")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Cán bộ", exact=True).check()
    page.get_by_label("Phường Tân Ninh").check()
    page.get_by_role("button", name="Gửi lời mời").click()
    link = page.locator(".secret-link code").inner_text()
    assert_good_page(page)

    invitee = open_page(link, javascript=javascript)
    assert_good_page(invitee)
    invitee.get_by_label("Mật khẩu", exact=True).fill("ngan")
    invitee.get_by_label("Nhập lại mật khẩu").fill("ngan")
    invitee.get_by_role("button", name="Tiếp tục").click()
    expect(invitee.locator("#password-error")).to_contain_text("ít nhất 12 ký tự")
    assert_good_page(invitee)
    invitee.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    invitee.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    invitee.get_by_role("button", name="Tiếp tục").click()
    expect(invitee.get_by_role("img", name="Mã QR cho ứng dụng xác thực")).to_be_visible()
    assert_good_page(invitee)
    secret = invitee.locator("code.secret").inner_text().replace(" ", "")
    invitee.get_by_label("Mã trong ứng dụng xác thực").fill(pyotp.TOTP(secret).now())
    invitee.get_by_role("button", name="Hoàn tất").click()
    expect(invitee.get_by_text("Phường Tân Ninh")).to_be_visible()
    invitee.get_by_role("link", name="Người dân của xã, phường mình phụ trách").click()
    assert_good_page(invitee)

    # Later the officer moves to another ward: the administrator changes his communes.
    page.goto(f"{server.base}/can-bo/nhan-vien")
    page.get_by_role("link", name=f"Đổi xã, phường phụ trách của {username}").click()
    assert_good_page(page)
    page.get_by_label("Phường Tân Ninh").uncheck()
    page.get_by_role("button", name="Lưu xã, phường phụ trách").click()
    expect(page).to_have_title(re.compile(r"^Lỗi: "))
    assert_good_page(page)
    page.get_by_label("Phường An Tịnh").check()
    page.get_by_role("button", name="Lưu xã, phường phụ trách").click()
    expect(page.get_by_role("status")).to_contain_text(f"{username} nay phụ trách: Phường An Tịnh.")
    assert_good_page(page)
    invitee.goto(f"{server.base}/can-bo/")
    expect(invitee.get_by_text("Phường An Tịnh")).to_be_visible()
    expect(invitee.get_by_text("Phường Tân Ninh")).to_have_count(0)

    # He loses his phone: the administrator resets his sign-in, which ends his session.
    page.get_by_role("button", name=f"Đặt lại mật khẩu và ứng dụng xác thực của {username}").click()
    reset_link = page.locator(".secret-link code").inner_text()
    assert_good_page(page)
    invitee.goto(f"{server.base}/can-bo/")
    expect(invitee).to_have_url(re.compile("/can-bo/dang-nhap"))
    invitee.goto(reset_link)
    expect(invitee.get_by_text("quản trị viên đã đặt lại đăng nhập")).to_be_visible()
    assert_good_page(invitee)

    page.goto(f"{server.base}/can-bo/nhat-ky")
    expect(page.get_by_text("staff.invitation_accepted").first).to_be_visible()
    expect(page.get_by_text("staff.communes_changed").first).to_be_visible()
    expect(page.get_by_text("staff.sign_in_reset").first).to_be_visible()
    assert_good_page(page)


@pytest.mark.parametrize(("cookies", "scheme"), [
    ({"text": "a2"}, "light"), ({"contrast": "high"}, "light"), ({}, "dark"),
    ({"contrast": "high"}, "dark"),
], ids=["a++", "high-contrast", "dark", "dark-high-contrast"])
def test_the_sign_in_page_with_zalo_stays_accessible_in_every_display(open_page, server, cookies,
                                                                      scheme):
    page = open_page(f"{server.base}/dang-nhap", color_scheme=scheme)
    for name, value in cookies.items():
        page.context.add_cookies([{"name": name, "value": value, "url": server.base}])
    page.reload()
    expect(page.get_by_role("link", name="Đăng nhập bằng Zalo")).to_be_visible()
    assert axe_violations(page) == []
    assert contrast_violations(page) == []
    assert horizontal_overflow(page) == 0


def test_the_staff_pages_fit_a_small_phone_at_the_largest_text(open_page, server):
    """The long buttons of the staff list ("Đặt lại mật khẩu và ứng dụng xác thực của ...")
    and the list of 96 communes wrap at 320 px with A++ text instead of scrolling sideways."""
    with server.app.app_context(), database.connection_context():
        admin = create_staff(server.app, role="admin",
                             password_hash=accounts_staff.hash_password(PASSWORD))
        officer = create_staff(server.app, role="officer",
                               username=f"can.bo.ten.dai.{unique_phone()[-6:]}")
    page = open_page(f"{server.base}/can-bo/dang-nhap")
    _staff_signs_in(page, admin)
    page.context.add_cookies([{"name": "text", "value": "a2", "url": server.base}])
    page.set_viewport_size({"width": 320, "height": 740})
    for path in ("/can-bo/nhan-vien", f"/can-bo/nhan-vien/{officer.id}/xa-phuong"):
        page.goto(f"{server.base}{path}")
        assert "text-a2" in page.locator("html").get_attribute("class")
        assert_good_page(page)
