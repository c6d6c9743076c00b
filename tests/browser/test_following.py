"""Following a dossier after it is sent, at 360x740, at A and A++, with JavaScript on and off,
every state axe-clean (issue 11, items 10, 11, 12, 14 and 15): the officer's history, the
status page, the rating, the receipt and "Hồ sơ của tôi"."""

from __future__ import annotations

import datetime as dt
import re

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


# --- 10: the status page ------------------------------------------------------------------

STATES = ("submitted", "received", "waiting", "added", "approved", "refused", "closed")
MOVES = {
    "submitted": (),
    "received": (("receive", ""),),
    "waiting": (("receive", ""), ("request_papers", "Ảnh mặt sau căn cước bị mờ, Ông/Bà chụp "
                                                    "lại ở chỗ sáng giúp.")),
    "added": (("receive", ""), ("request_papers", "Thiếu ảnh mặt sau căn cước."),
              ("add_papers", "")),
    "approved": (("receive", ""), ("approve", "")),
    "refused": (("receive", ""), ("refuse", "Ông/Bà chưa đủ 80 tuổi theo giấy tờ đã nộp.")),
    "closed": (("receive", ""), ("approve", ""), ("close", "")),
}
# Text the brief measures: at A++ on a 320 px phone, every paragraph of the card at least this
# wide (the page's own column is 264 px there).
MIN_TEXT_COLUMN = 260

TEXT_COLUMN_JS = """
() => Array.from(document.querySelectorAll('#status-card p, #status-card dd'))
  .filter(el => el.getBoundingClientRect().height > 0)
  .map(el => [Math.round(el.getBoundingClientRect().width), el.textContent.trim().slice(0, 40)])
"""


@pytest.fixture(scope="module")
def her_dossiers(live_app):
    """A citizen signed in, with a dossier in every status; an officer with a phone."""
    from tests.accounts.helpers import create_staff, sign_in_citizen
    from webapp.accounts.models import Citizen
    from webapp.dossiers.models import DossierResult

    client = live_app.test_client()
    citizen = sign_in_citizen(client, full_name="Lê Thị Năm")
    with live_app.app_context():
        commune = first_commune()
    staff = create_staff(live_app, communes=[commune], phone="0987654321")
    codes = {}
    with live_app.app_context(), database.connection_context():
        her = Citizen.get_by_id(citizen.id)
        for state in STATES:
            dossier = make_dossier(commune=commune, citizen=her)
            for action, words in MOVES[state]:
                if action == "approve":
                    DossierResult.create(dossier=dossier, text="Quyết định trợ cấp đã ký.",
                                         delivery="pickup", created_at=utcnow())
                by = {"citizen": her} if action == "add_papers" else {"staff": staff}
                _move(dossier, action, words, **by)
            codes[state] = dossier.code

    def decided(state: str = "approved") -> str:
        """A fresh dossier of hers in a decided state (each rating test rates its own)."""
        with live_app.app_context(), database.connection_context():
            dossier = make_dossier(commune=commune, citizen=Citizen.get_by_id(citizen.id))
            for action, words in MOVES[state]:
                if action == "approve":
                    DossierResult.create(dossier=dossier, text="Quyết định trợ cấp đã ký.",
                                         delivery="pickup", created_at=utcnow())
                _move(dossier, action, words, staff=staff)
            return dossier.code

    return {"cookies": session_cookies(client), "codes": codes, "decided": decided}


def _colour(page, selector: str, prop: str = "color") -> str:
    return page.locator(selector).first.evaluate(f"el => getComputedStyle(el).{prop}")


@JS
@TEXT
def test_the_status_page_in_every_state(open_page, her_dossiers, javascript, text):
    codes, cookies = her_dossiers["codes"], {**her_dossiers["cookies"], "text": text}
    page = open_page(f"/tra-cuu-ho-so/{codes['submitted']}", javascript=javascript,
                     cookies=cookies)
    success = page.evaluate("""() => { const probe = document.createElement('span');
        probe.style.color = 'var(--success)'; document.body.append(probe);
        const colour = getComputedStyle(probe).color; probe.remove(); return colour; }""")
    for state in STATES:
        page.goto(f"/tra-cuu-ho-so/{codes[state]}")
        now = page.locator(".status-now")
        expect(now).to_be_visible()
        body_text = page.locator("body").inner_text()
        # Nothing claims the page refreshes itself unless htmx runs and it really does.
        refreshes = "Trang này tự cập nhật" in body_text
        assert refreshes == (javascript and state in ("submitted", "received", "added")), state
        # Green only for a result; a box never sits inside another box.
        assert (_colour(page, ".status-now") == success) == (state in ("approved", "closed"))
        assert page.locator("#status-card .notice, .status-card .status-card").count() == 0
        assert _colour(page, "#status-card", "borderTopStyle") == "none"
        if state == "waiting":
            band = page.locator(".status-action")
            expect(band.locator(".status-now")).to_have_text("Cần Ông/Bà bổ sung giấy tờ")
            expect(band).to_contain_text("Xã ghi: “Ảnh mặt sau căn cước bị mờ")
            expect(band.get_by_role("link", name="Bổ sung giấy tờ")).to_have_class(
                "button button--block-mobile")
            assert _colour(page, ".status-action", "backgroundColor") != success
            due = page.locator(".summary-row", has_text="Hẹn trả kết quả")
            expect(due).to_contain_text("Đang tạm dừng trong lúc xã chờ giấy tờ")
            assert not re.search(r"\d+/\d+/\d{4}", due.inner_text())  # no stale due date
        else:
            assert page.locator(".status-action").count() == 0
        assert_good_page(page)


