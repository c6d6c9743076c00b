"""Server-side sessions: rotated on sign-in, revoked on sign-out, idle timeout, safe cookies."""

from __future__ import annotations

import datetime as dt

from tests.accounts.conftest import csrf_token
from tests.accounts.helpers import sign_in_citizen, sign_in_staff, unique_phone
from tests.conftest import make_app
from webapp.accounts.auth import SESSION_KEY
from webapp.accounts.models import SignInSession
from webapp.core.clock import utcnow


def _session_row(client, db) -> SignInSession:
    from webapp.accounts.auth import token_hash

    with client.session_transaction() as session:
        token = session[SESSION_KEY]
    with db():
        return SignInSession.get(SignInSession.token_hash == token_hash(token))


def _shift(db, row: SignInSession, **fields) -> None:
    with db():
        SignInSession.update(**fields).where(SignInSession.id == row.id).execute()


def test_signing_out_revokes_the_session_on_the_server(client, post, db):
    sign_in_citizen(client)
    with client.session_transaction() as session:
        stolen = dict(session)  # a copy of the cookie, taken before signing out
    row = _session_row(client, db)
    response = post("/dang-xuat")
    assert response.status_code == 303 and response.headers["Location"] == "/da-dang-xuat"
    with db():
        assert SignInSession.get_by_id(row.id).revoked_at is not None
    with client.session_transaction() as session:
        session.update(stolen)  # replaying the old cookie does not bring the session back
    assert client.get("/tai-khoan").status_code == 303


def test_signing_out_says_so_and_offers_the_way_back(client, post, client_page):
    sign_in_citizen(client)
    post("/dang-xuat")
    page = client_page("accounts.signed_out")
    assert "Ông/Bà đã đăng xuất" in page.text and "Đăng nhập" in page.text


def test_an_idle_session_ends(client, app, db):
    sign_in_citizen(client)
    row = _session_row(client, db)
    idle = dt.timedelta(minutes=app.config["CITIZEN_IDLE_MINUTES"], seconds=1)
    _shift(db, row, last_seen_at=utcnow() - idle)
    assert client.get("/tai-khoan").status_code == 303


def test_activity_keeps_a_session_alive(client, app, db):
    sign_in_citizen(client)
    row = _session_row(client, db)
    almost = dt.timedelta(minutes=app.config["CITIZEN_IDLE_MINUTES"] - 1)
    _shift(db, row, last_seen_at=utcnow() - almost)
    assert client.get("/tai-khoan").status_code == 200
    with db():
        assert utcnow() - SignInSession.get_by_id(row.id).last_seen_at < dt.timedelta(seconds=5)


def test_staff_sessions_time_out_sooner(client, app, db):
    sign_in_staff(client, role="officer")
    row = _session_row(client, db)
    _shift(db, row, last_seen_at=utcnow() - dt.timedelta(
        minutes=app.config["STAFF_IDLE_MINUTES"], seconds=1))
    assert client.get("/can-bo/").status_code == 303


def test_a_session_past_its_lifetime_ends_even_if_active(client, db):
    sign_in_citizen(client)
    row = _session_row(client, db)
    _shift(db, row, expires_at=utcnow() - dt.timedelta(seconds=1))
    assert client.get("/tai-khoan").status_code == 303


def test_signing_in_rotates_the_session_and_the_csrf_token(client, outbox):
    client.get("/")
    planted = "attacker-knows-this-token"
    with client.session_transaction() as session:
        session[SESSION_KEY] = planted  # session fixation: a token set before sign-in
    before = csrf_token(client)
    phone = unique_phone()
    client.post("/dang-nhap", data={"csrf_token": before, "phone": phone})
    client.post("/dang-nhap/ma-xac-nhan", data={"csrf_token": before,
                                                "code": outbox.code(phone)})
    with client.session_transaction() as session:
        assert session[SESSION_KEY] != planted
        assert session.get("csrf_token") != before
    # the token from before sign-in no longer lets anyone post as the citizen
    assert client.post("/dang-xuat", data={"csrf_token": before}).status_code == 400


