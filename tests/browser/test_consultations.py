"""Consultations in the browser (issue 13): an administrator makes and publishes one in the back
office, people read it on their phones; JS on and off, A and A++, axe clean on every state."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import sign_in_staff
from tests.browser.conftest import assert_good_page, session_cookies
from webapp.core.clock import local_today

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_an_administrator_makes_and_publishes_a_consultation(open_page, live_app, javascript):
    client = live_app.test_client()
    sign_in_staff(client, role="admin")
    page = open_page("/can-bo/lay-y-kien", javascript=javascript, viewport="desktop",
                     cookies=session_cookies(client))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lấy ý kiến")
    assert_good_page(page)
    page.get_by_role("link", name="Tạo cuộc lấy ý kiến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạo cuộc lấy ý kiến")
    page.get_by_role("button", name="Lưu").click()  # nothing typed: errors beside the fields
    expect(page).to_have_title(re.compile("^Lỗi:"))
    expect(page.locator(".error-summary")).to_contain_text("Viết tiêu đề")
    assert_good_page(page)
    title = f"Sửa đường nào trước? ({'js' if javascript else 'nojs'})"
    page.get_by_label("Tiêu đề").fill(title)
    page.get_by_label("Cơ quan hỏi ý kiến").fill("Sở Xây dựng")
    page.get_by_label("Vì sao hỏi ý kiến").fill("Để chọn đường sửa trong năm tới.")
    page.get_by_label("Mọi người").check()
    page.get_by_label("Ngày bắt đầu").fill(local_today().isoformat())
    page.get_by_label(re.compile("^Ngày kết thúc")).fill(
        (local_today() + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("status")).to_contain_text("Đã lưu")
    page.get_by_label("Chọn một", exact=True).check()
    page.get_by_label("Câu hỏi", exact=True).fill("Đường nào cần sửa trước?")
    page.get_by_label(re.compile("^Các lựa chọn")).fill("Đường 1\nĐường 2")
    page.get_by_role("button", name="Thêm câu hỏi này").click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm câu hỏi")
    expect(page.get_by_text("Đường nào cần sửa trước?")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("button", name="Công bố cuộc lấy ý kiến").click()
    expect(page.get_by_role("status")).to_contain_text("Đã công bố")
    page.get_by_role("link", name="Trang người dân thấy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_people_read_the_open_consultations(open_page, live_app, javascript, text_size):
    from tests.consultations.conftest import make_consultation

    title = f"Chợ mới đặt ở đâu? ({text_size}, {'js' if javascript else 'nojs'})"
    with live_app.app_context():
        consultation = make_consultation(title=title)
    page = open_page("/lay-y-kien", javascript=javascript, cookies={"text": text_size})
    expect(page.get_by_role("heading", level=1)).to_have_text("Góp ý kiến")
    assert_good_page(page)
    page.get_by_role("link", name=title).click()
    expect(page).to_have_url(re.compile(f"/lay-y-kien/{consultation.id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_good_page(page)


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_she_answers_one_question_per_page_and_sends(open_page, live_app, javascript,
                                                      text_size):
    from tests.accounts.helpers import first_communes, sign_in_citizen
    from tests.consultations.conftest import make_consultation

    title = f"Chợ mới, ý kiến ({text_size}, {'js' if javascript else 'nojs'})"
    client = live_app.test_client()
    with live_app.app_context():
        commune = first_communes(1)[0]
        consultation = make_consultation(title=title)
    sign_in_citizen(client, commune=commune)
    page = open_page(f"/lay-y-kien/{consultation.id}", javascript=javascript,
                     cookies={**session_cookies(client), "text": text_size})
    page.get_by_role("link", name="Tôi góp ý kiến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Về Ông/Bà")
    assert_good_page(page)
    page.get_by_label("Với tư cách cá nhân").check()
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ông/Bà chọn nơi nào?")
    page.get_by_role("button", name="Tiếp tục").click()  # no choice: the reason beside it
    expect(page).to_have_title(re.compile("^Lỗi:"))
    expect(page.locator(".error-message")).to_contain_text("Chọn một câu trả lời.")
    assert_good_page(page)
    page.get_by_label("Gần chùa").check()
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chợ cần có gì?")
    page.get_by_label("Bãi xe").check()
    page.get_by_label("Mái che").check()
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ông/Bà cần chợ mới đến mức nào?")
    assert_good_page(page)
    page.get_by_label("5 - rất nhiều").check()
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ý kiến khác")
    page.get_by_label("Ý kiến khác").fill("Cần thêm cây xanh.")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem lại câu trả lời")
    expect(page.get_by_text("Bãi xe, Mái che")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("button", name="Gửi câu trả lời").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cảm ơn Ông/Bà: câu trả lời đã được gửi")
    assert_good_page(page)
    page.get_by_role("link", name="Quay lại cuộc lấy ý kiến").click()
    expect(page.get_by_role("link", name="Sửa câu trả lời của tôi")).to_be_visible()


def _closed_with_answers(live_app, title):
    from tests.accounts.helpers import first_communes, sign_in_citizen
    from tests.consultations.conftest import make_consultation
    from webapp.consultations import services
    from webapp.consultations.models import Consultation

    with live_app.app_context():
        commune = first_communes(1)[0]
        consultation = make_consultation(title=title)
        for index in range(3):
            citizen = sign_in_citizen(live_app.test_client())
            row = services.answer_row(consultation, citizen.phone, citizen)
            services.save_about(row, commune.id, False, "", "")
            for question, value in zip(services.questions_of(consultation),
                                       (index % 3, [0, index % 3], 5 - index,
                                        f"Ý kiến số {index}, gọi 0912 345 67{index}"),
                                       strict=True):
                services.save_draft_answer(row, question, value)
            services.send(consultation, citizen.phone)
        Consultation.update(closes_on=local_today() - dt.timedelta(days=1)).where(
            Consultation.id == consultation.id).execute()
    return consultation


@pytest.mark.parametrize("text_size", ["a", "a2"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_results_and_what_the_province_will_do(open_page, live_app, javascript, text_size):
    title = f"Kết quả chợ mới ({text_size}, {'js' if javascript else 'nojs'})"
    consultation = _closed_with_answers(live_app, title)
    client = live_app.test_client()
    sign_in_staff(client, role="admin")
    page = open_page(f"/can-bo/lay-y-kien/{consultation.id}", javascript=javascript,
                     viewport="desktop", cookies={**session_cookies(client), "text": text_size})
    page.get_by_role("link", name="Kết quả, ý kiến viết và việc tỉnh sẽ làm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kết quả: {title}")
    expect(page.get_by_text("3 người đã trả lời.")).to_be_visible()
    assert_good_page(page)
    page.get_by_role("link", name="Đọc các ý kiến").click()
    expect(page.get_by_text("Ý kiến số 1, gọi 0912 *** 671")).to_be_visible()
    assert_good_page(page)
    page.go_back()
    page.get_by_label("Tỉnh đã quyết định gì và sẽ làm gì").fill("Chợ xây gần trường.")
    page.get_by_role("button", name="Công bố trên trang lấy ý kiến").click()
    expect(page.get_by_role("status")).to_contain_text("Đã công bố")
    citizen = open_page(f"/lay-y-kien/{consultation.id}", javascript=javascript,
                        cookies={"text": text_size})
    expect(citizen.get_by_role("heading", name="Kết quả và việc tỉnh sẽ làm")).to_be_visible()
    expect(citizen.get_by_text("Chợ xây gần trường.")).to_be_visible()
    expect(citizen.locator("svg.chart").first).to_be_visible()
    assert_good_page(citizen)
