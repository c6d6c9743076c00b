"""Every back-office page and state, as an officer sees it: axe-clean, 20 px text, 48 px
targets, no sideways scrolling, no console errors, with and without JavaScript."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_staff
from tests.backoffice.conftest import first_commune, make_citizen, make_dossier
from tests.browser.conftest import (
    assert_good_page,
    axe_violations,
    contrast_violations,
    horizontal_overflow,
    session_cookies,
)
from webapp.core.db import database
from webapp.dossiers import steps
from webapp.tracking.lifecycle import Move

pytestmark = pytest.mark.browser


def _photo(app, dossier, key):
    from tests.backoffice.conftest import make_photo

    return make_photo(dossier, key, size=(800, 600))


def _moved(dossier, staff, *moves):
    for action, message in moves:
        by = {"citizen": dossier.citizen} if action == "add_papers" else {"staff": staff}
        steps.perform(dossier, Move(action, dossier.version, public_message=message, **by))
    return dossier


@pytest.fixture(scope="module")
def office(live_app):
    """An officer's signed-in cookies and a dossier in every status."""
    from webapp.dossiers.models import DossierRating, DossierResult

    client = live_app.test_client()
    commune = None
    with live_app.app_context():
        commune = first_commune()
    staff = sign_in_staff(client, role="officer", communes=[commune], phone="0987654321")
    with live_app.app_context(), database.connection_context():
        citizen = make_citizen(full_name="Nguyễn Thị Tư", address="Ấp Bình Hòa, xã Thái Bình")
        late = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=30)
        dossiers = {status: make_dossier(commune=commune, citizen=citizen)
                    for status in ("submitted", "received", "waiting", "added", "approved",
                                   "refused", "closed")}
        make_dossier(commune=commune, submitted_at=late)  # overdue
        _photo(live_app, dossiers["received"], "giay_khai_sinh")
        _photo(live_app, dossiers["received"], "can_cuoc")
        _moved(dossiers["received"], staff, ("receive", ""))
        _moved(dossiers["waiting"], staff, ("receive", ""),
               ("request_papers", "Ảnh giấy khai sinh bị mờ, Ông/Bà chụp lại ở chỗ sáng."))
        _moved(dossiers["added"], staff, ("receive", ""), ("request_papers", "Thiếu ảnh CCCD."),
               ("add_papers", ""))
        for key in ("approved", "closed"):
            _moved(dossiers[key], staff, ("receive", ""))
            DossierResult.create(dossier=dossiers[key], text="Giấy chứng nhận đã có.",
                                 delivery="pickup", created_at=dt.datetime(2026, 3, 3))
            _moved(dossiers[key], staff, ("approve", "Giấy chứng nhận đã có."))
        _moved(dossiers["closed"], staff, ("close", ""))
        DossierRating.create(dossier=dossiers["closed"], score=5, comment="Cán bộ nhiệt tình.")
        _moved(dossiers["refused"], staff, ("receive", ""),
               ("refuse", "Hồ sơ không thuộc thẩm quyền của xã."))
        paper = _photo(live_app, dossiers["submitted"], "to_khai")
    return {"cookies": session_cookies(client), "dossiers": dossiers, "paper": paper,
            "commune": commune}


def _pages(office):
    d = {key: dossier.code for key, dossier in office["dossiers"].items()}
    pages = {
        "queue": "/can-bo/ho-so/",
        "queue-overdue": "/can-bo/ho-so/?nhom=qua-han",
        "queue-all-second-page": "/can-bo/ho-so/?nhom=tat-ca&sap-xep=moi-nhat",
        "queue-search-nothing": "/can-bo/ho-so/?q=khong+co+ai",
        "figures-by-month": "/can-bo/so-lieu",
        "figures-by-procedure": "/can-bo/so-lieu?theo=thu-tuc&ky=12-thang",
        "counter-intake": "/can-bo/so-lieu/ho-so-giay",
        "paper-turned": f"/can-bo/ho-so/{d['submitted']}/giay-to/{office['paper'].id}?xoay=90",
        "request-papers": f"/can-bo/ho-so/{d['received']}/yeu-cau-bo-sung",
        "approve": f"/can-bo/ho-so/{d['added']}/phe-duyet",
        "refuse": f"/can-bo/ho-so/{d['received']}/tu-choi",
        "hand-over": f"/can-bo/ho-so/{d['approved']}/tra-ket-qua",
    }
    pages.update({f"detail-{key}": f"/can-bo/ho-so/{code}" for key, code in d.items()})
    return pages


PAGE_NAMES = ["queue", "queue-overdue", "queue-all-second-page", "queue-search-nothing",
              "figures-by-month", "figures-by-procedure", "counter-intake", "paper-turned",
              "request-papers", "approve", "refuse", "hand-over", "detail-submitted",
              "detail-received", "detail-waiting", "detail-added", "detail-approved",
              "detail-refused", "detail-closed"]


@pytest.mark.parametrize(("viewport", "javascript"), [("phone", True), ("desktop", False)],
                         ids=["phone-js", "desktop-nojs"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_back_office_page_is_accessible(open_page, office, name, viewport, javascript):
    page = open_page(_pages(office)[name], viewport=viewport, javascript=javascript,
                     cookies=office["cookies"])
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_good_page(page)


@pytest.mark.parametrize("name", ["queue", "detail-received", "figures-by-month"])
@pytest.mark.parametrize("cookies", [{"text": "a2"}, {"contrast": "high"}],
                         ids=["a++", "high-contrast"])
def test_back_office_stays_accessible_with_display_settings(open_page, office, name, cookies):
    page = open_page(_pages(office)[name], cookies={**office["cookies"], **cookies})
    assert axe_violations(page) == []
    assert horizontal_overflow(page) == 0


@pytest.mark.parametrize("name", ["queue", "detail-closed", "figures-by-month"])
def test_back_office_in_the_dark_colour_scheme(open_page, office, name):
    page = open_page(_pages(office)[name], cookies=office["cookies"], color_scheme="dark")
    assert axe_violations(page) == []
    assert contrast_violations(page) == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize(("name", "button"), [
    ("request-papers", "Gửi yêu cầu cho công dân"),
    ("refuse", "Từ chối và báo cho công dân"),
    ("approve", "Phê duyệt và báo cho công dân"),
    ("counter-intake", "Lưu"),
])
def test_a_step_sent_empty_shows_plain_errors_and_stays_accessible(open_page, office, name,
                                                                   button, javascript):
    page = open_page(_pages(office)[name], cookies=office["cookies"], javascript=javascript)
    if name == "counter-intake":
        page.get_by_label("Số hồ sơ giấy đã nhận tại quầy").fill("nhiều lắm")
    page.get_by_role("button", name=button, exact=True).click()
    expect(page).to_have_title(re.compile(r"^Lỗi:"))
    expect(page.locator(".error-summary")).to_be_visible()
    assert_good_page(page)


def test_the_queue_filters_in_place_with_javascript(open_page, office):
    page = open_page("/can-bo/ho-so/?nhom=tat-ca", cookies=office["cookies"])
    heading = page.get_by_role("heading", level=1)
    code = office["dossiers"]["refused"].code
    page.get_by_label("Tìm theo mã hồ sơ, họ tên hoặc số điện thoại").fill(code)
    expect(page.locator(".queue-list li")).to_have_count(1)
    expect(page.locator(".queue-list")).to_contain_text(code)
    expect(heading).to_be_visible()
    assert code in page.url
    assert_good_page(page)
