"""News as an officer publishes it and as Bà Tư reads it on her phone: an article for one
commune is found by its readers and not by another commune's; JS on and off, A and A++, 360
and 320 px, axe clean on every state (issue 14)."""

from __future__ import annotations

import re
import shutil
import uuid

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import first_communes, sign_in_citizen, sign_in_staff
from tests.browser.conftest import assert_good_page, session_cookies
from tests.news.helpers import make_article
from webapp.core.db import database
from webapp.news import audio
from webapp.news.models import ARTICLE_AUDIO

pytestmark = pytest.mark.browser
NARROW = {"width": 320, "height": 640}


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_an_article_for_one_commune_reaches_its_readers_only(open_page, live_app, javascript,
                                                             text_size):
    commune_a, commune_b = first_communes(2)
    title = f"Tiêm ngừa cúm cho người cao tuổi {uuid.uuid4().hex[:6]}"
    officer = live_app.test_client()
    sign_in_staff(officer, role="officer", communes=[commune_a], full_name="Trần Văn Minh")
    page = open_page("/can-bo/tin-tuc", javascript=javascript,
                     cookies={**session_cookies(officer), "text": text_size})
    page.get_by_role("link", name="Viết bài mới").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Viết bài mới")
    assert_good_page(page)
    page.get_by_role("button", name="Đăng bài").click()  # nothing written: errors, in place
    expect(page).to_have_title(re.compile("^Lỗi:"))
    expect(page.locator(".error-summary")).to_contain_text("Ông/Bà hãy viết tiêu đề.")
    assert_good_page(page)
    page.get_by_label("Tiêu đề").fill(title)
    page.get_by_label("Tóm tắt").fill("Trạm y tế xã tiêm ngừa cúm miễn phí.")
    page.get_by_label("Nội dung").fill("Sáng thứ Bảy, 7 giờ.\n\n- Mang CCCD\n- Mang thẻ BHYT")
    page.get_by_label("Chủ đề").select_option(label="Sức khỏe")
    page.get_by_label("Một số xã").check()
    page.get_by_label(commune_a.name).check()
    page.get_by_role("button", name="Đăng bài").click()
    expect(page.get_by_role("status")).to_contain_text("Bài viết đã được đăng.")
    assert_good_page(page)

    reader = live_app.test_client()
    sign_in_citizen(reader, commune=commune_a)
    page = open_page("/tin-tuc", javascript=javascript,
                     cookies={**session_cookies(reader), "text": text_size})
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("listitem").filter(has_text="Mang thẻ BHYT")).to_be_visible()
    assert_good_page(page)
    page.set_viewport_size(NARROW)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_good_page(page)

    other = live_app.test_client()
    sign_in_citizen(other, commune=commune_b)
    page = open_page("/tin-tuc", javascript=javascript,
                     cookies={**session_cookies(other), "text": text_size})
    expect(page.get_by_role("heading", level=1)).to_have_text("Tin tức và thông báo")
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    assert_good_page(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_visitor_chooses_her_commune_on_the_list(open_page, live_app, javascript):
    commune_a = first_communes(1)[0]
    page = open_page("/tin-tuc", javascript=javascript, cookies={"text": "a2"})
    page.set_viewport_size(NARROW)
    page.get_by_label("Xã, phường của Ông/Bà").select_option(label=commune_a.name)
    page.get_by_role("button", name="Xem tin của xã").click()
    expect(page.locator(".lead")).to_contain_text(commune_a.name)
    page.get_by_role("link", name="Sức khỏe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sức khỏe")
    assert_good_page(page)


@pytest.mark.skipif(not (shutil.which("espeak-ng") and shutil.which("ffmpeg")),
                    reason="'Nghe đọc' needs Debian's espeak-ng and ffmpeg (make speech)")
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_she_listens_to_an_article(open_page, live_app, javascript):
    article = make_article(live_app, title=f"Cảnh giác cuộc gọi giả danh {uuid.uuid4().hex[:6]}",
                           body="Không ai được hỏi mã OTP qua điện thoại. Gọi 113 khi nghi ngờ.")
    with live_app.app_context(), database.connection_context():
        row = audio.make(ARTICLE_AUDIO, str(article.id), "1", audio.article_text(article))
    page = open_page(f"/tin-tuc/{article.slug}", javascript=javascript, cookies={"text": "a2"})
    player = page.locator("audio[controls]")
    expect(player).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Thời lượng: \d+ giây$"))).to_be_visible()
    # The browser itself loads the audio and reads its length (Opus in WebM in Chromium).
    duration = player.evaluate("""a => new Promise((done, failed) => {
        a.addEventListener('loadedmetadata', () => done(a.duration), {once: true});
        a.addEventListener('error', () => failed(String(a.error && a.error.code)), {once: true});
        a.preload = 'metadata'; a.load(); })""")
    assert abs(duration - row.duration_ms / 1000) < 1.5 and duration > 3
    assert player.evaluate("a => a.currentSrc").endswith(".webm")
    page.set_viewport_size(NARROW)
    assert_good_page(page)
