"""The citizen's rights over her data (issue 15): everything held about her and nothing of
anyone else's, who opened it, requests to correct or delete with what the law keeps, and the
retention of photos on a faked clock."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.accounts.helpers import sign_in_staff, unique_phone
from tests.backoffice.conftest import first_commune, make_citizen, make_dossier, make_photo
from tests.dossiers.helpers import post, sign_in_again
from webapp.accounts.models import ADMIN, OFFICER, Citizen
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.dossiers import steps
from webapp.dossiers.models import Attachment, DossierDraft, DossierOutcome, DossierRating
from webapp.notifications.models import OutboxMessage
from webapp.privacy.models import Consent, DataRequest
from webapp.tracking.lifecycle import Move


def _person(app, **fields):
    """A citizen with a full profile, a draft, an open dossier with a photo, a decided and
    rated dossier and a consent; each value her own, so another's cannot be mistaken."""
    with app.app_context(), database.connection_context():
        citizen = make_citizen(commune=first_commune(), **fields)
        open_dossier = make_dossier(citizen=citizen)
        photo = make_photo(open_dossier)
        decided = make_dossier("received", citizen=citizen)
        steps.perform(decided, Move("refuse", decided.version, staff=_officer(app),
                                    public_message="Không thuộc thẩm quyền."))
        DossierRating.create(dossier=decided, score=4, comment=f"Góp ý của {citizen.full_name}")
        draft = DossierDraft.create(
            token=f"t{citizen.id}x" * 4, procedure=open_dossier.procedure, citizen=citizen,
            answers={"address": fields.get("address", "")}, submission_key=f"k{citizen.id}",
            expires_at=utcnow() + dt.timedelta(days=30))
        Consent.create(citizen=citizen, purpose="dossier_processing", wording="v1",
                       reference=open_dossier.code)
        return {"citizen": citizen, "open": open_dossier, "decided": decided, "photo": photo,
                "draft": draft}


_officers = {}


def _officer(app):
    from tests.accounts.helpers import create_staff

    if app not in _officers:
        _officers[app] = create_staff(app, role=OFFICER, communes=[first_commune()])
    return _officers[app]


@pytest.fixture
def two(app, in_app):
    mai = _person(app, full_name="Nguyễn Thị Mai", phone=unique_phone(),
                  citizen_id="072153000111", address="Ấp Bình Phong, số 7")
    lan = _person(app, full_name="Trần Thị Lan", phone=unique_phone(),
                  citizen_id="080160000222", address="Ấp Thạnh Đông, số 9")
    return mai, lan


def _client_of(app, person):
    client = app.test_client()
    sign_in_again(client, person["citizen"])
    return client


def test_the_download_holds_everything_of_hers_and_nothing_of_anothers(app, two):
    mai, lan = two
    response = _client_of(app, mai).get("/du-lieu-cua-toi/tai-ve")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    text = response.get_data(as_text=True)
    body = json.loads(text)
    assert [s["section"] for s in body["sections"]] == ["accounts", "dossiers", "mandates",
                                                       "help_requests", "privacy"]
    for value in ("Nguyễn Thị Mai", mai["citizen"].phone, "072153000111", "Ấp Bình Phong, số 7",
                  mai["open"].code, mai["decided"].code, "Góp ý của Nguyễn Thị Mai"):
        assert value in text, value
    for value in ("Trần Thị Lan", lan["citizen"].phone, "080160000222", "Ấp Thạnh Đông",
                  lan["open"].code, lan["decided"].code):
        assert value not in text, value


def test_the_page_shows_who_opened_her_data_and_when(app, two):
    mai, lan = two
    officer = app.test_client()
    staff = sign_in_staff(officer, role=OFFICER, communes=[first_commune()])
    assert officer.get(f"/can-bo/ho-so/{mai['open'].code}").status_code == 200
    assert officer.get(f"/ho-so/tep/{mai['photo'].id}").status_code == 200
    page = _client_of(app, mai).get("/du-lieu-cua-toi").get_data(as_text=True)
    assert page.count(f"Cán bộ {staff.username}") == 2  # the dossier, then its photo
    assert "dossier.viewed" in page and "attachment_viewed" in page
    other = _client_of(app, lan).get("/du-lieu-cua-toi").get_data(as_text=True)
    assert staff.username not in other
    assert "Chưa có cán bộ nào mở xem dữ liệu" in other


