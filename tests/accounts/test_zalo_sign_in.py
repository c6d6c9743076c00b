"""Signing in with Zalo (OAuth v4 with PKCE) against the fake Zalo server."""

from __future__ import annotations

import base64
import hashlib
import random
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.accounts.conftest import csrf_token
from tests.accounts.helpers import create_citizen, unique_phone
from tests.conftest import make_app
from tests.fakes.server import serve_wsgi
from tests.fakes.zalo import FakeZalo, FakeZaloUser
from tests.pages import check_page, page_text
from webapp.accounts.models import Citizen
from webapp.audit.models import AuditEvent


@pytest.fixture(scope="module")
def fake_zalo():
    fake = FakeZalo()
    with serve_wsgi(fake) as url:
        fake.url = url
        yield fake


@pytest.fixture
def app(database_url, fake_zalo):
    """The app configured for Zalo login, pointed at the fake Zalo."""
    fake_zalo.current_user = FakeZaloUser(id=str(random.randrange(10**18, 10**19)),
                                          name="Trần Văn Bảy")
    return make_app(database_url, ZALO_APP_ID=fake_zalo.app_id,
                    ZALO_SECRET_KEY=fake_zalo.secret_key, ZALO_OAUTH_BASE=fake_zalo.url,
                    ZALO_GRAPH_BASE=fake_zalo.url)


def _leave_for_zalo(client, next_url="/thu-tuc/"):
    response = client.get(f"/dang-nhap/zalo?next={next_url}")
    assert response.status_code == 302
    return response.headers["Location"]


def _zalo_answers(permission_url: str, decision: str = "allow") -> str:
    """What the fake Zalo's permission page redirects to after the person decides."""
    answer = requests.get(permission_url, params={"fake_decision": decision},
                          allow_redirects=False, timeout=5)
    assert answer.status_code in (302, 303), answer.text
    location = urlsplit(answer.headers["Location"])
    return f"{location.path}?{location.query}"


def _sign_in_with_zalo(client, decision="allow"):
    return client.get(_zalo_answers(_leave_for_zalo(client), decision))


def test_the_zalo_button_shows_when_zalo_is_configured(client_page):
    page = client_page("accounts.sign_in")
    assert "Đăng nhập bằng Zalo" in page.text
    assert "Hoặc đăng nhập bằng số điện thoại" in page.text


def test_leaving_for_zalo_sends_app_id_redirect_uri_state_and_an_s256_challenge(client, fake_zalo):
    location = urlsplit(_leave_for_zalo(client))
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{fake_zalo.url}/v4/permission")
    assert query["app_id"] == fake_zalo.app_id
    assert query["redirect_uri"] == "http://localhost/dang-nhap/zalo/ve"
    with client.session_transaction() as session:
        flow = session["zalo_flow"]
    assert query["state"] == flow["state"]
    digest = hashlib.sha256(flow["verifier"].encode()).digest()
    assert query["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_a_first_zalo_sign_in_asks_the_phone_once_then_one_tap_is_enough(
        client, outbox, fake_zalo, db):
    response = _sign_in_with_zalo(client)
    assert response.status_code == 302 and response.headers["Location"] == (
        "/dang-nhap/zalo/so-dien-thoai")
    html = client.get("/dang-nhap/zalo/so-dien-thoai").get_data(as_text=True)
    assert check_page(html) == []
    assert "Chào Ông/Bà Trần Văn Bảy. Đây là lần đầu Ông/Bà đăng nhập bằng Zalo." in (
        page_text(html))
    phone = unique_phone()
    token = csrf_token(client)
    assert client.post("/dang-nhap/zalo/so-dien-thoai",
                       data={"csrf_token": token, "phone": phone}).status_code == 303
    done = client.post("/dang-nhap/ma-xac-nhan",
                       data={"csrf_token": token, "code": outbox.code(phone)})
    assert done.status_code == 303 and done.headers["Location"] == "/thu-tuc/"
    with db():
        citizen = Citizen.get(Citizen.phone == phone)
    assert citizen.zalo_id == fake_zalo.current_user.id
    assert citizen.full_name == "Trần Văn Bảy"

    client.post("/dang-xuat", data={"csrf_token": csrf_token(client)})
    again = _sign_in_with_zalo(client)
    assert again.status_code == 303 and again.headers["Location"] == "/thu-tuc/"
    assert client.get("/tai-khoan").status_code == 200
    with db():
        methods = [e.detail.get("method") for e in AuditEvent.for_object("citizen", citizen.id)
                   if e.action == "citizen.signed_in"]
    assert methods == ["zalo", "zalo"]


