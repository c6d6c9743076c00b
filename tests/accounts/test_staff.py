"""Staff: password and TOTP, invitations, locking, commune scoping, the first administrator."""

from __future__ import annotations

import re

import pyotp
import pytest

from tests.accounts.conftest import csrf_token
from tests.accounts.helpers import (
    create_citizen,
    create_staff,
    first_communes,
    sign_in_staff,
    unique_phone,
)
from tests.pages import check_page, page_text
from webapp.accounts import staff as accounts_staff
from webapp.accounts.models import SignInSession, StaffInvitation, StaffUser
from webapp.audit.models import AuditEvent

PASSWORD = "mot cau de nho 2026"


@pytest.fixture
def officer(app, db):
    with db():
        communes = first_communes(2)
        password_hash = accounts_staff.hash_password(PASSWORD)
    return create_staff(app, role="officer", communes=communes[:1], password_hash=password_hash)


def _password_step(post, username, password=PASSWORD):
    return post("/can-bo/dang-nhap", username=username, password=password)


def _totp_now(account: StaffUser) -> str:
    return pyotp.TOTP(account.totp_secret).now()


def test_an_officer_signs_in_with_password_then_totp(client, post, officer, db):
    response = _password_step(post, officer.username.upper())  # usernames ignore case
    assert response.status_code == 303
    assert response.headers["Location"] == "/can-bo/dang-nhap/ma-xac-thuc"
    assert client.get("/can-bo/").status_code == 303  # not signed in yet
    response = post("/can-bo/dang-nhap/ma-xac-thuc", code=_totp_now(officer))
    assert response.status_code == 303 and response.headers["Location"] == "/can-bo/"
    html = client.get("/can-bo/").get_data(as_text=True)
    assert check_page(html) == []
    text = page_text(html)
    assert "Cán bộ" in text and first_commune_name(db) in text
    with db():
        actions = [e.action for e in AuditEvent.for_object("staff_user", officer.id)]
    assert actions[-1] == "staff.signed_in"


def first_commune_name(db) -> str:
    with db():
        return first_communes(1)[0].name


def test_passwords_are_stored_as_argon2id_hashes(officer):
    assert officer.password_hash.startswith("$argon2id$")
    assert PASSWORD not in officer.password_hash


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(post, officer):
    wrong = page_text(_password_step(post, officer.username, "not the password").get_data(
        as_text=True))
    unknown = page_text(_password_step(post, "nobody-here", PASSWORD).get_data(as_text=True))
    message = "Tên đăng nhập hoặc mật khẩu chưa đúng."
    assert message in wrong and message in unknown


def test_password_guessing_is_slowed_down_per_username(post, officer):
    for _ in range(10):
        _password_step(post, officer.username, "guess")
    response = _password_step(post, officer.username)  # even the right password now waits
    assert response.status_code == 200
    assert "Đã thử quá nhiều lần. Xin đợi 15 phút" in page_text(response.get_data(as_text=True))


def test_a_totp_code_cannot_be_used_twice(client, post, officer):
    _password_step(post, officer.username)
    code = _totp_now(officer)
    assert post("/can-bo/dang-nhap/ma-xac-thuc", code=code).status_code == 303
    post("/dang-xuat")
    _password_step(post, officer.username)
    response = post("/can-bo/dang-nhap/ma-xac-thuc", code=code)
    assert response.status_code == 200
    assert "Mã chưa đúng hoặc đã được dùng" in page_text(response.get_data(as_text=True))
    assert client.get("/can-bo/").status_code == 303


def test_totp_guessing_stops_after_five_tries(client, post, officer):
    _password_step(post, officer.username)
    wrong = f"{(int(_totp_now(officer)) + 500_000) % 1_000_000:06d}"
    for _ in range(5):
        assert post("/can-bo/dang-nhap/ma-xac-thuc", code=wrong).status_code == 200
    response = post("/can-bo/dang-nhap/ma-xac-thuc", code=_totp_now(officer))
    assert "Đã thử quá nhiều lần. Xin đợi 5 phút" in page_text(response.get_data(as_text=True))
    assert client.get("/can-bo/").status_code == 303


def test_the_totp_step_needs_the_password_step_first(client):
    assert client.get("/can-bo/dang-nhap/ma-xac-thuc").headers["Location"] == "/can-bo/dang-nhap"


