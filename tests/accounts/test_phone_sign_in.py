"""Signing in with a six-digit code sent to the phone: every rule a citizen and an attacker meet."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from tests.accounts.conftest import csrf_token
from tests.accounts.helpers import unique_phone
from tests.pages import check_page, page_text
from webapp.accounts.auth import SESSION_KEY
from webapp.accounts.models import Citizen, PhoneChallenge, SignInSession
from webapp.audit.models import AuditEvent
from webapp.core.phones import format_for_display


def _ask_code(post, phone: str, next_url: str = ""):
    return post("/dang-nhap", phone=phone, next=next_url)


def _challenge(db, phone: str) -> PhoneChallenge:
    with db():
        return (PhoneChallenge.select().where(PhoneChallenge.phone == phone)
                .order_by(PhoneChallenge.id.desc()).get())


def _age_challenge(db, phone: str, **delta) -> None:
    """Move the latest challenge of `phone` into the past, as if time had passed."""
    with db():
        latest = _challenge(db, phone)
        PhoneChallenge.update(created_at=latest.created_at - dt.timedelta(**delta),
                              expires_at=latest.expires_at - dt.timedelta(**delta)
                              ).where(PhoneChallenge.id == latest.id).execute()


def _page(response) -> str:
    html = response.get_data(as_text=True)
    assert check_page(html) == []
    return html


def test_sign_in_page_offers_the_phone_and_hides_zalo_when_not_configured(client_page):
    page = client_page("accounts.sign_in")
    assert "Đăng nhập" in page.text
    assert "Số điện thoại di động của Ông/Bà" in page.text
    assert 'type="tel"' in page.html and 'autocomplete="tel"' in page.html
    assert "Đăng nhập bằng Zalo" not in page.text


@pytest.mark.parametrize("typed", ["{local}", "+84 {national}", "84{national}",
                                   "{g1}.{g2}.{g3}", " {g1} {g2} {g3} "])
def test_every_usual_way_of_writing_the_number_reaches_the_same_phone(post, outbox, typed):
    local = unique_phone()
    national = local[1:]
    written = typed.format(local=local, national=national, g1=local[:4], g2=local[4:7],
                           g3=local[7:])
    response = _ask_code(post, written)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/dang-nhap/ma-xac-nhan")
    assert len(outbox.code(local)) == 6


def test_a_landline_is_refused_beside_the_field_and_what_was_typed_is_kept(post):
    response = _ask_code(post, "0276 3822 123")
    html = _page(response)
    text = page_text(html)
    assert response.status_code == 200
    assert "Đây là số máy bàn, không nhận được tin nhắn" in text
    assert "<title>Lỗi: " in html
    assert 'value="0276 3822 123"' in html
    assert 'aria-invalid="true"' in html and 'href="#phone"' in html


def test_an_old_eleven_digit_number_is_answered_with_its_new_number(post):
    html = _page(_ask_code(post, "01668 123 456"))
    assert "0368 123 456" in page_text(html)


def test_the_code_page_tells_where_the_code_went_with_the_number_masked(client, post, client_page):
    phone = unique_phone()
    _ask_code(post, phone)
    page = client_page("accounts.enter_code")
    masked = f"{phone[:4]} *** {phone[7:]}"
    assert (f"Mã xác nhận đã được gửi đến số {masked}. Mã có hiệu lực trong 5 phút."
            in page.text)
    assert phone not in page.html and format_for_display(phone) not in page.html
    assert 'autocomplete="one-time-code"' in page.html and 'inputmode="numeric"' in page.html


def test_the_code_goes_through_the_outbox_once_with_a_stable_reference(post, outbox, db):
    phone = unique_phone()
    _ask_code(post, phone)
    _ask_code(post, phone)  # a double tap on "Gửi mã" sends nothing more
    messages = outbox.messages(phone, "accounts_sign_in_code")
    assert len(messages) == 1
    assert messages[0]["reference"].startswith(f"phone-challenge-{_challenge(db, phone).id}-")
    code = messages[0]["data"]["code"]
    assert messages[0]["text"] == (
        f"{code} là mã đăng nhập Tây Ninh Smart của Ông/Bà. Mã có hiệu lực trong 5 phút. "
        "Không đưa mã này cho bất kỳ ai, kể cả người xưng là cán bộ.")
    with db():
        stored = _challenge(db, phone)
    assert code not in stored.code_hash  # only a keyed hash is kept


def test_the_right_code_signs_in_and_goes_back_to_where_the_citizen_was(client, post, outbox, db):
    phone = unique_phone()
    _ask_code(post, phone, next_url="/thu-tuc/")
    response = post("/dang-nhap/ma-xac-nhan", code=outbox.code(phone))
    assert response.status_code == 303
    assert response.headers["Location"] == "/thu-tuc/"
    assert "Tài khoản của tôi" in client.get("/thu-tuc/").get_data(as_text=True)
    with db():
        citizen = Citizen.get(Citizen.phone == phone)
        event = AuditEvent.for_object("citizen", citizen.id)[-1]
    assert event.action == "citizen.signed_in" and event.actor_id == citizen.id
    assert event.detail == {"method": "phone", "created": True}
    assert event.client_address == client.environ_base["REMOTE_ADDR"]


def test_a_code_typed_with_spaces_or_full_width_digits_is_understood(client, post, outbox):
    phone = unique_phone()
    _ask_code(post, phone)
    code = outbox.code(phone)
    spaced = code[:3] + " " + "".join(chr(0xFF10 + int(d)) for d in code[3:])
    assert post("/dang-nhap/ma-xac-nhan", code=spaced).status_code == 303
    assert client.get("/tai-khoan").status_code == 200


def test_sign_in_never_sends_the_visitor_to_another_site(post, outbox):
    phone = unique_phone()
    _ask_code(post, phone, next_url="https://evil.example/")
    response = post("/dang-nhap/ma-xac-nhan", code=outbox.code(phone))
    assert response.headers["Location"] == "/tai-khoan"


def test_a_wrong_code_says_how_many_tries_are_left(post, outbox):
    phone = unique_phone()
    _ask_code(post, phone)
    wrong = f"{(int(outbox.code(phone)) + 1) % 1_000_000:06d}"
    html = _page(post("/dang-nhap/ma-xac-nhan", code=wrong))
    assert "Mã chưa đúng. Xin xem tin nhắn mới nhất và nhập lại. Ông/Bà còn 4 lần thử." in (
        page_text(html))
    assert "<title>Lỗi: " in html and f'value="{wrong}"' in html


def test_five_wrong_codes_burn_the_code_even_the_right_one_then_fails(client, post, outbox):
    phone = unique_phone()
    _ask_code(post, phone)
    right = outbox.code(phone)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        html = _page(post("/dang-nhap/ma-xac-nhan", code=wrong))
    assert "Mã đã bị nhập sai 5 lần nên không dùng được nữa" in page_text(html)
    html = _page(post("/dang-nhap/ma-xac-nhan", code=right))
    assert "Mã đã bị nhập sai 5 lần" in page_text(html)
    assert client.get("/tai-khoan").status_code == 303


def test_an_expired_code_is_refused(client, post, outbox, db):
    phone = unique_phone()
    _ask_code(post, phone)
    code = outbox.code(phone)
    _age_challenge(db, phone, minutes=5, seconds=1)
    html = _page(post("/dang-nhap/ma-xac-nhan", code=code))
    assert "Mã đã hết hạn: mỗi mã chỉ dùng được trong 5 phút" in page_text(html)
    assert client.get("/tai-khoan").status_code == 303


def test_a_code_works_once_only(client, post, outbox, db):
    phone = unique_phone()
    _ask_code(post, phone)
    code = outbox.code(phone)
    assert post("/dang-nhap/ma-xac-nhan", code=code).status_code == 303
    flow = {"challenge": _challenge(db, phone).id, "next": "/"}
    post("/dang-xuat")
    with db():  # past the few seconds in which a repeat counts as a double tap
        used = _challenge(db, phone)
        PhoneChallenge.update(used_at=used.used_at - dt.timedelta(minutes=1)).where(
            PhoneChallenge.id == used.id).execute()
    with client.session_transaction() as session:  # the attacker replays the same step
        session["code_flow"] = flow
    html = _page(post("/dang-nhap/ma-xac-nhan", code=code))
    assert "Mã này đã được dùng rồi" in page_text(html)
    assert client.get("/tai-khoan").status_code == 303


def test_a_double_tap_on_confirm_neither_fails_nor_makes_a_second_session(client, db, outbox):
    phone = unique_phone()
    token = csrf_token(client)
    client.post("/dang-nhap", data={"csrf_token": token, "phone": phone})
    with client.session_transaction() as session:
        cookie_before_first_answer = dict(session)
    code = outbox.code(phone)
    first = client.post("/dang-nhap/ma-xac-nhan", data={"csrf_token": token, "code": code})
    assert first.status_code == 303
    with client.session_transaction() as session:  # the second tap left with the old cookie
        session.clear()
        session.update(cookie_before_first_answer)
    second = client.post("/dang-nhap/ma-xac-nhan", data={"csrf_token": token, "code": code})
    assert second.status_code == 303 and second.headers["Location"] == "/tai-khoan"
    assert "Set-Cookie" not in second.headers
    with db():
        citizen = Citizen.get(Citizen.phone == phone)
        assert SignInSession.select().where(SignInSession.citizen == citizen).count() == 1


def test_a_new_code_only_after_sixty_seconds_and_then_only_the_newest_works(client, post,
                                                                              outbox, db):
    phone = unique_phone()
    _ask_code(post, phone)
    first = outbox.code(phone)
    html = _page(post("/dang-nhap/gui-lai-ma"))
    assert "Mã vừa được gửi đến số này. Xin đợi" in page_text(html)
    assert len(outbox.messages(phone)) == 1
    _age_challenge(db, phone, seconds=61)
    response = post("/dang-nhap/gui-lai-ma")
    assert response.status_code == 303
    assert "Mã mới đã được gửi" in client.get("/dang-nhap/ma-xac-nhan").get_data(as_text=True)
    second = outbox.code(phone)
    assert len(outbox.messages(phone)) == 2
    if first != second:
        assert "Mã chưa đúng" in page_text(_page(post("/dang-nhap/ma-xac-nhan", code=first)))
    assert post("/dang-nhap/ma-xac-nhan", code=second).status_code == 303


def test_at_most_five_codes_per_number_in_an_hour(post, outbox, db):
    phone = unique_phone()
    for _ in range(5):
        assert _ask_code(post, phone).status_code == 303
        _age_challenge(db, phone, seconds=61)
    response = _ask_code(post, phone)
    assert response.status_code == 200
    assert "Số này đã nhận quá nhiều mã trong một giờ qua" in page_text(_page(response))
    assert len(outbox.messages(phone)) == 5


def test_at_most_twenty_code_requests_per_address_in_an_hour(post, outbox):
    phones = [unique_phone() for _ in range(21)]
    for phone in phones[:20]:
        assert _ask_code(post, phone).status_code == 303
    response = _ask_code(post, phones[20])
    assert response.status_code == 200
    assert "Thiết bị này đã xin quá nhiều mã" in page_text(_page(response))
    assert outbox.messages(phones[20]) == []


def test_posting_without_the_csrf_token_is_refused(client):
    client.get("/dang-nhap")
    assert client.post("/dang-nhap", data={"phone": unique_phone()}).status_code == 400


def test_the_code_never_reaches_the_logs(client, post, outbox, caplog):
    """At the level the app logs at (INFO); DEBUG shows peewee's SQL with its values, which
    is why production never runs at DEBUG."""
    phone = unique_phone()
    with caplog.at_level(logging.INFO):
        _ask_code(post, phone)
        code = outbox.code(phone)
        post("/dang-nhap/ma-xac-nhan", code=code)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"Outbox: accounts_sign_in_code to {phone[:4]} *** {phone[7:]}" in logged
    assert code not in logged
    assert phone not in logged


def test_the_code_step_without_a_code_on_its_way_goes_back_to_the_start(client):
    response = client.get("/dang-nhap/ma-xac-nhan")
    assert response.status_code == 302 and response.headers["Location"] == "/dang-nhap"


def test_session_keeps_no_token_in_the_database(client, post, outbox, db):
    phone = unique_phone()
    _ask_code(post, phone)
    post("/dang-nhap/ma-xac-nhan", code=outbox.code(phone))
    with client.session_transaction() as session:
        token = session[SESSION_KEY]
    with db():
        hashes = [row.token_hash for row in SignInSession.select()]
    assert token not in hashes and all(len(h) == 64 for h in hashes)
