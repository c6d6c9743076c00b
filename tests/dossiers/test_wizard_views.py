"""The wizard as a citizen without JavaScript meets it: one question per page, plain forms."""

from __future__ import annotations

import re

from tests.accounts.helpers import sign_in_citizen
from tests.dossiers.helpers import (
    BIRTH_1953,
    CITIZEN_ID_1953,
    SOCIAL_ALLOWANCE,
    answer,
    error_message,
    fill_social_allowance,
    path_of,
    post,
    sign_in_again,
    start,
)
from tests.pages import check_page, page_text


def get_page(client, path: str, status: int = 200):
    response = client.get(path)
    assert response.status_code == status, response.status_code
    html = response.get_data(as_text=True)
    assert check_page(html) == []
    return html


def test_start_page_says_who_papers_time_fee_and_what_to_have_ready(client_page):
    page = client_page("dossiers.start", slug=SOCIAL_ALLOWANCE)
    for words in ("Ai được làm thủ tục này", "Ông/Bà cần chuẩn bị", "Giấy tờ cần chụp ảnh",
                  "Ảnh thẻ căn cước của người xin trợ cấp", "Thời gian:", "Lệ phí:",
                  "Miễn phí", "Đăng nhập để bắt đầu"):
        assert words in page.text, words
    assert "30 ngày" in page.text  # how long a draft is kept is stated


def test_every_online_procedure_is_listed_and_linked_from_its_catalogue_page(client_page):
    listing = client_page("dossiers.index")
    assert len(re.findall(r'href="/nop-ho-so/[^"]+"', listing.html)) >= 8
    detail = client_page("catalogue.detail", slug=SOCIAL_ALLOWANCE)
    assert f'href="/nop-ho-so/{SOCIAL_ALLOWANCE}"' in detail.html
    offline = client_page("catalogue.detail", slug="chung-thuc-ban-sao")
    assert "/nop-ho-so/" not in offline.html


def test_home_has_tiles_to_submit_and_to_look_up(client_page):
    page = client_page("site.home")
    assert "Nộp hồ sơ trực tuyến" in page.text and "Tra cứu hồ sơ" in page.text
    assert 'href="/nop-ho-so"' in page.html and 'href="/tra-cuu-ho-so"' in page.html


def test_starting_needs_a_signed_in_citizen(client):
    response = post(client, f"/nop-ho-so/{SOCIAL_ALLOWANCE}")
    assert response.status_code in (302, 303)
    assert "/ho-so-nhap/" not in response.location


def test_one_question_per_page_with_step_count_back_link_and_saved_answers(client):
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    first = start(client)
    html = get_page(client, first)
    assert first.endswith("/cau-hoi/date-of-birth")  # name and phone came from the profile
    assert len(re.findall(r"<h1", html)) == 1 and "Ngày sinh của người xin trợ cấp" in html
    assert "Bước 1 trên" in page_text(html)
    assert f'href="/nop-ho-so/{SOCIAL_ALLOWANCE}"' in html  # back to the start page
    second = answer(client, first, date_of_birth=BIRTH_1953)
    html = get_page(client, second)
    assert "Bước 2 trên" in page_text(html)
    assert f'href="{first}"' in html
    # Going back shows what was typed, saved on the server.
    again = get_page(client, first)
    assert 'value="24"' in again and 'value="1953"' in again


