"""A kiosk at the one-stop shop in a real browser: a visitor walks away, the countdown runs
out, and the next visitor finds nothing of hers (cookies, storage, history, drafts, server
session), with and without JavaScript; receipts print on A4 and on an 80 mm roll."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import create_citizen, sign_in_staff
from tests.backoffice.conftest import first_commune
from tests.browser.conftest import assert_good_page, session_cookies
from tests.dossiers.helpers import (
    post,
    send,
    sign_in_again,
    signed_in_with_draft,
    start,
    submission_key,
)
from webapp.accounts.models import ADMIN, SignInSession
from webapp.core.db import database
from webapp.dossiers.models import DossierDraft
from webapp.kiosk import devices

pytestmark = pytest.mark.browser
MM = 72 / 25.4  # PDF points in a millimetre


def kiosk_cookie(live_app, paper: str = "a4") -> str:
    admin = live_app.test_client()
    sign_in_staff(admin, role=ADMIN)
    with live_app.app_context(), database.connection_context():
        commune = first_commune()
    response = post(admin, "/can-bo/quay-tu-phuc-vu",
                    {"name": "Quầy thử", "commune": commune.code, "paper": paper})
    assert response.status_code == 303
    return admin.get_cookie(devices.COOKIE).value


@pytest.fixture
def quick_kiosk(live_app, monkeypatch):
    """Kiosk timings short enough for a test: 2 s without a touch, then 3 s of countdown."""
    monkeypatch.setitem(live_app.config, "KIOSK_IDLE_SECONDS", 2)
    monkeypatch.setitem(live_app.config, "KIOSK_COUNTDOWN_SECONDS", 3)
    return kiosk_cookie(live_app)


def visitor_at_kiosk(live_app, kiosk: str):
    """A citizen who signed in at the kiosk and began a dossier there."""
    client = live_app.test_client()
    client.set_cookie(devices.COOKIE, kiosk)
    citizen = create_citizen(live_app, full_name="Lê Thị Khách")
    sign_in_again(client, citizen)
    start(client)
    return citizen, {**session_cookies(client), devices.COOKIE: kiosk, "text": "a2"}


def forgotten(live_app, citizen) -> bool:
    with live_app.app_context(), database.connection_context():
        drafts = DossierDraft.select().where(DossierDraft.citizen == citizen).count()
        live = SignInSession.select().where((SignInSession.citizen == citizen)
                                            & SignInSession.revoked_at.is_null()).count()
    return drafts == 0 and live == 0


def test_a_visitor_who_walks_away_is_forgotten_and_the_next_finds_nothing(
        open_page, live_app, quick_kiosk):
    citizen, cookies = visitor_at_kiosk(live_app, quick_kiosk)
    page = open_page("/ho-so-cua-toi", cookies=cookies)
    expect(page.locator("html")).to_have_class(re.compile(r"\bkiosk\b"))
    page.evaluate("localStorage.setItem('left', 'behind'); sessionStorage.setItem('x', '1')")
    dialog = page.get_by_role("alertdialog", name="Ông/Bà còn dùng máy không?")
    expect(dialog).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Đăng nhập"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))

    assert forgotten(live_app, citizen)
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert devices.COOKIE in names and "text" not in names
    stored = page.evaluate("JSON.stringify([Object.entries(localStorage),"
                           " Object.entries(sessionStorage)])")
    assert "behind" not in stored and '"x"' not in stored and "Khách" not in stored, stored
    expect(page.locator("html")).not_to_have_class(re.compile(r"\btext-a2\b"))
    page.go_back()  # the page she saw is fetched again (never cached): nothing of hers
    expect(page.locator("body")).not_to_contain_text("Lê Thị Khách")
    expect(page.locator("h1")).to_contain_text("Đăng nhập")


def test_still_there_keeps_the_visitor(open_page, live_app, quick_kiosk, monkeypatch):
    monkeypatch.setitem(live_app.config, "KIOSK_COUNTDOWN_SECONDS", 120)  # time to look at it
    citizen, cookies = visitor_at_kiosk(live_app, quick_kiosk)
    page = open_page("/ho-so-cua-toi", cookies=cookies)
    dialog = page.get_by_role("alertdialog", name="Ông/Bà còn dùng máy không?")
    expect(dialog).to_be_visible()
    expect(page.get_by_role("button", name="Tôi vẫn đang dùng")).to_be_focused()
    assert_good_page(page)  # the question itself, full screen, at A++
    page.get_by_role("button", name="Tôi vẫn đang dùng").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/ho-so-cua-toi$"))
    assert not forgotten(live_app, citizen)


def test_start_again_forgets_at_once(open_page, live_app, quick_kiosk):
    citizen, cookies = visitor_at_kiosk(live_app, quick_kiosk)
    page = open_page("/ho-so-cua-toi", cookies=cookies)
    page.get_by_role("button", name="Bắt đầu lại").click()
    expect(page).to_have_url(re.compile(r"/$"))
    assert forgotten(live_app, citizen)


def test_without_javascript_the_page_refreshes_itself_to_a_fresh_start(
        browser, base_url, live_app, quick_kiosk):
    citizen, cookies = visitor_at_kiosk(live_app, quick_kiosk)
    context = browser.new_context(base_url=base_url, java_script_enabled=False,
                                  viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": k, "value": v, "url": base_url} for k, v in cookies.items()])
    try:
        page = context.new_page()
        page.goto("/ho-so-cua-toi")
        assert "Lê Thị Khách" in page.content() or "hồ sơ" in page.content().lower()
        page.wait_for_url(f"{base_url}/", timeout=30000)  # after idle + countdown, 5 s here
        assert forgotten(live_app, citizen)
        assert "text" not in {cookie["name"] for cookie in context.cookies()}
    finally:
        context.close()


@pytest.mark.parametrize(("paper", "width_mm", "height_mm"), [("a4", 210, 297),
                                                               ("roll80", 80, 297)])
def test_receipts_print_on_the_kiosks_paper(open_page, live_app, paper, width_mm, height_mm):
    kiosk = kiosk_cookie(live_app, paper)
    client = live_app.test_client()
    client.set_cookie(devices.COOKIE, kiosk)
    _citizen, check_path = signed_in_with_draft(client)
    receipt = send(client, check_path, submission_key(client, check_path)).location
    page = open_page(receipt, cookies={**session_cookies(client), devices.COOKIE: kiosk})
    expect(page.locator(".dossier-code")).to_be_visible()
    pdf = pikepdf.open(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    box = [float(value) for value in pdf.pages[0].mediabox]
    assert abs((box[2] - box[0]) - width_mm * MM) < 2
    assert abs((box[3] - box[1]) - height_mm * MM) < 2
