"""Her mandates, as Bà Tư sees them on her phone: who may help her with what, until when, and
"Kết thúc ngay" (JS on and off, A and A++, axe clean before and after)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_staff
from tests.browser.conftest import assert_good_page, session_cookies
from tests.dossiers.helpers import sign_in_again
from tests.mandates.helpers import given_mandate
from webapp.accounts.models import OFFICER, Citizen
from webapp.core.db import database
from webapp.mandates import Mandate

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_she_sees_who_may_help_her_and_ends_it(open_page, live_app, javascript, text_size):
    mandate = given_mandate(live_app, name="Bà Tư")
    client = live_app.test_client()
    with live_app.app_context(), database.connection_context():
        citizen = Citizen.get_by_id(Mandate.get_by_id(mandate.id).citizen_id)
    sign_in_again(client, citizen)
    cookies = {**session_cookies(client), "text": text_size}
    page = open_page("/tai-khoan", javascript=javascript, cookies=cookies)
    page.get_by_role("link", name="Người được phép giúp tôi làm hồ sơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Người được phép giúp tôi")
    expect(page.get_by_text("Trần Thị Hạnh", exact=True)).to_be_visible()
    assert_good_page(page)
    page.get_by_role("button", name=re.compile("^Kết thúc ngay")).click()
    expect(page.get_by_role("status")).to_contain_text("không còn được làm hồ sơ giúp")
    expect(page.get_by_text("Hiện không có ai được làm hồ sơ giúp Ông/Bà.")).to_be_visible()
    assert_good_page(page)
    with live_app.app_context(), database.connection_context():
        assert not Mandate.get_by_id(mandate.id).is_live()


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_officer_ends_a_mandate_with_a_reason(open_page, live_app, javascript, text_size):
    mandate = given_mandate(live_app, name="Bà Tám")
    office = live_app.test_client()
    sign_in_staff(office, role=OFFICER)  # of the first commune, the mandate's
    page = open_page("/can-bo", javascript=javascript,
                     cookies={**session_cookies(office), "text": text_size})
    page.get_by_role("link", name="Ủy quyền cho người giúp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ủy quyền cho người giúp")
    assert_good_page(page)
    page.locator("li", has_text="Bà Tám").get_by_role(
        "link", name=re.compile("^Kết thúc ủy quyền này")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết thúc ủy quyền này")
    assert_good_page(page)
    page.get_by_role("button", name="Kết thúc ủy quyền ngay").click()  # no reason yet
    expect(page).to_have_title(re.compile("^Lỗi:"))
    expect(page.locator("#reason-error")).to_contain_text("Xin ghi lý do kết thúc")
    assert_good_page(page)
    page.get_by_label("Lý do kết thúc").fill("Bà đề nghị dừng tại quầy")
    page.get_by_role("button", name="Kết thúc ủy quyền ngay").click()
    expect(page.get_by_role("status")).to_contain_text("Cả hai đã được báo lý do")
    expect(page.locator("li", has_text="Bà Tám")).to_have_count(0)  # no longer live
    assert_good_page(page)
    with live_app.app_context(), database.connection_context():
        ended = Mandate.get_by_id(mandate.id)
        assert not ended.is_live() and ended.end_reason == "Bà đề nghị dừng tại quầy"
