"""The citizen's profile: seen and corrected by its owner only, validated, prefilled later."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.accounts.helpers import create_citizen, sign_in_citizen, unique_phone
from tests.pages import check_page, page_text
from webapp.accounts.models import Citizen
from webapp.audit.models import AuditEvent
from webapp.places.models import Commune

GOOD = {
    "full_name": "  Nguyễn   Thị Mai ", "date_of_birth-day": "15", "date_of_birth-month": "3",
    "date_of_birth-year": "1956", "citizen_id": "072 156 001 234", "commune": "25459",
    "address": "Số 12, đường 30 Tháng 4",
}


def _save(post, **changes):
    return post("/tai-khoan/thong-tin", **{**GOOD, **changes})


def test_the_profile_asks_anyone_not_signed_in_to_sign_in_and_comes_back(client):
    response = client.get("/tai-khoan/thong-tin")
    assert response.status_code == 303
    assert response.headers["Location"] == "/dang-nhap?next=/tai-khoan/thong-tin"


def test_the_profile_shows_the_citizen_id_masked_and_the_phone_in_full(client, client_page):
    citizen = sign_in_citizen(client, citizen_id="072156001234", full_name="Nguyễn Thị Mai")
    page = client_page("accounts.profile")
    assert "072••••••234" in page.text and "072156001234" not in page.html
    assert f"{citizen.phone[:4]} {citizen.phone[4:7]} {citizen.phone[7:]}" in page.text
    assert "Tài khoản của tôi" in page.text and "Đăng xuất" in page.text


def test_saving_the_profile_cleans_what_was_typed_and_records_which_fields_changed(client, post,
                                                                                   db):
    citizen = sign_in_citizen(client)
    response = _save(post)
    assert response.status_code == 303 and response.headers["Location"] == "/tai-khoan"
    with db():
        saved = Citizen.get_by_id(citizen.id)
        event = AuditEvent.for_object("citizen", citizen.id)[-1]
        commune = Commune.get(Commune.code == "25459")
    assert saved.full_name == "Nguyễn Thị Mai"
    assert saved.date_of_birth == dt.date(1956, 3, 15)
    assert saved.citizen_id == "072156001234"
    assert saved.commune_id == commune.id
    assert event.action == "citizen.profile_updated"
    assert event.detail == {"fields": ["full_name", "date_of_birth", "citizen_id", "commune",
                                       "address"]}
    assert "Thông tin của Ông/Bà đã được lưu." in client.get("/tai-khoan").get_data(as_text=True)


@pytest.mark.parametrize(("changes", "message"), [
    ({"citizen_id": "07215600123"}, "Số căn cước có 12 chữ số"),
    ({"citizen_id": "123456789"}, "Số chứng minh nhân dân 9 số cũ không còn dùng nữa"),
    ({"citizen_id": "999156001234"}, "3 chữ số đầu không phải mã tỉnh"),
    # the century digit says a woman born in the 2000s, the date says 1956
    ({"citizen_id": "072356001234"}, "Số căn cước không khớp với năm sinh"),
    ({"citizen_id": "072157001234"}, "Số căn cước không khớp với năm sinh"),
    ({"date_of_birth-day": "31", "date_of_birth-month": "2"}, "Xin nhập ngày, tháng, năm"),
    ({"date_of_birth-year": "2999"}, "Ngày sinh phải là một ngày đã qua"),
    ({"full_name": ""}, "Xin nhập họ và tên"),
    ({"commune": "00000"}, "Xin chọn xã, phường"),
])
def test_a_wrong_answer_is_explained_beside_its_field_and_nothing_typed_is_lost(
        client, post, changes, message):
    sign_in_citizen(client)
    response = _save(post, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and check_page(html) == []
    assert message in page_text(html)
    assert "<title>Lỗi: " in html
    assert 'value="Số 12, đường 30 Tháng 4"' not in html  # the address is a textarea...
    assert "Số 12, đường 30 Tháng 4</textarea>" in html  # ...and keeps what was typed
    for name, value in {**GOOD, **changes}.items():
        if name not in ("address", "commune"):
            assert f'value="{value}"' in html, name


def test_a_profile_only_ever_shows_its_owner(client, app, client_page):
    other = create_citizen(app, full_name="Người Khác", citizen_id="072156009999")
    sign_in_citizen(client, full_name="Chủ Tài Khoản")
    page = client_page("accounts.profile")
    assert "Chủ Tài Khoản" in page.text
    assert other.full_name not in page.text and "999" not in page.text


def test_changing_the_phone_needs_a_code_sent_to_the_new_number(client, post, outbox, db):
    citizen = sign_in_citizen(client)
    new_phone = unique_phone()
    assert post("/tai-khoan/so-dien-thoai", phone=new_phone).status_code == 303
    with db():
        assert Citizen.get_by_id(citizen.id).phone == citizen.phone  # not yet
    assert post("/dang-nhap/ma-xac-nhan", code=outbox.code(new_phone)).status_code == 303
    with db():
        assert Citizen.get_by_id(citizen.id).phone == new_phone
        event = AuditEvent.for_object("citizen", citizen.id)[-1]
    assert event.action == "citizen.phone_changed"
    assert event.detail["new_phone"] == f"{new_phone[:4]} *** {new_phone[7:]}"
    assert "Số điện thoại của Ông/Bà nay là" in client.get("/tai-khoan").get_data(as_text=True)


def test_the_phone_cannot_be_changed_to_a_number_of_another_account(client, app, post, outbox,
                                                                     db):
    taken = create_citizen(app)
    citizen = sign_in_citizen(client)
    post("/tai-khoan/so-dien-thoai", phone=taken.phone)
    post("/dang-nhap/ma-xac-nhan", code=outbox.code(taken.phone))
    with db():
        assert Citizen.get_by_id(citizen.id).phone == citizen.phone
    assert "Số này đã thuộc một tài khoản khác" in client.get("/tai-khoan").get_data(
        as_text=True)


def test_the_same_number_again_is_explained(client, post):
    citizen = sign_in_citizen(client)
    html = post("/tai-khoan/so-dien-thoai", phone=citizen.phone).get_data(as_text=True)
    assert "Đây đã là số điện thoại Ông/Bà đang dùng." in page_text(html)