def test_cookies_are_first_party_http_only_and_lax(client, post, outbox):
    phone = unique_phone()
    post("/dang-nhap", phone=phone)
    response = post("/dang-nhap/ma-xac-nhan", code=outbox.code(phone))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Domain" not in cookie
    assert "Expires=" in cookie  # lasts when the Zalo webview is closed and reopened
    assert "Secure" not in cookie


def test_an_answer_that_changes_nothing_never_puts_back_an_older_cookie(client):
    # A photo or a poll requested before a form was sent may answer after it: were it to set
    # the cookie it was asked with, the message the form left in the session would be lost.
    sign_in_citizen(client)
    client.get("/tai-khoan")  # the first visit may still write (its CSRF token)
    answer = client.get("/tai-khoan")
    assert answer.status_code == 200
    assert not [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session=")]


def test_cookies_are_secure_when_served_over_https(database_url):
    app = make_app(database_url, SESSION_COOKIE_SECURE=True)
    response = app.test_client().get("/dang-nhap")
    assert "Secure" in response.headers["Set-Cookie"]


def test_pages_of_a_signed_in_person_are_never_cached(client):
    sign_in_citizen(client)
    response = client.get("/tai-khoan")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Cookie" in response.headers["Vary"]
    assert "no-store" not in client.application.test_client().get("/").headers.get(
        "Cache-Control", "")


def test_the_header_offers_sign_in_and_then_my_account_and_sign_out(client):
    html = client.get("/thu-tuc/").get_data(as_text=True)
    assert 'href="/dang-nhap?next=/thu-tuc/"' in html and "Tài khoản của tôi" not in html
    sign_in_citizen(client)
    html = client.get("/thu-tuc/").get_data(as_text=True)
    assert "Tài khoản của tôi" in html and 'action="/dang-xuat"' in html


def test_htmx_requests_that_need_sign_in_navigate_the_whole_page(client):
    response = client.get("/tai-khoan", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/dang-nhap?next=/tai-khoan"
    staff_page = client.get("/can-bo/", headers={"HX-Request": "true"})
    assert staff_page.headers["HX-Redirect"] == "/can-bo/dang-nhap?next=/can-bo/"


def test_spent_codes_and_ended_sessions_are_purged(client, app, post, outbox, db):
    phone = unique_phone()
    post("/dang-nhap", phone=phone)
    post("/dang-nhap/ma-xac-nhan", code=outbox.code(phone))
    row = _session_row(client, db)
    with db():
        from webapp.accounts.models import PhoneChallenge, purge_expired

        challenge = PhoneChallenge.get(PhoneChallenge.phone == phone)
        purge_expired(now=utcnow() + dt.timedelta(hours=1))
        assert PhoneChallenge.get_or_none(PhoneChallenge.id == challenge.id) is not None
        assert SignInSession.get_or_none(SignInSession.id == row.id) is not None
    result = app.test_cli_runner().invoke(args=["accounts", "purge"])
    assert result.exit_code == 0 and "Deleted" in result.output
    with db():
        purge_expired(now=utcnow() + dt.timedelta(days=32))
        assert PhoneChallenge.get_or_none(PhoneChallenge.id == challenge.id) is None
        assert SignInSession.get_or_none(SignInSession.id == row.id) is None


def test_codes_are_still_sent_after_a_purge_reused_challenge_ids(post, outbox, db):
    """SQLite hands out the ids of deleted rows again; the outbox must not mistake a new code
    for one it has already queued."""
    from webapp.accounts.models import purge_expired

    first = unique_phone()
    post("/dang-nhap", phone=first)
    with db():
        purge_expired(now=utcnow() + dt.timedelta(days=2))
    second = unique_phone()
    post("/dang-nhap", phone=second)
    assert outbox.code(second)
