"""Kiosks at one-stop shops (issue 12): an administrator marks the device with a cookie only
the server can check, and revokes it; on a kiosk nothing of a visitor persists once she
starts again or walks away, and no sign-in outlives her visit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import g, session

from tests.accounts.helpers import create_citizen, sign_in_staff
from tests.backoffice.conftest import first_commune
from tests.dossiers.helpers import DEATH_REGISTRATION, post, sign_in_again, start
from webapp.accounts.auth import start_session
from webapp.accounts.models import ADMIN, OFFICER, SignInSession
from webapp.audit.models import AuditEvent
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.dossiers.models import DossierDraft
from webapp.kiosk import devices
from webapp.kiosk.models import Kiosk


@pytest.fixture
def commune(app):
    with app.app_context(), database.connection_context():
        return first_commune()


def make_kiosk(client, commune, paper="a4", name="Quầy 1"):
    """An administrator, on the device, makes it a kiosk; returns the response."""
    sign_in_staff(client, role=ADMIN)
    return post(client, "/can-bo/quay-tu-phuc-vu",
                {"name": name, "commune": commune.code, "paper": paper})


@pytest.fixture
def kiosk_client(app, commune):
    client = app.test_client()
    assert make_kiosk(client, commune).status_code == 303
    return client


def _row(app, **where):
    with app.app_context(), database.connection_context():
        return Kiosk.select().order_by(Kiosk.id.desc()).first()


def test_an_administrator_makes_this_device_a_kiosk_and_is_signed_out(app, commune):
    client = app.test_client()
    response = make_kiosk(client, commune, paper="roll80")
    assert response.status_code == 303 and response.location.endswith("/")
    cookie = client.get_cookie(devices.COOKIE)
    assert cookie is not None and cookie.http_only and cookie.max_age > 4 * 365 * 24 * 3600
    made = _row(app)
    assert (made.name, made.commune_id, made.paper) == ("Quầy 1", commune.id, "roll80")
    assert made.token_hash not in cookie.value  # the cookie is not the stored hash
    # Nobody is signed in on a kiosk when it starts: the administrator's session ended.
    assert client.get("/can-bo/quay-tu-phuc-vu").status_code in (302, 303)
    with app.app_context(), database.connection_context():
        assert AuditEvent.select().where((AuditEvent.action == "kiosk.made")
                                         & (AuditEvent.object_id == str(made.id))).exists()


def test_every_page_of_a_kiosk_starts_again_forgets_and_is_never_cached(kiosk_client, app):
    response = kiosk_client.get("/")
    html = response.get_data(as_text=True)
    assert re.search(r'<html[^>]+class="[^"]*\bkiosk\b[^"]*\bpaper-a4\b', html)
    assert 'action="/quay/bat-dau-lai"' in html and "Bắt đầu lại" in html
    idle = app.config["KIOSK_IDLE_SECONDS"] + app.config["KIOSK_COUNTDOWN_SECONDS"]
    assert f'<noscript><meta http-equiv="refresh" content="{idle};url=/quay/het-gio">' in html
    assert "Tôi vẫn đang dùng" in html
    assert response.headers["Cache-Control"] == "no-store"


def test_an_ordinary_phone_sees_no_kiosk(client):
    html = client.get("/").get_data(as_text=True)
    assert "bat-dau-lai" not in html and "http-equiv=\"refresh\"" not in html
    assert not re.search(r'<html[^>]+class="[^"]*\bkiosk\b', html)


@pytest.mark.parametrize("value", ["forged", "eyJhbGciOiJIUzI1NiJ9.e30.x"])
def test_a_made_up_kiosk_cookie_is_ignored(client, value):
    client.set_cookie(devices.COOKIE, value)
    assert "bat-dau-lai" not in client.get("/").get_data(as_text=True)


def test_a_revoked_kiosk_is_an_ordinary_browser_from_the_next_request(app, kiosk_client):
    made = _row(app)
    admin = app.test_client()
    sign_in_staff(admin, role=ADMIN)
    assert post(admin, f"/can-bo/quay-tu-phuc-vu/{made.id}/thu-hoi").status_code == 303
    assert "bat-dau-lai" not in kiosk_client.get("/").get_data(as_text=True)
    assert _row(app).revoked_at is not None


def test_only_administrators_make_or_revoke_kiosks(app, commune):
    client = app.test_client()
    sign_in_staff(client, role=OFFICER)
    response = post(client, "/can-bo/quay-tu-phuc-vu",
                    {"name": "Quầy 1", "commune": commune.code, "paper": "a4"})
    assert response.status_code == 403
    assert client.get_cookie(devices.COOKIE) is None


def test_a_kiosk_without_a_name_or_commune_says_what_is_missing_and_keeps_what_was_typed(app):
    client = app.test_client()
    sign_in_staff(client, role=ADMIN)
    response = post(client, "/can-bo/quay-tu-phuc-vu", {"name": "Quầy 2", "paper": "a4"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Chọn xã, phường của bộ phận một cửa này." in html
    assert 'value="Quầy 2"' in html
    assert client.get_cookie(devices.COOKIE) is None


def test_a_sign_in_on_a_kiosk_ends_with_the_browser_and_lasts_at_most_the_visit(app, commune):
    citizen = create_citizen(app)
    with app.app_context():
        with database.connection_context():
            kiosk = Kiosk.create(name="Quầy", commune=commune, token_hash="x" * 64)
        with app.test_request_context("/"):
            g.kiosk = kiosk
            row = start_session(citizen=citizen)
            assert session.permanent is False
        assert row.expires_at - row.created_at <= dt.timedelta(
            minutes=app.config["KIOSK_SESSION_MINUTES"])
        g.pop("kiosk")  # the same person on her own phone
        with app.test_request_context("/"):
            assert start_session(citizen=citizen).expires_at - utcnow() > dt.timedelta(hours=1)
            assert session.permanent is True


def test_no_zalo_login_on_a_kiosk(app, kiosk_client, monkeypatch):
    monkeypatch.setitem(app.config, "ZALO_APP_ID", "123")
    monkeypatch.setitem(app.config, "ZALO_SECRET_KEY", "secret")
    assert "/dang-nhap/zalo" not in kiosk_client.get("/dang-nhap").get_data(as_text=True)
    assert kiosk_client.get("/dang-nhap/zalo").status_code == 404
    phone = app.test_client()
    assert "/dang-nhap/zalo" in phone.get("/dang-nhap").get_data(as_text=True)


def _drafts(app, citizen):
    with app.app_context(), database.connection_context():
        return {d.token for d in DossierDraft.select().where(DossierDraft.citizen == citizen)}


@pytest.mark.parametrize("how", ["button", "timeout"])
def test_starting_again_forgets_the_visitor_on_the_server_and_in_the_browser(
        app, kiosk_client, how):
    citizen = create_citizen(app, full_name="Trần Thị Khách")
    at_home = app.test_client()  # a draft she began on her own phone, before coming
    sign_in_again(at_home, citizen)
    start(at_home)
    before = _drafts(app, citizen)
    sign_in_again(kiosk_client, citizen)
    with app.app_context(), database.connection_context():
        kiosk_session = SignInSession.select().order_by(SignInSession.id.desc()).first().id
    start(kiosk_client, DEATH_REGISTRATION)  # another procedure: the phone's draft would resume
    kiosk_client.set_cookie("text", "a2")
    assert len(_drafts(app, citizen)) == len(before) + 1

    response = (post(kiosk_client, "/quay/bat-dau-lai") if how == "button"
                else kiosk_client.get("/quay/het-gio"))

    assert response.status_code == 303 and response.location.endswith("/")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert _drafts(app, citizen) == before  # the kiosk's draft is gone, her own stays
    assert kiosk_client.get_cookie("text") is None
    assert kiosk_client.get_cookie(devices.COOKIE) is not None  # still a kiosk
    assert "Trần Thị Khách" not in kiosk_client.get("/").get_data(as_text=True)
    assert kiosk_client.get("/ho-so-cua-toi").status_code in (302, 303)
    with app.app_context(), database.connection_context():
        at_kiosk = SignInSession.get_by_id(kiosk_session)
        assert at_kiosk.revoked_at is not None
        assert SignInSession.select().where((SignInSession.citizen == citizen)
                                            & SignInSession.revoked_at.is_null()).count() == 1


def test_start_again_off_a_kiosk_forgets_nothing(app, client):
    citizen = create_citizen(app)
    sign_in_again(client, citizen)
    start(client)
    drafts = _drafts(app, citizen)
    assert client.get("/quay/het-gio").status_code == 303
    assert _drafts(app, citizen) == drafts
    assert "Clear-Site-Data" not in client.get("/quay/het-gio").headers
