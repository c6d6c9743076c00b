""""Tôi cần người giúp" in three browsers (issue 12): Bà Tư asks from the home page; two
volunteers of her commune open the requests and both press "Tôi nhận"; one gets it, the other
is told someone was faster; the taker calls and closes it. And the two taps at the very same
moment, both in flight at once: exactly one wins. JS on and off, A and A++, axe."""

from __future__ import annotations

import re
import threading

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import first_communes, sign_in_staff, unique_phone
from tests.accounts.outbox import messages_to
from tests.browser.conftest import EXPECT_SECONDS, assert_good_page, session_cookies
from webapp.accounts.models import VOLUNTEER
from webapp.assisted import help_requests as service
from webapp.assisted.lifecycle import TAKEN
from webapp.assisted.models import HelpRequest
from webapp.core.db import database

pytestmark = pytest.mark.browser


def _volunteer(open_page, live_app, javascript, text_size, name):
    client = live_app.test_client()
    with live_app.app_context(), database.connection_context():
        commune = first_communes(1)[0]
    sign_in_staff(client, role=VOLUNTEER, full_name=name, communes=[commune])
    return open_page("/tinh-nguyen/yeu-cau-giup-do", javascript=javascript,
                     cookies={**session_cookies(client), "text": text_size})


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_she_asks_two_volunteers_take_it_and_one_wins(open_page, live_app, javascript,
                                                      text_size):
    phone = unique_phone()
    her = open_page("/", javascript=javascript, cookies={"text": text_size})
    her.get_by_role("link", name="Tôi cần người giúp").click()
    expect(her.get_by_role("heading", level=1)).to_have_text("Tôi cần người giúp")
    her.get_by_role("button", name="Gửi yêu cầu giúp đỡ").click()
    expect(her).to_have_title(re.compile("^Lỗi:"))
    assert_good_page(her)
    her.get_by_label("Số điện thoại di động của Ông/Bà").fill(phone)
    her.get_by_label("Hoặc chọn trong danh sách").select_option(index=1)
    her.get_by_label("Làm hồ sơ").check()
    her.get_by_role("button", name="Gửi yêu cầu giúp đỡ").click()
    expect(her.get_by_role("heading", level=1)).to_have_text("Đã gửi yêu cầu giúp đỡ")
    assert_good_page(her)

    first = _volunteer(open_page, live_app, javascript, text_size, "Trần Thị Hạnh")
    second = _volunteer(open_page, live_app, javascript, text_size, "Ngô Văn Bảy")
    masked = f"{phone[:4]} *** {phone[-3:]}"
    for page in (first, second):
        expect(page.get_by_text(masked, exact=False)).to_be_visible()
    assert_good_page(first)
    take = re.compile("^Tôi nhận")
    row = first.locator("li", has_text=masked)
    row.get_by_role("button", name=take).click()
    expect(first.get_by_role("heading", level=1)).to_contain_text("Yêu cầu giúp đỡ")
    expect(first.get_by_role("link", name=re.compile(phone[-3:]))).to_be_visible()
    assert_good_page(first)
    second.locator("li", has_text=masked).get_by_role("button", name=take).click()
    expect(second.get_by_role("status")).to_contain_text("Người giúp khác đã nhận")
    assert_good_page(second)

    first.get_by_role("button", name="Tôi đã liên lạc được").click()
    first.get_by_label("Đã giúp qua điện thoại").check()
    first.get_by_role("button", name="Đóng yêu cầu").click()
    expect(first.get_by_role("status")).to_contain_text("Đã đóng yêu cầu")
    assert_good_page(first)
    with live_app.app_context(), database.connection_context():
        [told] = messages_to(phone, "assisted_help_taken")
    assert "Trần Thị Hạnh" in told["text"]


@pytest.fixture
def held_takes(live_app, monkeypatch):
    """Both "Tôi nhận" requests reach the server before either takes the request: the live
    server holds each at the take until the other has arrived (a barrier of two), so the two
    volunteers really race at the database, as two taps at the same second would."""
    barrier, original = threading.Barrier(2, timeout=EXPECT_SECONDS), service.take

    def take(item, helper, version):
        barrier.wait()
        return original(item, helper, version)

    monkeypatch.setattr(service, "take", take)
    return barrier


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_two_volunteers_take_the_same_request_at_the_same_moment(open_page, live_app,
                                                                 held_takes, javascript):
    phone = unique_phone()
    with live_app.app_context(), database.connection_context():
        commune = first_communes(1)[0]
    with live_app.test_request_context(
            environ_base={"REMOTE_ADDR": f"10.9.{int(phone[-4:-2])}.{int(phone[-2:])}"}):
        service.ask(phone=phone, commune=commune, topic="dossier", details="",
                    request_key=f"race-{phone}-{javascript}")
    masked = f"{phone[:4]} *** {phone[-3:]}"
    pages = [_volunteer(open_page, live_app, javascript, "a2", name)
             for name in ("Trần Thị Hạnh", "Ngô Văn Bảy")]
    for page in pages:
        expect(page.get_by_text(masked, exact=False)).to_be_visible()
    assert_good_page(pages[0])

    take = re.compile("^Tôi nhận")
    # The first tap is held at the server until the second arrives: the click must not wait
    # for its page to load, or the second would never be sent.
    for page in pages:
        page.locator("li", has_text=masked).get_by_role("button", name=take).click(
            no_wait_after=True)

    won, lost = [], []
    for page in pages:
        phone_link = page.get_by_role("link", name=re.compile(phone[-3:]))
        too_late = page.get_by_role("status").filter(has_text="Người giúp khác đã nhận")
        expect(phone_link.or_(too_late)).to_be_visible()
        (won if phone_link.is_visible() else lost).append(page)
        assert_good_page(page)
    assert len(won) == 1 and len(lost) == 1
    expect(lost[0].get_by_role("link", name=re.compile(phone[-3:]))).to_have_count(0)
    expect(lost[0].locator("li", has_text=masked)).to_have_count(0)  # no longer waiting
    with live_app.app_context(), database.connection_context():
        item = HelpRequest.get(HelpRequest.contact_phone == phone)
        assert item.status == TAKEN and item.version == 2
        assert len(messages_to(phone, "assisted_help_taken")) == 1