def test_a_volunteer_signs_in_with_a_password_only(app, client, post):
    volunteer = create_staff(app, role="volunteer",
                             password_hash=accounts_staff.hash_password(PASSWORD))
    assert volunteer.totp_secret is None
    response = _password_step(post, volunteer.username)
    assert response.headers["Location"] == "/can-bo/"
    text = page_text(client.get("/can-bo/").get_data(as_text=True))
    assert "Thành viên tổ công nghệ số cộng đồng" in text


def test_locking_an_account_ends_its_sessions_at_once(app, db):
    admin_client, officer_client = app.test_client(), app.test_client()
    sign_in_staff(admin_client, role="admin")
    officer = sign_in_staff(officer_client, role="officer")
    assert officer_client.get("/can-bo/").status_code == 200
    response = admin_client.post(f"/can-bo/nhan-vien/{officer.id}/khoa",
                                 data={"csrf_token": csrf_token(admin_client)})
    assert response.status_code == 303
    assert officer_client.get("/can-bo/").status_code == 303
    with db():
        assert not StaffUser.get_by_id(officer.id).is_active
        assert SignInSession.select().where(SignInSession.staff == officer,
                                            SignInSession.revoked_at.is_null()).count() == 0


def test_an_administrator_cannot_lock_themself(client, post, db):
    admin = sign_in_staff(client, role="admin")
    post(f"/can-bo/nhan-vien/{admin.id}/khoa")
    with db():
        assert StaffUser.get_by_id(admin.id).is_active


def test_an_invited_officer_chooses_a_password_sets_up_totp_and_is_signed_in(
        app, client, post, outbox, db):
    sign_in_staff(client, role="admin")
    with db():
        commune = first_communes(2)[1]
    phone = unique_phone()
    response = post("/can-bo/nhan-vien/moi", full_name="Đỗ Văn Mới", username="Do.Van.Moi",
                    phone=phone, role="officer", communes=commune.code)
    assert response.status_code == 303
    html = client.get("/can-bo/nhan-vien").get_data(as_text=True)
    link = re.search(r"http://localhost(/can-bo/loi-moi/[\w-]+)", html).group(1)
    assert link not in client.get("/can-bo/nhan-vien").get_data(as_text=True)  # shown once
    [message] = outbox.messages(phone, "accounts_staff_invitation")
    assert message["data"]["link"].endswith(link)

    invitee = app.test_client()
    assert check_page(invitee.get(link).get_data(as_text=True)) == []
    token = csrf_token(invitee)
    short = invitee.post(link, data={"csrf_token": token, "password": "short",
                                     "password_again": "short"})
    assert "Dùng ít nhất 12 ký tự" in page_text(short.get_data(as_text=True))
    step = invitee.post(link, data={"csrf_token": token, "password": PASSWORD,
                                    "password_again": PASSWORD})
    assert step.headers["Location"] == f"{link}/ma-xac-thuc"
    setup = invitee.get(f"{link}/ma-xac-thuc").get_data(as_text=True)
    assert check_page(setup) == [] and "<svg" in setup
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', setup).group(1)
    code = pyotp.TOTP(secret.replace(" ", "")).now()
    done = invitee.post(f"{link}/ma-xac-thuc", data={"csrf_token": token, "code": code})
    assert done.headers["Location"] == "/can-bo/"
    assert commune.name in page_text(invitee.get("/can-bo/").get_data(as_text=True))
    with db():
        account = StaffUser.by_username("do.van.moi")
        assert [c.id for c in account.communes()] == [commune.id]
    assert accounts_staff.check_password(account, PASSWORD)
    assert invitee.get(link).status_code == 404  # an invitation works once


def test_an_invitation_needs_a_commune_for_officers_and_a_free_username(client, post, officer):
    sign_in_staff(client, role="admin")
    response = post("/can-bo/nhan-vien/moi", full_name="A B", username=officer.username,
                    role="officer")
    text = page_text(response.get_data(as_text=True))
    assert "Tên đăng nhập này đã có người dùng" in text
    assert "Xin chọn ít nhất một xã, phường" in text


