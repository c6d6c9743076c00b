"""Following a dossier: receipt, look-up by code and phone, polling status card, my dossiers."""

from __future__ import annotations

import itertools
import re

import pytest
from playhouse.test_utils import count_queries

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from tests.dossiers.helpers import path_of, post, send, signed_in_with_draft, submission_key
from tests.pages import check_page, page_text
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.dossiers import lifecycle
from webapp.dossiers.models import Attachment, Dossier, DossierEvent

_addresses = itertools.count(1)


@pytest.fixture
def visitor(app):
    """A client with an address of its own, so rate limits of other tests do not apply."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.9.{next(_addresses) % 250}.{next(_addresses) % 250}"
    return client


def sent_dossier(client, app):
    citizen, check = signed_in_with_draft(client)
    response = send(client, check, submission_key(client, check))
    code = path_of(response.location).rsplit("/", 1)[1]
    with app.app_context(), database.connection_context():
        return citizen, Dossier.get(Dossier.code == code)


def move(app, dossier, status, message=""):
    """What the back office does to a dossier, reduced to what the citizen sees."""
    with app.app_context(), database.connection_context():
        DossierEvent.create(dossier=dossier, kind="status_changed", from_status=dossier.status,
                            to_status=status, public_message=message,
                            internal_note="officer only: checked the poverty list")
        Dossier.update(status=status, updated_at=utcnow()).where(
            Dossier.id == dossier.id).execute()


def look_up(client, code, phone):
    client.get("/tra-cuu-ho-so")
    return post(client, "/tra-cuu-ho-so", {"code": code, "phone": phone})


def test_the_receipt_is_a_printable_page_with_code_qr_due_date_and_next_steps(client, app):
    citizen, dossier = sent_dossier(client, app)
    response = client.get(f"/ho-so/{dossier.code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and check_page(html) == []
    assert response.mimetype == "text/html" and "Content-Disposition" not in response.headers
    text = page_text(html)
    assert dossier.code in text and dossier.due_date.strftime("%d/%m/%Y") in text
    assert "Những việc đã diễn ra" not in text and "Ông/Bà sẽ được báo thế nào" in text
    assert citizen.phone[:4] + " *** " + citizen.phone[-3:] in text  # masked
    assert '<svg aria-hidden="true" focusable="false" viewBox=' in html and "<path" in html
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_receipt_is_only_for_its_owner(client, app):
    _citizen, dossier = sent_dossier(client, app)
    stranger = app.test_client()
    sign_in_citizen(stranger)
    assert stranger.get(f"/ho-so/{dossier.code}").status_code == 404


ZALO_AGENT = "Mozilla/5.0 (Linux; Android 12) Chrome/120.0 Mobile Safari/537.36 Zalo android/12100"


def test_in_zalo_the_receipt_offers_to_go_to_her_phone_instead_of_printing(client, app):
    _citizen, dossier = sent_dossier(client, app)
    elsewhere = client.get(f"/ho-so/{dossier.code}")
    assert "data-print hidden" in elsewhere.get_data(as_text=True)
    assert "User-Agent" in elsewhere.headers["Vary"]
    in_zalo = client.get(f"/ho-so/{dossier.code}", headers={"User-Agent": ZALO_AGENT})
    html = in_zalo.get_data(as_text=True)
    assert "data-print" not in html and "Gửi biên nhận về điện thoại" in html


def test_the_receipt_sent_to_her_phone_twice_is_one_message(client, app):
    from webapp.notifications.models import OutboxMessage

    _citizen, dossier = sent_dossier(client, app)
    for _tap in range(2):
        response = post(client, f"/ho-so/{dossier.code}/gui-bien-nhan")
        assert response.status_code == 303 and response.location.endswith(f"/ho-so/{dossier.code}")
    page = page_text(client.get(f"/ho-so/{dossier.code}").get_data(as_text=True))
    assert "Biên nhận đang được gửi về số" in page
    with app.app_context(), database.connection_context():
        sent = list(OutboxMessage.select().where(OutboxMessage.template == "dossier_receipt"))
    mine = [m for m in sent if m.data["code"] == dossier.code]
    assert len(mine) == 1 and mine[0].phone == dossier.contact_phone
    assert dossier.code in mine[0].text and f"/ho-so/{dossier.code}" in mine[0].text
    stranger = app.test_client()
    sign_in_citizen(stranger)
    assert post(stranger, f"/ho-so/{dossier.code}/gui-bien-nhan").status_code == 404


def test_look_up_with_code_and_phone_shows_the_timeline_in_plain_words(client, app, visitor):
    citizen, dossier = sent_dossier(client, app)
    move(app, dossier, lifecycle.RECEIVED)
    move(app, dossier, lifecycle.MORE_PAPERS_REQUESTED, "Thiếu giấy xác nhận hộ nghèo.")
    typed_code = dossier.code.lower().replace("-", " ")
    response = look_up(visitor, typed_code, citizen.phone)
    assert path_of(response.location) == f"/tra-cuu-ho-so/{dossier.code}"
    html = visitor.get(path_of(response.location)).get_data(as_text=True)
    assert check_page(html) == []
    text = page_text(html)
    for words in ("Đã gửi hồ sơ", "Đã nhận hồ sơ", "Cần bổ sung giấy tờ",
                  "Thiếu giấy xác nhận hộ nghèo.", "Cần Ông/Bà bổ sung giấy tờ"):
        assert words in text, words
    assert "officer only" not in text and "hx-trigger" not in html  # waiting for the citizen


def test_a_wrong_phone_and_an_unknown_code_get_the_same_answer(client, app, visitor):
    citizen, dossier = sent_dossier(client, app)
    wrong_phone = look_up(visitor, dossier.code, "0987654321")
    unknown = look_up(visitor, "TN-222-2222", citizen.phone)
    assert wrong_phone.status_code == unknown.status_code == 200

    def message(response):
        return re.search(r'<ul>\s*<li><a href="#code">(.*?)</a>',
                         response.get_data(as_text=True)).group(1)

    assert message(wrong_phone) == message(unknown)
    assert "Không có hồ sơ nào có mã và số điện thoại này" in message(unknown)
    assert visitor.get(f"/tra-cuu-ho-so/{dossier.code}").status_code == 303  # no peeking


def test_look_up_is_rate_limited(client, app, visitor):
    citizen, dossier = sent_dossier(client, app)
    statuses = [look_up(visitor, dossier.code, "0987654321").status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429
    # Even the right phone is refused for a while: guessing must not pay.
    refused = look_up(visitor, dossier.code, citizen.phone)
    assert refused.status_code == 429 and "Xin chờ 10 phút" in refused.get_data(as_text=True)


def test_the_status_card_polls_while_the_office_works_and_stops_when_final(client, app):
    _citizen, dossier = sent_dossier(client, app)
    page = client.get(f"/tra-cuu-ho-so/{dossier.code}").get_data(as_text=True)
    assert 'hx-trigger="every 20s"' in page  # the owner needs no look-up
    card = client.get(f"/tra-cuu-ho-so/{dossier.code}/the-trang-thai",
                      headers={"HX-Request": "true"})
    assert card.status_code == 200 and "<html" not in card.get_data(as_text=True)
    move(app, dossier, lifecycle.RECEIVED)
    move(app, dossier, lifecycle.APPROVED, "Mời Ông/Bà đến xã nhận quyết định.")
    card = client.get(f"/tra-cuu-ho-so/{dossier.code}/the-trang-thai",
                      headers={"HX-Request": "true"})
    html = card.get_data(as_text=True)
    assert card.status_code == 286 and "hx-trigger" not in html
    assert "Đã có kết quả" in page_text(html)


def test_my_dossiers_lists_drafts_and_sent_dossiers_without_extra_queries(client, app):
    _citizen, dossier = sent_dossier(client, app)
    client.get("/ho-so-cua-toi")  # warm the per-process caches

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/ho-so-cua-toi").status_code == 200
        return counter.count

    few = queries()
    post(client, "/nop-ho-so/dang-ky-khai-tu")
    post(client, "/nop-ho-so/dang-ky-ho-kinh-doanh")
    with app.app_context(), database.connection_context():
        for number in range(3):
            Dossier.create(**{**dossier.__data__, "id": None, "code": f"TN-XYZ-{number}",
                              "submission_key": f"another-{dossier.code}-{number}"})
    assert queries() == few  # no query per row
    text = page_text(client.get("/ho-so-cua-toi").get_data(as_text=True))
    assert dossier.code in text and "Đã gửi, chờ tiếp nhận" in text
    assert "Đăng ký khai tử" in text and "Đăng ký hộ kinh doanh" in text


def photo_of(app, dossier):
    with app.app_context(), database.connection_context():
        return Attachment.of_dossier(dossier).first()


def test_photos_are_served_to_the_owner_and_entitled_officers_only(client, app, monkeypatch):
    _citizen, dossier = sent_dossier(client, app)
    photo = photo_of(app, dossier)
    url = f"/ho-so/tep/{photo.id}"
    own = client.get(url)
    assert own.status_code == 200 and own.mimetype == "image/jpeg"
    assert own.headers["Cache-Control"] == "private, no-store"
    assert own.data[:3] == b"\xff\xd8\xff" and b"Exif" not in own.data[:200]
    assert client.get(f"{url}/nho").status_code == 200
    assert app.test_client().get(url).status_code == 404  # nobody signed in
    stranger = app.test_client()
    sign_in_citizen(stranger)
    assert stranger.get(url).status_code == 404
    recorded = []
    monkeypatch.setattr("webapp.dossiers.tracking_views.record",
                        lambda action, **kw: recorded.append((action, kw)))
    with app.app_context(), database.connection_context():
        commune, other = dossier.commune, type(dossier.commune).select().where(
            type(dossier.commune).id != dossier.commune_id).first()
    officer, elsewhere = app.test_client(), app.test_client()
    sign_in_staff(officer, role="officer", communes=(commune,))
    sign_in_staff(elsewhere, role="officer", communes=(other,))
    assert elsewhere.get(url).status_code == 404
    assert officer.get(url).status_code == 200
    assert recorded == [("attachment_viewed", {
        "object_type": "attachment", "object_id": photo.id,
        "detail": {"dossier": dossier.code, "paper": "citizen_id_card"}})]


def test_the_home_page_leads_her_to_her_dossiers_and_says_when_one_waits_for_her(client, app):
    anonymous = page_text(app.test_client().get("/").get_data(as_text=True))
    assert "Hồ sơ của tôi" not in anonymous
    _citizen, dossier = sent_dossier(client, app)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/ho-so-cua-toi"' in home and "tile--urgent" not in home
    move(app, dossier, lifecycle.RECEIVED)
    move(app, dossier, lifecycle.MORE_PAPERS_REQUESTED, "Thiếu ảnh mặt sau căn cước.")
    home = client.get("/").get_data(as_text=True)
    assert "tile--urgent" in home and "1 hồ sơ cần Ông/Bà bổ sung giấy tờ." in page_text(home)
    profile = client.get("/tai-khoan").get_data(as_text=True)
    assert 'href="/ho-so-cua-toi"' in profile
