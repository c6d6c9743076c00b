"""Sessions and access rules of webapp.accounts.auth, with several people signed in at once
and a clock the test moves: every limit to the minute, every rule for one person only."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import g, jsonify
from playhouse.test_utils import count_queries

from tests.accounts.helpers import (
    create_citizen,
    create_staff,
    first_communes,
    sign_in_citizen,
    sign_in_staff,
)
from tests.conftest import make_app
from webapp.accounts import auth
from webapp.accounts.models import Citizen, SignInSession, StaffUser
from webapp.core.db import database

START = dt.datetime(2026, 3, 2, 8, 0, 0)


class Clock:
    def __init__(self, monkeypatch) -> None:
        self.now = START
        monkeypatch.setattr(auth, "utcnow", lambda: self.now)

    def later(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def _who():
    citizen, staff = auth.current_citizen(), auth.current_staff()
    return jsonify(citizen=citizen and citizen.id, staff=staff and staff.id)


def _commune_rule(commune_id: int):
    staff = auth.current_staff()
    communes = auth.staff_commune_ids(staff)
    return jsonify(allowed=auth.staff_can_access_commune(staff, commune_id),
                   count=len(communes), again=auth.staff_commune_ids(staff) == communes)


@pytest.fixture
def app(database_url):
    """An app with one page behind each decorator, as the rooms use them."""
    app = make_app(database_url)
    app.add_url_rule("/_who", "_who", _who)
    app.add_url_rule("/_citizen", "_citizen", auth.citizen_required(_who))
    app.add_url_rule("/_staff", "_staff", auth.staff_required()(_who))
    app.add_url_rule("/_officers", "_officers", auth.staff_required("officer", "admin")(_who))
    app.add_url_rule("/_admins", "_admins", auth.staff_required("admin")(_who))
    app.add_url_rule("/_communes/<int:commune_id>", "_communes",
                     auth.staff_required()(_commune_rule))
    # Says who the rest of the request (the "signed out" page) still sees: nobody.
    app.add_url_rule("/_sign_out", "_sign_out", lambda: auth.end_session() or _who(),
                     methods=["GET"])
    return app


def row_of(client) -> SignInSession:
    with client.session_transaction() as session:
        token = session[auth.SESSION_KEY]
    with client.application.app_context(), database.connection_context():
        return SignInSession.get(SignInSession.token_hash == auth.token_hash(token))


def who(client) -> dict:
    return client.get("/_who").json


def test_a_session_row_keeps_only_the_token_s_sha256_and_its_lifetime(app, clock):
    client = app.test_client()
    citizen = sign_in_citizen(client)
    row = row_of(client)
    with client.session_transaction() as session:
        token = session[auth.SESSION_KEY]
    assert len(token) >= 40 and row.token_hash == auth.token_hash(token) != token
    assert len(row.token_hash) == 64 and int(row.token_hash, 16) >= 0
    assert (row.citizen_id, row.staff_id) == (citizen.id, None)
    assert (row.created_at, row.last_seen_at, row.revoked_at) == (START, START, None)
    assert row.expires_at == START + dt.timedelta(hours=app.config["CITIZEN_SESSION_HOURS"])


def test_a_staff_session_lasts_the_staff_lifetime(app, clock):
    client = app.test_client()
    staff = sign_in_staff(client, role="officer")
    row = row_of(client)
    assert (row.citizen_id, row.staff_id) == (None, staff.id)
    assert row.expires_at == START + dt.timedelta(hours=app.config["STAFF_SESSION_HOURS"])


def test_a_citizen_is_not_staff_and_staff_are_not_citizens(app, clock):
    citizen_client, staff_client = app.test_client(), app.test_client()
    citizen = sign_in_citizen(citizen_client)
    staff = sign_in_staff(staff_client, role="admin")
    assert who(citizen_client) == {"citizen": citizen.id, "staff": None}
    assert who(staff_client) == {"citizen": None, "staff": staff.id}
    assert who(app.test_client()) == {"citizen": None, "staff": None}


@pytest.mark.parametrize(("staff", "idle_setting"), [(False, "CITIZEN_IDLE_MINUTES"),
                                                     (True, "STAFF_IDLE_MINUTES")])
def test_a_session_ends_after_its_idle_minutes_to_the_second(app, clock, staff, idle_setting):
    client = app.test_client()
    sign_in_staff(client) if staff else sign_in_citizen(client)
    idle = dt.timedelta(minutes=app.config[idle_setting])
    clock.later(seconds=idle.total_seconds() - 1)
    assert who(client) != {"citizen": None, "staff": None}
    clock.later(seconds=idle.total_seconds())  # idle again since that last page
    assert who(client) == {"citizen": None, "staff": None}


def test_a_session_ends_at_its_lifetime_however_active(app, clock):
    client = app.test_client()
    citizen = sign_in_citizen(client)
    lifetime = dt.timedelta(hours=app.config["CITIZEN_SESSION_HOURS"])
    while clock.now < START + lifetime - dt.timedelta(minutes=30):
        clock.later(minutes=30)
        assert who(client)["citizen"] == citizen.id
    clock.later(minutes=29, seconds=59)
    assert who(client)["citizen"] == citizen.id
    clock.later(seconds=1)
    assert who(client)["citizen"] is None


def test_activity_is_written_at_most_once_a_minute_and_to_that_session_only(app, clock):
    mine, yours = app.test_client(), app.test_client()
    sign_in_citizen(mine)
    sign_in_citizen(yours)
    clock.later(seconds=59)
    who(mine)
    assert row_of(mine).last_seen_at == START  # not worth a write yet
    clock.later(seconds=1)
    who(mine)
    assert row_of(mine).last_seen_at == START + dt.timedelta(seconds=60)
    assert row_of(yours).last_seen_at == START


def test_signing_out_ends_that_session_only(app, clock):
    mine, yours = app.test_client(), app.test_client()
    sign_in_citizen(mine)
    you = sign_in_citizen(yours)
    clock.later(seconds=5)
    assert mine.get("/_sign_out").json == {"citizen": None, "staff": None}
    assert row_of(yours).revoked_at is None
    assert who(yours)["citizen"] == you.id
    with mine.session_transaction() as session:
        assert auth.SESSION_KEY not in session


def test_a_signed_out_session_stays_ended_whatever_the_cookie_says(app, clock):
    client = app.test_client()
    sign_in_citizen(client)
    with client.session_transaction() as session:
        stolen = session[auth.SESSION_KEY]
    row = row_of(client)
    client.get("/_sign_out")
    with client.application.app_context(), database.connection_context():
        assert SignInSession.get_by_id(row.id).revoked_at == START
    with client.session_transaction() as session:
        session[auth.SESSION_KEY] = stolen
    assert who(client)["citizen"] is None


@pytest.mark.parametrize("token", ["", "not-a-token", 12345, None])
def test_a_cookie_with_no_usable_token_is_nobody(app, token):
    client = app.test_client()
    with client.session_transaction() as session:
        session[auth.SESSION_KEY] = token
    assert who(client) == {"citizen": None, "staff": None}


def test_locking_a_staff_account_ends_its_sessions_but_not_others(app, clock):
    locked_client, other_client = app.test_client(), app.test_client()
    locked = sign_in_staff(locked_client)
    other = sign_in_staff(other_client)
    with app.app_context(), database.connection_context():
        StaffUser.update(is_active=False).where(StaffUser.id == locked.id).execute()
    assert who(locked_client)["staff"] is None
    assert who(other_client)["staff"] == other.id


def test_pages_for_citizens_send_others_to_sign_in_and_back(app):
    client = app.test_client()
    response = client.get("/_citizen?a=1")
    assert (response.status_code, response.headers["Location"]) == (
        303, "/dang-nhap?next=/_citizen?a%3D1")
    assert client.get("/_citizen").headers["Location"] == "/dang-nhap?next=/_citizen"
    # Only the empty query's "?" is dropped, never a character of the query itself.
    assert client.get("/_citizen?ma=HS-X").headers["Location"] == (
        "/dang-nhap?next=/_citizen?ma%3DHS-X")
    htmx = client.get("/_citizen", headers={"HX-Request": "true"})
    assert (htmx.status_code, htmx.headers["HX-Redirect"], htmx.get_data()) == (
        204, "/dang-nhap?next=/_citizen", b"")
    sign_in_staff(client, role="admin")  # staff are not citizens
    assert client.get("/_citizen").status_code == 303
    citizen = sign_in_citizen(client)
    assert client.get("/_citizen").json["citizen"] == citizen.id


def test_a_post_that_needs_sign_in_comes_back_to_the_page_of_its_form(app):
    app.add_url_rule("/_citizen_post", "_citizen_post", auth.citizen_required(_who),
                     methods=["POST"])
    client, token = app.test_client(), "this-visitor-s-token"
    with client.session_transaction() as session:
        session["csrf_token"] = token

    def sent_from(referrer: str | None) -> str:
        headers = {"Referer": referrer} if referrer else {}
        return client.post("/_citizen_post", data={"csrf_token": token},
                           headers=headers).headers["Location"]
    assert sent_from("http://localhost/ho-so/buoc-2?lan=1") == (
        "/dang-nhap?next=/ho-so/buoc-2?lan%3D1")
    assert sent_from("http://localhost/ho-so/buoc-2") == "/dang-nhap?next=/ho-so/buoc-2"
    assert sent_from("https://evil.example/ho-so") == "/dang-nhap?next=/"
    assert sent_from("http://localhost") == "/dang-nhap?next=/"
    assert sent_from(None) == "/dang-nhap?next=/"


def test_staff_pages_by_role(app):
    visitor, citizen, volunteer, officer, admin = (app.test_client() for _ in range(5))
    sign_in_citizen(citizen)
    sign_in_staff(volunteer, role="volunteer")
    sign_in_staff(officer, role="officer")
    sign_in_staff(admin, role="admin")
    for client in (visitor, citizen):
        response = client.get("/_staff")
        assert (response.status_code, response.headers["Location"]) == (
            303, "/can-bo/dang-nhap?next=/_staff")
    assert [c.get("/_staff").status_code for c in (volunteer, officer, admin)] == [200] * 3
    assert [c.get("/_officers").status_code for c in (volunteer, officer, admin)] == [
        403, 200, 200]
    assert [c.get("/_admins").status_code for c in (volunteer, officer, admin)] == [
        403, 403, 200]


def test_an_officer_sees_the_communes_they_serve_and_an_administrator_all(app):
    with app.app_context(), database.connection_context():
        first, second, third = first_communes(3)
        from webapp.places.models import Commune

        every = Commune.select().count()
    officer, admin = app.test_client(), app.test_client()
    sign_in_staff(officer, role="officer", communes=(first, second))
    sign_in_staff(admin, role="admin")
    assert officer.get(f"/_communes/{second.id}").json == {
        "allowed": True, "count": 2, "again": True}
    assert officer.get(f"/_communes/{third.id}").json["allowed"] is False
    assert admin.get(f"/_communes/{third.id}").json == {
        "allowed": True, "count": every, "again": True}
    other = app.test_client()
    sign_in_staff(other, role="officer", communes=(third,))
    assert other.get(f"/_communes/{first.id}").json == {
        "allowed": False, "count": 1, "again": True}


def test_nobody_but_an_administrator_is_granted_no_commune(app):
    with app.test_request_context(), database.connection_context():
        officer = StaffUser(id=-1, role="officer")
        admin = StaffUser(id=-2, role="admin")
        assert auth.staff_can_access_commune(officer, None) is False
        assert auth.staff_can_access_commune(admin, None) is True


def test_signing_in_ends_the_browser_s_previous_session_and_renews_the_csrf_token(app, clock):
    app.add_url_rule("/_sign_in_again", "_sign_in_again",
                     lambda: str(auth.start_session(citizen=auth.current_citizen()).id))
    client = app.test_client()
    sign_in_citizen(client)
    before = row_of(client)
    with client.session_transaction() as session:
        session["csrf_token"] = "old-token"
    new_id = int(client.get("/_sign_in_again").get_data(as_text=True))
    after = row_of(client)
    assert after.id == new_id != before.id and after.citizen_id == before.citizen_id
    with app.app_context(), database.connection_context():
        assert SignInSession.get_by_id(before.id).revoked_at == START
    with client.session_transaction() as session:
        assert session.get("csrf_token") != "old-token" and session.permanent


def _sign_in_here(kind: str, person_id: int, kiosk: int):
    """Sign in as a sign-in view does, then say who this same request now serves."""
    if kiosk:
        g.kiosk = "the kiosk at the one-stop shop"
    if kind == "staff":
        auth.start_session(staff=StaffUser.get_by_id(person_id))
    else:
        auth.start_session(citizen=Citizen.get_by_id(person_id))
    return _who()


def test_a_sign_in_at_a_kiosk_ends_with_the_visit_and_leaves_no_lasting_cookie(app, clock):
    """The next visitor at a shared screen must not find the previous one still signed in."""
    citizen, phone_citizen = create_citizen(app), create_citizen(app)
    app.add_url_rule("/_sign_in/<kind>/<int:person_id>/<int:kiosk>", "_sign_in_here",
                     _sign_in_here)
    at_kiosk, on_phone = app.test_client(), app.test_client()
    kiosk_cookie = at_kiosk.get(f"/_sign_in/citizen/{citizen.id}/1").headers["Set-Cookie"]
    phone_cookie = on_phone.get(f"/_sign_in/citizen/{phone_citizen.id}/0").headers["Set-Cookie"]

    kiosk_minutes = app.config["KIOSK_SESSION_MINUTES"]
    assert kiosk_minutes * 60 < app.config["CITIZEN_SESSION_HOURS"] * 3600
    assert row_of(at_kiosk).expires_at == START + dt.timedelta(minutes=kiosk_minutes)
    assert row_of(on_phone).expires_at == START + dt.timedelta(
        hours=app.config["CITIZEN_SESSION_HOURS"])
    assert "Expires=" not in kiosk_cookie and "Expires=" in phone_cookie
    clock.later(minutes=kiosk_minutes)
    assert who(at_kiosk)["citizen"] is None and who(on_phone)["citizen"] == phone_citizen.id


def test_a_staff_sign_in_is_that_staff_member_s_from_the_same_request_on(app, clock):
    """The page a sign-in view renders already knows who signed in, citizen or staff."""
    citizen, staff = create_citizen(app), create_staff(app, role="officer")
    app.add_url_rule("/_sign_in/<kind>/<int:person_id>/<int:kiosk>", "_sign_in_here",
                     _sign_in_here)
    citizen_client, staff_client = app.test_client(), app.test_client()
    assert citizen_client.get(f"/_sign_in/citizen/{citizen.id}/0").json == {
        "citizen": citizen.id, "staff": None}
    assert staff_client.get(f"/_sign_in/staff/{staff.id}/0").json == {
        "citizen": None, "staff": staff.id}
    row = row_of(staff_client)
    assert (row.citizen_id, row.staff_id) == (None, staff.id)
    assert row.expires_at == START + dt.timedelta(hours=app.config["STAFF_SESSION_HOURS"])
    assert who(staff_client) == {"citizen": None, "staff": staff.id}


def _names_and_queries():
    """Who is signed in, by name, and what finding out cost in queries."""
    with count_queries() as counter:
        citizen, staff = auth.current_citizen(), auth.current_staff()
        names = [citizen and citizen.full_name, staff and (staff.full_name, staff.role)]
    return jsonify(names=names, queries=counter.count)


def test_who_is_signed_in_costs_one_query_per_request_with_the_owner_joined(app, clock):
    """Every page asks who is signed in, often several times: one query, never one more."""
    app.add_url_rule("/_names", "_names", _names_and_queries)
    citizen_client, staff_client = app.test_client(), app.test_client()
    citizen = sign_in_citizen(citizen_client, full_name="Trần Thị Năm")
    staff = sign_in_staff(staff_client, role="officer")
    assert citizen_client.get("/_names").json == {
        "names": ["Trần Thị Năm", None], "queries": 1}
    assert staff_client.get("/_names").json == {
        "names": [None, [staff.full_name, "officer"]], "queries": 1}
    assert citizen.full_name == "Trần Thị Năm"