def test_a_wrong_citizen_id_is_explained_beside_the_field_and_kept(client):
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    path = answer(client, start(client), date_of_birth=BIRTH_1953)
    response = post(client, path, {"citizen_id": "07205300123"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and check_page(html) == []
    assert re.search(r"<title>Lỗi: ", html)
    assert "Số thẻ căn cước có 12 chữ số; Ông/Bà đã nhập 11 chữ số" in error_message(response)
    assert 'value="07205300123"' in html  # nothing typed is lost
    assert 'href="#citizen_id"' in html  # the summary links to the field
    # A number whose birth year contradicts the date of birth given before.
    response = post(client, path, {"citizen_id": "072060001234"})
    assert "không khớp với ngày sinh" in error_message(response)


def test_conditions_show_questions_only_for_some_answers(client):
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    path = answer(client, start(client), date_of_birth=BIRTH_1953)
    path = answer(client, path, citizen_id=CITIZEN_ID_1953)
    assert answer(client, path, situation="disability").endswith("/cau-hoi/disability-level")
    assert answer(client, path, situation="older_poor").endswith("/cau-hoi/has-supporter")


def test_check_answers_lists_everything_with_change_links_that_come_back(client):
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    check = fill_social_allowance(client, start(client))
    html = get_page(client, check)
    text = page_text(html)
    assert "Nguyễn Thị Tư" in text  # from the profile, never asked, shown here
    assert "24/11/1953" in text and CITIZEN_ID_1953 in text and "2 ảnh" in text
    assert text.count("Thay đổi") >= 10
    change = re.search(r'href="([^"]*/cau-hoi/payment\?tu=kiem-tra)"', html).group(1)
    following = answer(client, change.replace("&amp;", "&"), payment="bank")
    assert "/cau-hoi/bank-account" in following  # the new question is asked first...
    assert path_of(answer(client, following, bank_account="1234 5678, Agribank")) == check
    # A prefilled answer opened from here: no step count, and "Back" returns here.
    name = get_page(client, re.search(r'href="([^"]*/cau-hoi/applicant-name[^"]*)"', html)
                    .group(1).replace("&amp;", "&"))
    assert "Bước" not in page_text(name) and 'value="Nguyễn Thị Tư"' in name
    assert re.search(rf'class="back-link" href="{check}"', name)


def test_a_draft_is_resumed_on_another_device_where_it_was_left(client, app):
    citizen = sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    path = answer(client, start(client), date_of_birth=BIRTH_1953)
    other_phone = app.test_client()
    sign_in_again(other_phone, citizen)
    mine = other_phone.get("/ho-so-cua-toi").get_data(as_text=True)
    assert "Hồ sơ đang làm dở" in mine and "Xin trợ cấp xã hội hằng tháng" in mine
    resume = re.search(r'href="(/ho-so-nhap/[^"/]+)"', mine).group(1)
    assert path_of(other_phone.get(resume).location) == path


def test_someone_elses_draft_is_not_found(client, app):
    sign_in_citizen(client)
    path = start(client)
    stranger = app.test_client()
    sign_in_citizen(stranger)
    assert stranger.get(path).status_code == 404


def test_htmx_gets_only_the_step_with_its_title(client):
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    first = start(client)
    response = client.get(first, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<title>Ngày sinh của người xin trợ cấp" in html
    assert "HX-Request" in response.headers["Vary"]
    assert 'hx-post="' in html and 'hx-push-url="true"' in html
    error = post(client, first, {"date_of_birth-day": "31"}, headers={"HX-Request": "true"})
    assert error.status_code == 200 and error.headers["HX-Push-Url"] == "false"
    assert "<title>Lỗi: " in error.get_data(as_text=True)


def test_discarding_a_draft_asks_first_then_deletes_it(client):
    sign_in_citizen(client)
    token = start(client).split("/")[2]
    assert "Xóa hồ sơ đang làm dở?" in get_page(client, f"/ho-so-nhap/{token}/xoa")
    assert post(client, f"/ho-so-nhap/{token}/xoa").status_code == 303
    assert client.get(f"/ho-so-nhap/{token}").status_code == 404


def test_the_wizard_speaks_english_too(client):
    client.set_cookie("lang", "en")
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    first = start(client)
    html = get_page(client, first)
    assert "Date of birth of the person applying" in html and "Step 1 of" in page_text(html)
    response = post(client, first, {"date_of_birth-day": "31", "date_of_birth-month": "2",
                                    "date_of_birth-year": "1953"})
    assert error_message(response) == "This date does not exist. Check the day and the month."


def test_the_heaviest_step_stays_far_under_the_page_budget(client):
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    path = answer(client, start(client), date_of_birth=BIRTH_1953)
    path = answer(client, path, citizen_id=CITIZEN_ID_1953)
    for fields in ({"situation": "older_poor"}, {"has_supporter": "no"}, {"payment": "cash"}):
        path = answer(client, path, **fields)
    assert path.endswith("/cau-hoi/commune")  # the list of all the province's communes
    response = client.get(path, headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert len(response.data) < 10 * 1024  # the budget is 50 KB with CSS and JS


def _drafts(app, citizen) -> list[str]:
    from webapp.core.db import database
    from webapp.dossiers.models import DossierDraft

    with app.app_context(), database.connection_context():
        return [d.token for d in DossierDraft.in_progress(citizen.id)]


def test_starting_twice_opens_one_draft_and_the_start_page_offers_to_carry_on(client, app):
    citizen = sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    key = "k" * 32
    first = post(client, f"/nop-ho-so/{SOCIAL_ALLOWANCE}", {"start_key": key}).location
    again = post(client, f"/nop-ho-so/{SOCIAL_ALLOWANCE}", {"start_key": key}).location
    other_tab = post(client, f"/nop-ho-so/{SOCIAL_ALLOWANCE}", {"start_key": "o" * 32}).location
    assert first == again == other_tab and len(_drafts(app, citizen)) == 1
    html = get_page(client, f"/nop-ho-so/{SOCIAL_ALLOWANCE}")
    assert "Làm tiếp hồ sơ đang làm dở" in html and "Bắt đầu lại từ đầu" in html
    assert "dossiers.begin" not in html and f'action="/nop-ho-so/{SOCIAL_ALLOWANCE}"' not in html


def test_a_start_key_of_someone_elses_draft_is_refused(client, app):
    sign_in_citizen(client)
    post(client, f"/nop-ho-so/{SOCIAL_ALLOWANCE}", {"start_key": "s" * 32})
    stranger = app.test_client()
    sign_in_citizen(stranger)
    assert post(stranger, f"/nop-ho-so/{SOCIAL_ALLOWANCE}",
                {"start_key": "s" * 32}).status_code == 400


def test_starting_again_asks_first_then_replaces_the_draft(client, app):
    citizen = sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    old = start(client).split("/")[2]
    assert "Bắt đầu lại từ đầu?" in get_page(client, f"/nop-ho-so/{SOCIAL_ALLOWANCE}/bat-dau-lai")
    assert _drafts(app, citizen) == [old]  # asking deleted nothing
    response = post(client, f"/nop-ho-so/{SOCIAL_ALLOWANCE}/bat-dau-lai")
    assert response.status_code == 303
    new = _drafts(app, citizen)
    assert len(new) == 1 and new != [old]
    assert client.get(f"/ho-so-nhap/{old}").status_code == 404


def test_signing_in_from_a_start_page_leads_to_the_first_question_which_writes_nothing(
        client, app):
    assert f"next=/nop-ho-so/{SOCIAL_ALLOWANCE}/dang-nhap" in client.get(
        f"/nop-ho-so/{SOCIAL_ALLOWANCE}/dang-nhap").location
    citizen = sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    first = path_of(client.get(f"/nop-ho-so/{SOCIAL_ALLOWANCE}/dang-nhap").location)
    assert first == f"/nop-ho-so/{SOCIAL_ALLOWANCE}/cau-hoi-dau"
    html = get_page(client, first)
    assert "Ngày sinh của người xin trợ cấp" in html and "Bước 1 trên" in html
    assert _drafts(app, citizen) == []
    assert post(client, first, {"date_of_birth-day": "31"}).status_code == 200  # an error
    assert _drafts(app, citizen) == []
    following = answer(client, first, date_of_birth=BIRTH_1953)
    assert "/cau-hoi/citizen-id" in following and len(_drafts(app, citizen)) == 1
    assert path_of(client.get(first).location).startswith("/ho-so-nhap/")  # now: the draft