def test_a_deletion_deletes_what_the_law_does_not_keep_and_says_what_stays(app, two):
    mai, lan = two
    client = _client_of(app, mai)
    form = client.get("/du-lieu-cua-toi/yeu-cau").get_data(as_text=True)
    assert "Pháp luật buộc chúng tôi giữ lại" in form and mai["decided"].code in form
    assert post(client, "/du-lieu-cua-toi/yeu-cau", {"kind": "deletion"}).status_code == 303
    assert post(client, "/du-lieu-cua-toi/yeu-cau", {"kind": "deletion"}).status_code == 303
    with app.app_context(), database.connection_context():
        (request,) = DataRequest.select().where(DataRequest.citizen == mai["citizen"].id)
    admin = app.test_client()
    sign_in_staff(admin, role=ADMIN)
    detail = admin.get(f"/can-bo/yeu-cau-du-lieu/{request.code}").get_data(as_text=True)
    assert mai["decided"].code in detail and "Là hồ sơ hành chính" in detail
    assert post(admin, f"/can-bo/yeu-cau-du-lieu/{request.code}/xong",
                {"decision": "Đã xóa hồ sơ làm dở và thông tin cá nhân."}).status_code == 303
    with app.app_context(), database.connection_context():
        citizen = Citizen.get_by_id(mai["citizen"].id)
        assert (citizen.full_name, citizen.citizen_id, citizen.address) == ("", None, "")
        assert citizen.phone == mai["citizen"].phone  # her dossiers are kept: the account stays
        assert DossierDraft.get_or_none(DossierDraft.id == mai["draft"].id) is None
        assert mai["open"].__class__.get_by_id(mai["open"].id).code == mai["open"].code
        assert Citizen.get_by_id(lan["citizen"].id).full_name == "Trần Thị Lan"
        assert DossierDraft.get_or_none(DossierDraft.id == lan["draft"].id) is not None
        sent = [m.template for m in OutboxMessage.select().where(
            OutboxMessage.phone == mai["citizen"].phone)]
    assert sent[-2:] == ["privacy_request_received", "privacy_request_done"]


def test_nothing_kept_closes_the_account(app, in_app):
    with app.app_context(), database.connection_context():
        citizen = make_citizen(full_name="Lê Văn Bảy", phone=unique_phone())
    client = app.test_client()
    sign_in_again(client, citizen)
    post(client, "/du-lieu-cua-toi/yeu-cau", {"kind": "deletion"})
    with app.app_context(), database.connection_context():
        request = DataRequest.get(DataRequest.citizen == citizen.id)
    admin = app.test_client()
    sign_in_staff(admin, role=ADMIN)
    post(admin, f"/can-bo/yeu-cau-du-lieu/{request.code}/xong", {"decision": "Đã xóa hết."})
    with app.app_context(), database.connection_context():
        closed = Citizen.get_by_id(citizen.id)
    assert (closed.phone, closed.full_name) == (None, "")
    assert client.get("/du-lieu-cua-toi").status_code in (302, 303)  # signed out everywhere


def test_a_correction_needs_her_words_and_keeps_what_she_chose(app, two):
    mai, _lan = two
    client = _client_of(app, mai)
    response = post(client, "/du-lieu-cua-toi/yeu-cau", {"kind": "correction"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Lỗi:" in html
    assert "Ông/Bà ghi thông tin nào sai và đúng phải là gì." in html
    assert 'value="correction" checked' in html


def test_photos_of_decided_dossiers_go_after_their_time(app, two):
    mai, _lan = two
    with app.app_context(), database.connection_context():
        decided_photo = make_photo(mai["decided"])
        decided_at = DossierOutcome.get(DossierOutcome.dossier == mai["decided"].id).decided_at
    days = app.config["PHOTO_RETENTION_DAYS"]
    from webapp.dossiers.personal_data import purge_decided_photos

    with app.app_context():
        assert "Deleted 0 photo" in purge_decided_photos(decided_at + dt.timedelta(days=days - 1))
        assert "Deleted 1 photo" in purge_decided_photos(decided_at + dt.timedelta(days=days + 1))
    with app.app_context(), database.connection_context():
        assert Attachment.get_or_none(Attachment.id == decided_photo.id) is None
        assert Attachment.get_or_none(Attachment.id == mai["photo"].id) is not None  # open one


def test_sending_a_dossier_records_her_consent_for_it(client, app):
    from tests.dossiers.helpers import send, signed_in_with_draft, submission_key

    citizen, check = signed_in_with_draft(client)
    response = send(client, check, submission_key(client, check))
    code = response.location.rsplit("/", 1)[1]
    with app.app_context(), database.connection_context():
        (consent,) = Consent.select().where(Consent.citizen == citizen.id)
    assert (consent.purpose, consent.reference) == ("dossier_processing", code)
    assert consent.wording == "dossier-declaration-2026-01"
