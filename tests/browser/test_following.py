"""Following a dossier after it is sent, at 360x740, at A and A++, with JavaScript on and off,
every state axe-clean (issue 11, items 10, 11, 12, 14 and 15): the officer's history, the
status page, the rating, the receipt and "Hồ sơ của tôi"."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_staff
from tests.backoffice.conftest import first_commune, make_citizen, make_dossier
from tests.browser.conftest import assert_good_page, session_cookies
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.dossiers import steps
from webapp.dossiers.models import Dossier, DossierEvent
from webapp.tracking.lifecycle import Move

pytestmark = pytest.mark.browser

JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
TEXT = pytest.mark.parametrize("text", ["a", "a2"], ids=["A", "A++"])


def _move(dossier, action: str, message: str = "", **by):
    dossier = Dossier.get_by_id(dossier.id)
    return steps.perform(dossier, Move(action, dossier.version, public_message=message, **by))


# --- 14: the officer's history ------------------------------------------------------------


@pytest.fixture(scope="module")
def officer_desk(live_app):
    """An officer's cookies, a dossier whose history has the officer, the citizen and the
    system in it, and a dossier not yet received."""
    client = live_app.test_client()
    with live_app.app_context():
        commune = first_commune()
    staff = sign_in_staff(client, role="officer", communes=[commune], full_name="Trần Văn Ba",
                          phone="0987654321")
    with live_app.app_context(), database.connection_context():
        citizen = make_citizen(full_name="Lê Thị Năm")
        followed = make_dossier(commune=commune, citizen=citizen)
        _move(followed, "receive", staff=staff)
        _move(followed, "request_papers", "Ảnh giấy khai sinh bị mờ, Ông/Bà chụp lại ở chỗ sáng.",
              staff=staff)
        _move(followed, "add_papers", "Tôi đã chụp lại rồi.", citizen=citizen)
        DossierEvent.create(dossier=followed, created_at=utcnow() + dt.timedelta(seconds=1),
                            kind="reminder")
        new = make_dossier(commune=commune, citizen=citizen)
    return {"cookies": session_cookies(client), "followed": followed.code, "new": new.code}


@JS
@TEXT
def test_the_history_names_who_acted_and_whose_words(open_page, officer_desk, javascript, text):
    page = open_page(f"/can-bo/ho-so/{officer_desk['followed']}", javascript=javascript,
                     cookies={**officer_desk["cookies"], "text": text})
    items = page.locator(".history-list > li")
    expect(items).to_have_count(5)
    expect(items.nth(0)).to_contain_text("hệ thống")
    expect(items.nth(1)).to_contain_text("Lê Thị Năm (công dân)")
    expect(items.nth(1)).to_contain_text("Lời của công dân: Tôi đã chụp lại rồi.")
    expect(items.nth(2)).to_contain_text("Trần Văn Ba")
    expect(items.nth(2)).to_contain_text("Đã báo công dân: Ảnh giấy khai sinh bị mờ")
    expect(items.nth(3)).to_contain_text("Trần Văn Ba")
    expect(items.nth(4)).to_contain_text("Lê Thị Năm (công dân)")
    assert_good_page(page)

    page.goto(f"/can-bo/ho-so/{officer_desk['new']}")
    steps_box = page.locator(".next-steps")
    expect(steps_box.get_by_role("button", name="Tiếp nhận hồ sơ")).to_be_visible()
    expect(steps_box).to_contain_text("Chỉ sau khi tiếp nhận mới yêu cầu bổ sung")
    expect(steps_box.get_by_role("link", name="Yêu cầu bổ sung giấy tờ")).to_have_count(0)
    assert_good_page(page)