@TEXT
def test_the_text_keeps_the_column_on_a_320_px_phone(open_page, her_dossiers, text):
    """Measured for docs/benchmarks.md: the narrowest paragraph of the card, per state."""
    codes = her_dossiers["codes"]
    page = open_page(f"/tra-cuu-ho-so/{codes['waiting']}",
                     cookies={**her_dossiers["cookies"], "text": text})
    page.set_viewport_size({"width": 320, "height": 740})
    narrowest = {}
    for state in ("waiting", "approved", "refused", "closed"):
        page.goto(f"/tra-cuu-ho-so/{codes[state]}")
        expect(page.locator(".status-now")).to_be_visible()
        widths = page.evaluate(TEXT_COLUMN_JS)
        narrowest[state] = min(widths)
    print(f"text column at {text} on 320 px:", narrowest)
    assert all(width >= MIN_TEXT_COLUMN for width, _text in narrowest.values()), narrowest


# --- 11: rating -----------------------------------------------------------------------------

SCREEN_HEIGHT = 740
RATING_BLOCK_JS = """
() => { const top = document.querySelector('#rating-heading').getBoundingClientRect().top;
        const button = document.querySelector('#danh-gia button[type=submit]');
        return [Math.round(button.getBoundingClientRect().bottom - top),
                Math.round(button.getBoundingClientRect().bottom)]; }
"""


@JS
@TEXT
def test_the_five_faces_the_comment_and_the_button_fit_one_screen(open_page, her_dossiers,
                                                                  javascript, text):
    code = her_dossiers["decided"]()
    page = open_page(f"/tra-cuu-ho-so/{code}#danh-gia", javascript=javascript,
                     cookies={**her_dossiers["cookies"], "text": text})
    faces = page.locator("#danh-gia input[name=score]")
    expect(faces).to_have_count(5)
    button = page.get_by_role("button", name="Gửi đánh giá")
    expect(button).to_be_visible()
    assert_good_page(page)
    page.locator("#rating-heading").scroll_into_view_if_needed()
    page.evaluate("() => document.querySelector('#danh-gia').scrollIntoView()")
    height, bottom = page.evaluate(RATING_BLOCK_JS)
    print(f"rating at {text}: question to the bottom of the button {height} px, "
          f"button bottom at {bottom} px once the rating is scrolled to")
    assert height <= SCREEN_HEIGHT and bottom <= SCREEN_HEIGHT, (height, bottom)

    # Sent without a face: the error beside the faces, the comment kept; then a face.
    page.get_by_label("Góp ý thêm (không bắt buộc)").fill("Cán bộ nhiệt tình.")
    button.click()
    expect(page.locator("#score-error")).to_contain_text("khuôn mặt")
    expect(page.get_by_label("Góp ý thêm (không bắt buộc)")).to_have_value(
        "Cán bộ nhiệt tình.")
    assert_good_page(page)
    page.get_by_label("Rất hài lòng").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("#danh-gia")).to_contain_text("Ông/Bà đã đánh giá: Rất hài lòng.")
    assert_good_page(page)


# --- 12: printing -------------------------------------------------------------------------

ZALO = ("Mozilla/5.0 (Linux; Android 12; SM-A125F Build/SP1A.210812.016; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 "
        "Zalo android/12100626 ZaloTheme/light ZaloLanguage/vi")
SEND_RECEIPT = "Gửi biên nhận về điện thoại"


@JS
@TEXT
def test_the_print_button_is_there_only_when_it_can_print(open_page, her_dossiers, javascript,
                                                         text):
    page = open_page(f"/ho-so/{her_dossiers['codes']['submitted']}", javascript=javascript,
                     cookies={**her_dossiers["cookies"], "text": text})
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã gửi hồ sơ")
    printing = page.locator("[data-print]")
    expect(page.get_by_role("button", name=SEND_RECEIPT)).to_have_count(0)
    if javascript:
        expect(printing).to_be_visible()
        page.evaluate("() => { window.printed = 0; window.print = () => { window.printed++; }; }")
        printing.click()
        assert page.evaluate("() => window.printed") == 1
    else:
        expect(printing).to_be_hidden()  # [hidden] wins over .button--block-mobile
    assert_good_page(page)