def test_the_token_request_carries_the_secret_header_and_the_verifier(client, fake_zalo):
    before = len(fake_zalo.token_requests)
    _sign_in_with_zalo(client)
    request = fake_zalo.token_requests[before]
    assert request["grant_type"] == "authorization_code"
    assert len(request["code_verifier"]) >= 43


def test_zalo_sign_in_links_to_the_citizen_who_already_signed_in_by_phone(client, outbox, app,
                                                                          fake_zalo, db):
    existing = create_citizen(app, full_name="Lê Thị Tám")
    _sign_in_with_zalo(client)
    token = csrf_token(client)
    client.post("/dang-nhap/zalo/so-dien-thoai", data={"csrf_token": token,
                                                       "phone": existing.phone})
    client.post("/dang-nhap/ma-xac-nhan", data={"csrf_token": token,
                                                "code": outbox.code(existing.phone)})
    with db():
        linked = Citizen.get_by_id(existing.id)
    assert linked.zalo_id == fake_zalo.current_user.id
    assert linked.full_name == "Lê Thị Tám"  # the name they gave is not overwritten


def test_saying_no_on_zalo_explains_and_offers_the_phone(client):
    response = _sign_in_with_zalo(client, decision="deny")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and check_page(html) == []
    assert "Ông/Bà chưa đồng ý đăng nhập bằng Zalo" in page_text(html)
    assert 'href="/dang-nhap"' in html
    assert client.get("/tai-khoan").status_code == 303


def test_a_callback_with_a_forged_state_signs_nobody_in(client, fake_zalo):
    answer = _zalo_answers(_leave_for_zalo(client))
    forged = answer.replace("state=", "state=forged")
    html = client.get(forged).get_data(as_text=True)
    assert "Chưa đăng nhập được bằng Zalo" in page_text(html)
    assert client.get("/tai-khoan").status_code == 303


def test_a_callback_that_was_not_started_here_asks_to_start_again(client):
    html = client.get("/dang-nhap/zalo/ve?code=abc&state=xyz").get_data(as_text=True)
    assert "Xin đăng nhập lại từ đầu" in page_text(html)


def test_zalo_down_gives_a_calm_page_with_the_phone_as_a_way_out(client, fake_zalo):
    answer = _zalo_answers(_leave_for_zalo(client))
    fake_zalo.fail_next("access_token", http_status=503)
    response = client.get(answer)
    assert response.status_code == 502
    assert "Zalo đang không phản hồi" in page_text(response.get_data(as_text=True))


def test_a_reused_authorization_code_is_refused(client, fake_zalo):
    answer = _zalo_answers(_leave_for_zalo(client))
    client.get(answer)  # first use: fine (goes on to the phone step)
    _leave_for_zalo(client)  # a new flow in the same browser, replaying the old code
    with client.session_transaction() as session:
        state = session["zalo_flow"]["state"]
    replay = answer.split("&state=")[0] + f"&state={state}"
    assert "Chưa đăng nhập được bằng Zalo" in page_text(client.get(replay).get_data(as_text=True))


def test_without_zalo_configured_the_zalo_address_does_not_exist(database_url):
    plain = make_app(database_url)
    assert plain.test_client().get("/dang-nhap/zalo").status_code == 404
