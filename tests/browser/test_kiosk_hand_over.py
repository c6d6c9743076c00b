"""Hand-over from a kiosk to her phone in two browsers (issue 12): at the kiosk she presses
"Tiếp tục trên điện thoại của tôi" and a QR code shows; her phone opens its link, she signs in
there with a code, takes the draft with its answers and photos, and the kiosk forgets her.
360 x 740 at A++, JavaScript on and off, axe on every page and state; a used link is a page in
plain words."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import create_citizen
from tests.accounts.outbox import last_code_to
from tests.browser.conftest import assert_good_page, session_cookies
from tests.browser.test_kiosk import kiosk_cookie
from tests.dossiers.helpers import fill_social_allowance, sign_in_again, start
from webapp.accounts.models import SignInSession
from webapp.core.db import database
from webapp.dossiers import handover
from webapp.dossiers.handover_views import SESSION_KEY
from webapp.dossiers.models import Attachment, DossierDraft
from webapp.kiosk import devices

pytestmark = pytest.mark.browser
A_PLUS_PLUS = "a2"


def _visitor_with_draft(live_app, kiosk: str):
    """She signed in at the kiosk and filled a whole draft there (answers, ID card photos)."""
    client = live_app.test_client()
    client.set_cookie(devices.COOKIE, kiosk)
    citizen = create_citizen(live_app, full_name="Lê Thị Khách")
    sign_in_again(client, citizen)
    check = fill_social_allowance(client, start(client))
    cookies = {**session_cookies(client), devices.COOKIE: kiosk, "text": A_PLUS_PLUS}
    return citizen, check, cookies


def _link_on_screen(live_app, page) -> str:
    """The link the QR code holds, read from the kiosk's own signed session cookie (the
    picture is the same link drawn by segno; tests/kiosk/test_hand_over.py checks that)."""
    name = live_app.config["SESSION_COOKIE_NAME"]
    [cookie] = [c for c in page.context.cookies() if c["name"] == name]
    data = live_app.session_interface.get_signing_serializer(live_app).loads(cookie["value"])
    with live_app.test_request_context("/"):
        return handover.link(data[SESSION_KEY]["signed"])


def _sign_in_on_the_phone(live_app, phone_page, citizen) -> None:
    phone_page.get_by_role("link", name="Đăng nhập để tiếp tục").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    phone_page.get_by_label("Số điện thoại di động của Ông/Bà").fill(citizen.phone)
    phone_page.get_by_role("button", name="Gửi mã").click()
    expect(phone_page.get_by_label("Nhập mã xác nhận")).to_be_visible()
    with live_app.app_context(), database.connection_context():
        code = last_code_to(citizen.phone)
    phone_page.get_by_label("Nhập mã xác nhận").fill(code)
    phone_page.get_by_role("button", name="Xác nhận").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_her_phone_takes_the_draft_from_the_kiosk_which_forgets_her(open_page, live_app,
                                                                    javascript):
    citizen, check, cookies = _visitor_with_draft(live_app, kiosk_cookie(live_app))
    kiosk = open_page(check, javascript=javascript, cookies=cookies)
    kiosk.get_by_role("button", name="Tiếp tục trên điện thoại của tôi").click()
    expect(kiosk.get_by_role("heading", level=1)).to_have_text(
        "Tiếp tục trên điện thoại của Ông/Bà")
    expect(kiosk.locator(".qr svg")).to_be_visible()
    assert_good_page(kiosk)
    link = _link_on_screen(live_app, kiosk)

    phone = open_page(link, javascript=javascript, cookies={"text": A_PLUS_PLUS})
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Làm tiếp hồ sơ trên điện thoại này")
    assert_good_page(phone)  # asks her to sign in first
    _sign_in_on_the_phone(live_app, phone, citizen)
    expect(phone.get_by_role("button", name="Tiếp tục ở đây")).to_be_visible()
    assert_good_page(phone)
    phone.get_by_role("button", name="Tiếp tục ở đây").click()
    expect(phone).to_have_url(re.compile(r"/ho-so-nhap/[^/]+/kiem-tra$"))
    expect(phone.locator("body")).to_contain_text("Ấp Thạnh Đông, số nhà 12")
    assert_good_page(phone)

    # The kiosk: with JavaScript it notices by itself; without, she presses the link.
    if not javascript:
        kiosk.get_by_role("link", name="Tôi đã mở trên điện thoại").click()
    expect(kiosk).to_have_url(re.compile(r"/$"))
    expect(kiosk.locator("body")).not_to_contain_text("Lê Thị Khách")
    expect(kiosk.get_by_role("link", name=re.compile("Đăng nhập"))).to_be_visible()
    assert "text" not in {c["name"] for c in kiosk.context.cookies()}
    token = check.split("/")[2]
    with live_app.app_context(), database.connection_context():
        draft = DossierDraft.get(DossierDraft.token == token)
        assert Attachment.select().where(Attachment.draft == draft).count() == 2
        live = SignInSession.select().where((SignInSession.citizen == citizen)
                                            & SignInSession.revoked_at.is_null())
        assert live.count() == 1  # her phone's; the kiosk's ended

    # The same link on another phone: used, said in plain words.
    again = open_page(link, javascript=javascript, cookies={"text": A_PLUS_PLUS})
    expect(again.get_by_role("heading", level=1)).to_have_text("Mã QR này không dùng được nữa")
    expect(again.locator("main")).to_contain_text("đã được dùng")
    # The page is answered 410 Gone on purpose, which Chromium logs; nothing else may be.
    assert again.problems == [
        "Failed to load resource: the server responded with a status of 410 (GONE)"]
    again.problems.clear()
    assert_good_page(again)
