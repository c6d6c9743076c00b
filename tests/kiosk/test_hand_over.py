"""Hand-over from a kiosk to the visitor's phone (issue 12): a QR code of a signed link that
works once, for 15 minutes, for the citizen who began the draft; her phone takes the answers
and photos, and the kiosk forgets her. A used, expired or forged link is a page in plain words."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import threading

import pytest
from itsdangerous import URLSafeSerializer

from tests.accounts.helpers import create_citizen, sign_in_citizen
from tests.backoffice.conftest import first_commune
from tests.dossiers.helpers import (
    DEATH_REGISTRATION,
    fill_social_allowance,
    path_of,
    post,
    sign_in_again,
    start,
)
from tests.kiosk.test_kiosk import make_kiosk
from webapp.accounts.models import SignInSession
from webapp.audit.models import AuditEvent
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.dossiers import handover
from webapp.dossiers.models import Attachment, DossierDraft, DraftHandOver
from webapp.dossiers.receipts import qr_svg


@pytest.fixture
def kiosk_client(app):
    with app.app_context(), database.connection_context():
        commune = first_commune()
    client = app.test_client()
    assert make_kiosk(client, commune).status_code == 303
    return client


@pytest.fixture
def visitor(app, kiosk_client):
    """A citizen signed in at the kiosk with a whole draft (answers and ID card photos)."""
    citizen = create_citizen(app, full_name="Lê Thị Khách")
    sign_in_again(kiosk_client, citizen)
    check = fill_social_allowance(kiosk_client, start(kiosk_client))
    return citizen, check.split("/")[2]  # /ho-so-nhap/<token>/kiem-tra


def _offer(app, kiosk_client, token: str) -> str:
    """Press "Tiếp tục trên điện thoại của tôi"; return the link the QR code holds."""
    response = post(kiosk_client, f"/ho-so-nhap/{token}/sang-dien-thoai")
    assert response.status_code == 303
    assert path_of(response.location) == "/quay/tiep-tuc-tren-dien-thoai"
    with kiosk_client.session_transaction() as session:
        signed = session["hand_over"]["signed"]
    with app.test_request_context("/"):
        link = handover.link(signed)
    html = kiosk_client.get("/quay/tiep-tuc-tren-dien-thoai").get_data(as_text=True)
    with app.test_request_context("/"):
        assert str(qr_svg(link)) in html  # the QR code drawn is of exactly this link
    return path_of(link)


def _draft(app, token: str):
    with app.app_context(), database.connection_context():
        draft = DossierDraft.get_or_none(DossierDraft.token == token)
        photos = Attachment.select().where(Attachment.draft == draft).count() if draft else 0
        return draft, photos


def _handed_over(app, draft) -> int:
    with app.app_context(), database.connection_context():
        return AuditEvent.select().where((AuditEvent.action == "dossier_draft.handed_over")
                                         & (AuditEvent.object_id == str(draft.id))).count()


def test_a_kiosk_draft_shows_the_button_and_a_phone_off_a_kiosk_does_not(app, visitor,
                                                                          kiosk_client):
    citizen, token = visitor
    html = kiosk_client.get(f"/ho-so-nhap/{token}/kiem-tra").get_data(as_text=True)
    assert "Tiếp tục trên điện thoại của tôi" in html
    phone = app.test_client()
    sign_in_again(phone, citizen)
    html = phone.get(f"/ho-so-nhap/{token}/kiem-tra").get_data(as_text=True)
    assert "Tiếp tục trên điện thoại của tôi" not in html
    assert post(phone, f"/ho-so-nhap/{token}/sang-dien-thoai").status_code == 404


def test_her_phone_takes_the_draft_after_signing_in_and_the_kiosk_forgets_her(
        app, visitor, kiosk_client):
    citizen, token = visitor
    start(kiosk_client, DEATH_REGISTRATION)  # another draft begun here: forgotten with her
    _before, photos = _draft(app, token)
    assert photos == 2
    link = _offer(app, kiosk_client, token)
    with app.app_context(), database.connection_context():
        stored = DraftHandOver.get()
        assert stored.token_hash not in link and stored.expires_at - stored.created_at == (
            dt.timedelta(minutes=15))

    phone = app.test_client()
    html = phone.get(link).get_data(as_text=True)
    assert "Đăng nhập" in html and f"next={link}" in html.replace("%2F", "/")
    sign_in_again(phone, citizen)
    assert "Tiếp tục ở đây" in phone.get(link).get_data(as_text=True)
    response = post(phone, link)
    assert response.status_code == 303
    assert path_of(response.location) == f"/ho-so-nhap/{token}"
    check = phone.get(f"/ho-so-nhap/{token}/kiem-tra").get_data(as_text=True)
    assert "Ấp Thạnh Đông, số nhà 12" in check  # her answers, on her phone

    # The kiosk: its session ended, it sends itself to a fresh start, the draft stays hers.
    response = kiosk_client.get("/quay/tiep-tuc-tren-dien-thoai")
    assert path_of(response.location) == "/quay/het-gio"
    response = kiosk_client.get("/quay/het-gio")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "Lê Thị Khách" not in kiosk_client.get("/").get_data(as_text=True)
    assert kiosk_client.get(f"/ho-so-nhap/{token}/kiem-tra").status_code in (302, 303)
    draft, photos = _draft(app, token)
    assert draft is not None and photos == 2
    with app.app_context(), database.connection_context():
        drafts = DossierDraft.select().where(DossierDraft.citizen == citizen)
        assert [d.token for d in drafts] == [token]  # the other kiosk draft is gone
        live = SignInSession.select().where((SignInSession.citizen == citizen)
                                            & SignInSession.revoked_at.is_null())
        assert live.count() == 1  # her phone's session only
        assert _handed_over(app, drafts[0]) == 1


def test_a_used_link_is_refused_but_a_double_tap_lands_on_her_draft(app, visitor,
                                                                      kiosk_client):
    citizen, token = visitor
    link = _offer(app, kiosk_client, token)
    phone = app.test_client()
    sign_in_again(phone, citizen)
    assert post(phone, link).status_code == 303
    again = post(phone, link)
    assert again.status_code == 303 and path_of(again.location) == f"/ho-so-nhap/{token}"
    stranger = app.test_client()
    response = stranger.get(link)
    assert response.status_code == 410
    assert "Mã QR này đã được dùng" in response.get_data(as_text=True)


def test_an_expired_link_is_refused_with_a_page_in_plain_words(app, visitor, kiosk_client,
                                                                monkeypatch):
    citizen, token = visitor
    link = _offer(app, kiosk_client, token)
    later = utcnow() + dt.timedelta(minutes=15, seconds=1)
    monkeypatch.setattr(handover, "utcnow", lambda: later)
    phone = app.test_client()
    sign_in_again(phone, citizen)
    for response in (phone.get(link), post(phone, link)):
        assert response.status_code == 410
        assert "hơn 15 phút" in response.get_data(as_text=True)
    assert "Mã QR này đã hết hạn" in kiosk_client.get(
        "/quay/tiep-tuc-tren-dien-thoai").get_data(as_text=True)
    draft, _photos = _draft(app, token)
    assert draft is not None  # still the kiosk's, to forget when she leaves


@pytest.mark.parametrize("forge", ["tampered", "signed_but_never_made", "replaced",
                                   "kiosk_started_again"])
def test_a_forged_link_opens_nothing(app, visitor, kiosk_client, forge):
    citizen, token = visitor
    link = _offer(app, kiosk_client, token)
    if forge == "tampered":
        link = link[:-2] + ("AA" if not link.endswith("AA") else "BB")
    elif forge == "signed_but_never_made":
        forged = URLSafeSerializer(app.secret_key, salt=handover.SALT).dumps(
            secrets.token_urlsafe(32))
        link = f"/tiep-tuc/{forged}"
    elif forge == "replaced":
        _offer(app, kiosk_client, token)  # a new code on the screen: the first one is void
    else:  # she pressed "Bắt đầu lại" before scanning: the draft is forgotten, the code too
        assert post(kiosk_client, "/quay/bat-dau-lai").status_code == 303
        assert _draft(app, token)[0] is None
    phone = app.test_client()
    sign_in_again(phone, citizen)
    for response in (phone.get(link), post(phone, link)):
        assert response.status_code == 404
        assert "không phải do máy tự phục vụ" in response.get_data(as_text=True)


def test_a_phone_signed_in_as_someone_else_is_told_which_number_and_uses_nothing(
        app, visitor, kiosk_client):
    citizen, token = visitor
    link = _offer(app, kiosk_client, token)
    son = app.test_client()
    sign_in_citizen(son, full_name="Con trai")
    for response in (son.get(link), post(son, link)):
        assert response.status_code == 403
        html = response.get_data(as_text=True)
        assert f"{citizen.phone[:4]} *** {citizen.phone[-3:]}" in html
        assert "Lê Thị Khách" not in html and "Thạnh Đông" not in html
    phone = app.test_client()
    sign_in_again(phone, citizen)
    assert post(phone, link).status_code == 303  # still hers to take


def test_two_phones_opening_the_same_link_at_once_take_it_once(app, visitor, kiosk_client):
    citizen, token = visitor
    signed = _offer(app, kiosk_client, token).rsplit("/", 1)[1]
    barrier, outcomes = threading.Barrier(2), []

    def claim():
        with app.test_request_context("/"), database.connection_context():
            barrier.wait()
            try:
                outcomes.append(handover.claim(signed, citizen).token)
            except handover.Used:
                outcomes.append("used")

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == sorted([token, "used"])
    draft, _photos = _draft(app, token)
    assert _handed_over(app, draft) == 1


def test_the_qr_page_is_only_on_a_kiosk(client):
    assert client.get("/quay/tiep-tuc-tren-dien-thoai").status_code == 404
    assert re.search(r"không phải do máy",
                     client.get("/tiep-tuc/x.y").get_data(as_text=True))


def test_the_link_opened_on_a_kiosk_says_it_is_for_her_phone(app, visitor, kiosk_client):
    citizen, token = visitor
    link = _offer(app, kiosk_client, token)
    for response in (kiosk_client.get(link), post(kiosk_client, link)):
        assert response.status_code == 400
        assert "không mở trên máy tự phục vụ" in response.get_data(as_text=True)
    phone = app.test_client()
    sign_in_again(phone, citizen)
    assert post(phone, link).status_code == 303  # nothing used up