def test_an_expired_invitation_does_not_open(app, db, client):
    with db():
        inviter = StaffUser.get_by_id(create_staff(app, role="admin").id)
        token, invitation = accounts_staff.invite(
            invited_by=inviter, username="het.han", full_name="Hết Hạn", phone="",
            role="volunteer", commune_ids=[])
        StaffInvitation.update(expires_at=invitation.created_at).where(
            StaffInvitation.id == invitation.id).execute()
    assert client.get(f"/can-bo/loi-moi/{token}").status_code == 404


# --- Commune scoping -------------------------------------------------------------------------

@pytest.fixture
def two_communes(app, db):
    """Two citizens, one in commune A and one in commune B."""
    with db():
        commune_a, commune_b = first_communes(2)
    citizen_a = create_citizen(app, full_name="Người Xã A", commune=commune_a,
                               citizen_id="072156001111")
    citizen_b = create_citizen(app, full_name="Người Xã B", commune=commune_b,
                               citizen_id="072156002222")
    return commune_a, commune_b, citizen_a, citizen_b


def test_an_officer_of_commune_a_cannot_see_commune_b_s_citizens(client, two_communes, db):
    commune_a, _, citizen_a, citizen_b = two_communes
    officer = sign_in_staff(client, role="officer", communes=(commune_a,))
    listing = page_text(client.get("/can-bo/cong-dan").get_data(as_text=True))
    assert "Người Xã A" in listing and "Người Xã B" not in listing
    assert client.get(f"/can-bo/cong-dan/{citizen_a.id}").status_code == 200
    refused = client.get(f"/can-bo/cong-dan/{citizen_b.id}")
    assert refused.status_code == 403
    assert "072156002222" not in refused.get_data(as_text=True)
    with db():
        events = AuditEvent.for_object("citizen", citizen_b.id)
    assert [(e.action, e.actor_type, e.actor_id) for e in events] == [
        ("citizen.access_refused", "staff", officer.id)]


def test_every_look_at_a_citizen_is_in_the_audit_log(client, two_communes, db):
    commune_a, _, citizen_a, _ = two_communes
    officer = sign_in_staff(client, role="officer", communes=(commune_a,))
    page = page_text(client.get(f"/can-bo/cong-dan/{citizen_a.id}").get_data(as_text=True))
    assert "072156001111" in page  # the officer of the commune sees what they need
    with db():
        [event] = AuditEvent.for_object("citizen", citizen_a.id)
    assert (event.action, event.actor_id) == ("citizen.viewed", officer.id)
    assert event.client_address == client.environ_base["REMOTE_ADDR"]


def test_an_administrator_sees_every_commune(client, two_communes):
    _, _, citizen_a, citizen_b = two_communes
    sign_in_staff(client, role="admin")
    assert client.get(f"/can-bo/cong-dan/{citizen_a.id}").status_code == 200
    assert client.get(f"/can-bo/cong-dan/{citizen_b.id}").status_code == 200


def test_a_volunteer_sees_no_personal_data(client, two_communes):
    commune_a, _, citizen_a, _ = two_communes
    sign_in_staff(client, role="volunteer", communes=(commune_a,))
    assert client.get("/can-bo/cong-dan").status_code == 403
    assert client.get(f"/can-bo/cong-dan/{citizen_a.id}").status_code == 403


def test_the_citizen_list_costs_the_same_few_queries_however_long(client, app, two_communes):
    from playhouse.test_utils import count_queries

    commune_a = two_communes[0]
    sign_in_staff(client, role="officer", communes=(commune_a,))
    client.get("/can-bo/cong-dan")  # warm up (the session's last-seen time is written once)
    with count_queries() as short_list:
        client.get("/can-bo/cong-dan")
    for _ in range(5):
        create_citizen(app, commune=commune_a)
    with count_queries() as long_list:
        assert "Nguyễn Văn Thử" in client.get("/can-bo/cong-dan").get_data(as_text=True)
    assert long_list.count == short_list.count <= 4


def test_the_audit_log_page_shows_masked_details(client, two_communes):
    commune_a, _, citizen_a, _ = two_communes
    sign_in_staff(client, role="officer", communes=(commune_a,))
    client.get(f"/can-bo/cong-dan/{citizen_a.id}")
    admin_client = client.application.test_client()
    sign_in_staff(admin_client, role="admin")
    html = admin_client.get("/can-bo/nhat-ky").get_data(as_text=True)
    assert check_page(html) == []
    assert "citizen.viewed" in html and citizen_a.phone not in html


