""""Is it still fixed?" on Bà Tư's phone (360x740, A and A++): the message's link opens two large
buttons without signing in; "Vẫn ổn" then "Hỏng lại rồi" reopens the report; after the one
reopening, "Hỏng lại rồi" reaches the officer's queue. JS on and off, axe clean on every state."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import create_staff, sign_in_staff
from tests.accounts.outbox import messages_to
from tests.backoffice.conftest import make_citizen
from tests.browser.conftest import assert_good_page, session_cookies
from tests.reports.factories import make_report
from webapp.accounts.models import OFFICER
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.places.models import Commune
from webapp.reports.models import Report
from webapp.reports.personal_data import ask_still_fixed
from webapp.reports.steps import perform, reopen
from webapp.tracking.lifecycle import Move

pytestmark = pytest.mark.browser


def _fixed_four_weeks_ago(live_app, reopened_once: bool = False):
    """A report answered "fixed", the question asked; (commune, report, the link's path)."""
    with live_app.app_context(), database.connection_context():
        commune = Commune.in_order().first()
        citizen = make_citizen(commune=commune)
        report = make_report(commune, citizen, description="Đèn đường trước chợ tắt")
        officer = create_staff(live_app, role=OFFICER, communes=[commune])
        perform(report, Move("receive", report.version, staff=officer))
        perform(report, Move("fixed", report.version, staff=officer, public_message="Đã thay"))
        if reopened_once:
            reopen(report, report.version, "Lại tắt")
            perform(report, Move("fixed", report.version, staff=officer,
                                 public_message="Đã thay lần nữa"))
        ask_still_fixed(now=utcnow() + dt.timedelta(days=29))
        text = messages_to(citizen.phone, "report_still_fixed")[-1]["text"]
    link = re.search(r"https?://\S+/phan-anh/con-tot/[\w.-]*\w", text).group(0)
    return commune, report, "/" + link.split("/", 3)[3]


def _status_of(live_app, report) -> tuple[str, str]:
    with live_app.app_context(), database.connection_context():
        fresh = Report.get_by_id(report.id)
        return fresh.status, fresh.still_fixed_answer


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("text", ["a", "a2"], ids=["A", "A++"])
def test_she_says_still_fine_then_broken_again_and_it_reopens(open_page, live_app, javascript,
                                                              text):
    _commune, report, path = _fixed_four_weeks_ago(live_app)
    page = open_page(path, javascript=javascript, cookies={"text": text})  # nobody signed in
    expect(page.get_by_role("heading", level=1)).to_have_text("Bây giờ còn tốt không?")
    expect(page.get_by_role("button", name="Vẫn ổn")).to_be_visible()
    expect(page.get_by_role("button", name="Hỏng lại rồi")).to_be_visible()
    assert_good_page(page)

    page.get_by_role("button", name="Vẫn ổn").click()
    expect(page.get_by_role("status").first).to_have_text("Cảm ơn Ông/Bà. Rất mừng là vẫn ổn.")
    expect(page.locator("#still-fixed-answer")).to_have_text("Ông/Bà đã trả lời: vẫn ổn")
    expect(page.get_by_role("button", name="Vẫn ổn")).to_have_count(0)
    assert _status_of(live_app, report) == ("fixed", "ok")
    assert_good_page(page)

    page.get_by_role("button", name="Hỏng lại rồi").click()
    expect(page.get_by_role("status").first).to_contain_text("Phản ánh đã được mở lại")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn Ông/Bà đã trả lời")
    expect(page.locator(".still-fixed-answers")).to_have_count(0)  # "broken" is final
    assert _status_of(live_app, report) == ("reopened", "broken")
    assert_good_page(page)

    page.get_by_role("link", name="Xem phản ánh và các bước đã làm").click()
    expect(page.locator(".timeline")).to_contain_text("Ông/Bà báo đã hỏng lại")
    assert_good_page(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_broken_again_after_the_reopening_reaches_the_officer(open_page, live_app, javascript):
    commune, report, path = _fixed_four_weeks_ago(live_app, reopened_once=True)
    page = open_page(path, javascript=javascript, cookies={"text": "a2"})
    page.get_by_role("button", name="Hỏng lại rồi").click()
    expect(page.get_by_role("status").first).to_contain_text("Cán bộ xã đã được báo")
    assert _status_of(live_app, report) == ("fixed", "broken")
    assert_good_page(page)

    officer = live_app.test_client()
    sign_in_staff(officer, role=OFFICER, communes=[commune])
    page = open_page(f"/can-bo/phan-anh/?xa={commune.code}", javascript=javascript,
                     cookies={**session_cookies(officer), "text": "a2"})
    group = page.get_by_role("region", name=re.compile("Hỏng lại sau khi đã mở lại"))
    expect(group).to_contain_text(report.code)
    assert_good_page(page)
    group.get_by_role("link", name=re.compile(report.code)).click()
    expect(page.locator("#hong-lai")).to_be_visible()
    assert_good_page(page)
    page.get_by_label("Đã làm gì (ghi cho đồng nghiệp)").fill("Đã gọi bà Tư")
    page.get_by_role("button", name="Đã xem: bỏ đánh dấu").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã bỏ đánh dấu")
    expect(page.locator("#hong-lai")).to_have_count(0)
    expect(page.locator(".timeline")).to_contain_text("Đã xem: hỏng lại sau khi đã mở lại")
    assert_good_page(page)