@JS
@TEXT
def test_in_zalo_the_receipt_goes_to_her_phone_once(open_page, live_app, her_dossiers,
                                                   javascript, text):
    from webapp.notifications.models import OutboxMessage

    code = her_dossiers["decided"]("submitted")
    page = open_page(f"/ho-so/{code}", javascript=javascript, user_agent=ZALO,
                     cookies={**her_dossiers["cookies"], "text": text})
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã gửi hồ sơ")
    expect(page.locator("[data-print]")).to_have_count(0)
    assert_good_page(page)
    for _tap in range(2):
        page.get_by_role("button", name=SEND_RECEIPT).click()
        expect(page.locator(".notice[role=status]")).to_contain_text(
            "Biên nhận đang được gửi về số")
    assert_good_page(page)
    with live_app.app_context(), database.connection_context():
        sent = [m for m in OutboxMessage.select().where(
            OutboxMessage.template == "dossier_receipt") if m.data["code"] == code]
    assert len(sent) == 1
    assert code in sent[0].text and f"/ho-so/{code}" in sent[0].text


def test_the_receipt_prints_on_one_a4_page(open_page, her_dossiers):
    page = open_page(f"/ho-so/{her_dossiers['codes']['submitted']}",
                     cookies={**her_dossiers["cookies"], "text": "a2"})
    expect(page.locator("[data-print]")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in ("[data-print]", ".account-nav", ".settings", ".site-footer", ".actions"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".dossier-code")).to_be_visible()
    expect(page.locator(".qr-code")).to_be_visible()
    assert page.locator(".qr-code").evaluate("el => el.getBoundingClientRect().width") > 150
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages == 1, pages


# --- 15: "Hồ sơ của tôi" on the home page and the account page -------------------------------


@JS
@TEXT
def test_her_dossiers_are_one_tap_from_home_and_from_her_account(open_page, her_dossiers,
                                                                 javascript, text):
    page = open_page("/", javascript=javascript, cookies={**her_dossiers["cookies"], "text": text})
    first_tile = page.locator(".tiles .tile").first
    expect(first_tile).to_contain_text("Hồ sơ của tôi")
    expect(first_tile).to_contain_text("1 hồ sơ cần Ông/Bà bổ sung giấy tờ.")
    expect(first_tile).to_have_class("tile tile--urgent")
    assert_good_page(page)
    first_tile.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    expect(page.locator(".item-list")).to_contain_text(her_dossiers["codes"]["waiting"])
    waiting = page.locator(".item-list li", has_text=her_dossiers["codes"]["waiting"])
    expect(waiting.get_by_role("link", name="Bổ sung giấy tờ")).to_have_attribute(
        "href", f"/tra-cuu-ho-so/{her_dossiers['codes']['waiting']}/bo-sung")
    expect(page.get_by_role("link", name="Bổ sung giấy tờ")).to_have_count(1)
    assert_good_page(page)

    page.goto("/tai-khoan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")
    page.get_by_role("link", name="Hồ sơ của tôi: hồ sơ đã gửi và hồ sơ đang làm dở").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    assert_good_page(page)


@TEXT
def test_the_home_page_of_a_visitor_has_no_dossiers_tile(open_page, text):
    page = open_page("/", cookies={"text": text})
    expect(page.locator(".tiles .tile").first).to_contain_text("Nộp hồ sơ trực tuyến")
    expect(page.locator(".tiles")).not_to_contain_text("Hồ sơ của tôi")
    assert_good_page(page)


# --- The new colours in the dark scheme and in high contrast -------------------------------


@pytest.mark.parametrize("look", ["dark", "high-contrast"])
def test_the_warning_band_the_rating_and_the_tile_read_well_in_every_look(open_page,
                                                                         her_dossiers, look):
    cookies = her_dossiers["cookies"]
    options = ({"color_scheme": "dark", "cookies": cookies} if look == "dark"
               else {"cookies": {**cookies, "contrast": "high"}})
    page = open_page(f"/tra-cuu-ho-so/{her_dossiers['codes']['waiting']}", **options)
    expect(page.locator(".status-action")).to_be_visible()
    assert_good_page(page)
    page.goto(f"/tra-cuu-ho-so/{her_dossiers['codes']['closed']}#danh-gia")
    expect(page.locator("#danh-gia")).to_be_visible()
    assert_good_page(page)
    page.goto("/")
    expect(page.locator(".tile--urgent")).to_be_visible()
    assert_good_page(page)