# --- The first administrator and the demo accounts -------------------------------------------

def test_flask_creates_the_first_administrator_with_a_totp_secret(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["accounts", "create-admin", "Dau.Tien", "--full-name",
                                 "Quản Trị Đầu Tiên", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    secret = re.search(r"secret: ([A-Z2-7]+)", result.output).group(1)
    with db():
        admin = StaffUser.by_username("dau.tien")
    assert admin.role == "admin" and admin.totp_secret == secret
    assert accounts_staff.check_password(admin, PASSWORD)
    again = runner.invoke(args=["accounts", "create-admin", "dau.tien", "--full-name", "X",
                                "--password", PASSWORD])
    assert again.exit_code != 0 and "taken" in again.output


def test_the_demo_accounts_sign_in_with_the_credentials_in_the_readme(app, client, post, db):
    from webapp.accounts.demo import DEMO_PASSWORD, DEMO_STAFF, load_demo_accounts
    from webapp.config import PROJECT_ROOT

    with app.app_context(), db():
        load_demo_accounts()
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert DEMO_PASSWORD in readme
    for username, _, _, _, secret in DEMO_STAFF:
        assert username in readme and (secret is None or secret in readme)
    username, secret = DEMO_STAFF[1][0], DEMO_STAFF[1][4]
    _password_step(post, username, DEMO_PASSWORD)
    response = post("/can-bo/dang-nhap/ma-xac-thuc", code=pyotp.TOTP(secret).now())
    assert response.headers["Location"] == "/can-bo/"


def test_an_administrator_moves_an_officer_to_another_commune(app, client, two_communes, db):
    commune_a, commune_b, citizen_a, citizen_b = two_communes
    officer_client = app.test_client()
    officer = sign_in_staff(officer_client, role="officer", communes=(commune_a,))
    admin = sign_in_staff(client, role="admin")
    html = client.get(f"/can-bo/nhan-vien/{officer.id}/xa-phuong").get_data(as_text=True)
    assert check_page(html) == []
    assert re.search(rf'value="{commune_a.code}" checked', html)

    response = client.post(f"/can-bo/nhan-vien/{officer.id}/xa-phuong",
                           data={"csrf_token": csrf_token(client), "communes": [commune_b.code]})
    assert response.status_code == 303
    listing = page_text(client.get("/can-bo/nhan-vien").get_data(as_text=True))
    assert f"{officer.username} nay phụ trách: {commune_b.name}." in listing
    # From the officer's very next page, commune B's citizens are theirs and A's are not.
    assert officer_client.get(f"/can-bo/cong-dan/{citizen_b.id}").status_code == 200
    assert officer_client.get(f"/can-bo/cong-dan/{citizen_a.id}").status_code == 403
    with db():
        [event] = [e for e in AuditEvent.for_object("staff_user", officer.id)
                   if e.action == "staff.communes_changed"]
    assert event.actor_id == admin.id
    assert event.detail == {"before": [commune_a.code], "after": [commune_b.code]}


def test_an_officer_keeps_at_least_one_commune(client, officer, db):
    sign_in_staff(client, role="admin")
    response = client.post(f"/can-bo/nhan-vien/{officer.id}/xa-phuong",
                           data={"csrf_token": csrf_token(client)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and check_page(html) == []
    assert "<title>Lỗi: " in html
    assert "Xin chọn ít nhất một xã, phường" in page_text(html)
    with db():
        assert len(list(StaffUser.get_by_id(officer.id).communes())) == 1


def test_administrators_have_no_communes_to_change(client):
    admin = sign_in_staff(client, role="admin")
    assert client.get(f"/can-bo/nhan-vien/{admin.id}/xa-phuong").status_code == 404


# --- A lost phone or a forgotten password ----------------------------------------------------

def _reset_link(client, post, account) -> str:
    assert post(f"/can-bo/nhan-vien/{account.id}/dat-lai-dang-nhap").status_code == 303
    html = client.get("/can-bo/nhan-vien").get_data(as_text=True)
    return re.search(r"http://localhost(/can-bo/loi-moi/[\w-]+)", html).group(1)


def _choose_password_and_app(person, link) -> str:
    """Go through the link as the person does; return the new authenticator's secret."""
    token = csrf_token(person)
    person.post(link, data={"csrf_token": token, "password": "mat khau moi cua toi",
                            "password_again": "mat khau moi cua toi"})
    setup = person.get(f"{link}/ma-xac-thuc").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', setup).group(1)
    secret = secret.replace(" ", "")
    done = person.post(f"{link}/ma-xac-thuc",
                       data={"csrf_token": token, "code": pyotp.TOTP(secret).now()})
    assert done.headers["Location"] == "/can-bo/"
    return secret


def test_a_reset_stops_the_old_sign_in_at_once_and_the_link_sets_up_new_ones(
        app, client, post, outbox, db):
    phone = unique_phone()
    officer_client = app.test_client()
    officer = sign_in_staff(officer_client, role="officer", phone=phone,
                            password_hash=accounts_staff.hash_password(PASSWORD))
    lost_phone_secret = officer.totp_secret
    admin = sign_in_staff(client, role="admin")
    link = _reset_link(client, post, officer)
    with db():
        renewed = StaffUser.get_by_id(officer.id)
        assert not accounts_staff.check_password(renewed, PASSWORD)  # the old password is dead
        assert renewed.totp_secret is None
        assert SignInSession.select().where(SignInSession.staff == officer,
                                            SignInSession.revoked_at.is_null()).count() == 0
        [event] = [e for e in AuditEvent.for_object("staff_user", officer.id)
                   if e.action == "staff.sign_in_reset"]
        assert event.actor_id == admin.id
    [message] = outbox.messages(phone, "accounts_staff_sign_in_reset")
    assert message["data"]["link"].endswith(link)
    assert officer_client.get("/can-bo/").status_code == 303  # signed out at once

    person = app.test_client()
    page = person.get(link).get_data(as_text=True)
    assert check_page(page) == [] and "đã đặt lại đăng nhập" in page_text(page)
    new_secret = _choose_password_and_app(person, link)
    assert new_secret != lost_phone_secret
    with db():
        renewed = StaffUser.get_by_id(officer.id)
        assert accounts_staff.check_password(renewed, "mat khau moi cua toi")
        assert renewed.totp_secret == new_secret and renewed.username == officer.username
        actions = [e.action for e in AuditEvent.for_object("staff_user", officer.id)]
        assert "staff.sign_in_renewed" in actions
    assert person.get(link).status_code == 404  # the link works once


def test_only_the_newest_reset_link_works(client, post, officer, app):
    sign_in_staff(client, role="admin")
    first = _reset_link(client, post, officer)
    second = _reset_link(client, post, officer)
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200


def test_an_administrator_cannot_reset_their_own_sign_in(client, post, db):
    admin = sign_in_staff(client, role="admin")
    response = post(f"/can-bo/nhan-vien/{admin.id}/dat-lai-dang-nhap")
    assert response.status_code == 303
    assert "không thể tự đặt lại" in page_text(client.get("/can-bo/nhan-vien")
                                              .get_data(as_text=True))
    with db():
        assert StaffUser.get_by_id(admin.id).totp_secret is not None


def test_a_locked_account_cannot_be_reset(client, post, officer, db):
    sign_in_staff(client, role="admin")
    with db():
        accounts_staff.lock(officer)
    assert post(f"/can-bo/nhan-vien/{officer.id}/dat-lai-dang-nhap").status_code == 404


def test_a_volunteer_who_forgot_the_password_chooses_a_new_one(app, client, post, db):
    volunteer = create_staff(app, role="volunteer",
                             password_hash=accounts_staff.hash_password(PASSWORD))
    sign_in_staff(client, role="admin")
    link = _reset_link(client, post, volunteer)
    person = app.test_client()
    assert "ứng dụng xác thực" not in page_text(person.get(link).get_data(as_text=True))
    done = person.post(link, data={"csrf_token": csrf_token(person),
                                   "password": "mat khau moi cua toi",
                                   "password_again": "mat khau moi cua toi"})
    assert done.headers["Location"] == "/can-bo/"
    with db():
        renewed = StaffUser.get_by_id(volunteer.id)
    assert accounts_staff.check_password(renewed, "mat khau moi cua toi")
    assert renewed.totp_secret is None
