"""The officer ticks the one paper she needs, the back of the ID card, and the citizen is offered
exactly that (issue 11, item 13): at 360x740, A and A++, JavaScript on and off, axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import create_staff, sign_in_citizen, sign_in_staff
from tests.backoffice.conftest import first_commune, make_dossier, procedure_by_code
from tests.browser.conftest import assert_good_page, session_cookies
from tests.browser.test_backoffice_flow import photo_file
from webapp.accounts.models import Citizen
from webapp.core.db import database

pytestmark = pytest.mark.browser

BACK_OF_THE_CARD = "Ảnh thẻ căn cước của người xin trợ cấp – Mặt sau"
WORDS = "Ảnh mặt sau thẻ căn cước bị mờ, Ông/Bà chụp lại ở chỗ sáng giúp."


@pytest.fixture(scope="module")
def desks(live_app):
    """An officer's and a citizen's cookies; each test gets a received dossier of hers."""
    with live_app.app_context():
        commune = first_commune()
    officer = live_app.test_client()
    sign_in_staff(officer, role="officer", communes=[commune])
    citizen = live_app.test_client()
    her = sign_in_citizen(citizen, full_name="Lê Thị Năm")
    create_staff(live_app, communes=[commune], phone="0987654321")

    def received() -> str:
        with live_app.app_context(), database.connection_context():
            return make_dossier("received", commune=commune, citizen=Citizen.get_by_id(her.id),
                                procedure=procedure_by_code("1.001776")).code

    return {"officer": session_cookies(officer), "citizen": session_cookies(citizen),
            "received": received}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("text", ["a", "a2"], ids=["A", "A++"])
def test_she_is_offered_exactly_the_paper_the_officer_ticked(open_page, desks, javascript, text,
                                                             tmp_path):
    code = desks["received"]()
    officer = open_page(f"/can-bo/ho-so/{code}/yeu-cau-bo-sung", javascript=javascript,
                        viewport="desktop", cookies={**desks["officer"], "text": text})
    officer.get_by_role("button", name="Gửi yêu cầu cho công dân").click()
    expect(officer.locator("#papers-error")).to_contain_text("Đánh dấu từng giấy tờ")
    assert_good_page(officer)
    officer.get_by_label(BACK_OF_THE_CARD).check()
    officer.get_by_label("Còn thiếu giấy tờ gì?").fill(WORDS)
    officer.get_by_role("button", name="Gửi yêu cầu cho công dân").click()
    expect(officer.get_by_role("status")).to_contain_text("Đã gửi yêu cầu")

    citizen = open_page(f"/tra-cuu-ho-so/{code}", javascript=javascript,
                        cookies={**desks["citizen"], "text": text})
    card = citizen.locator("#status-card")
    expect(card.locator(".papers-to-send li")).to_have_text([BACK_OF_THE_CARD])
    assert_good_page(citizen)
    card.get_by_role("link", name="Bổ sung giấy tờ").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Bổ sung giấy tờ")
    expect(citizen.get_by_text(f"Ảnh chụp giấy tờ: {BACK_OF_THE_CARD}")).to_be_visible()
    expect(citizen.get_by_role("radio")).to_have_count(0)  # nothing else to choose from
    assert_good_page(citizen)
    citizen.get_by_label("Chụp ảnh giấy tờ").set_input_files(str(photo_file(tmp_path)))
    citizen.get_by_role("button", name="Gửi cho xã").click()
    # With or without a script, the photo she sent is there to see once it is sent.
    expect(citizen.get_by_role("heading", name="Ông/Bà đã gửi 1 ảnh")).to_be_visible()
    thumb = citizen.locator("#status-card img.photo-thumb")
    expect(thumb).to_have_attribute("alt", f"Ảnh thứ 1: {BACK_OF_THE_CARD}")
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") > 0
    assert_good_page(citizen)
