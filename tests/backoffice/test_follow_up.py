"""The citizen's side of the back office: the request for papers on the status page, adding
them, seeing the result, and rating the service once."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from tests.backoffice.conftest import first_commune, make_dossier
from webapp.dossiers import lifecycle as lc
from webapp.dossiers import steps
from webapp.tracking.lifecycle import Move


@pytest.fixture
def owner(client, in_app):
    return sign_in_citizen(client, full_name="Nguyễn Thị Tư")


def officer_acting(app, phone="0987654321"):
    from tests.accounts.helpers import create_staff

    return create_staff(app, role="officer", communes=[first_commune()], phone=phone)


def waiting_dossier(app, citizen):
    dossier = make_dossier(commune=first_commune(), citizen=citizen)
    officer = officer_acting(app)
    steps.perform(dossier, Move("receive", 1, staff=officer))
    steps.perform(dossier, Move("request_papers", 2, staff=officer,
                             public_message="Ảnh giấy khai sinh bị mờ, Ông/Bà chụp lại."))
    return dossier


def decided_dossier(app, citizen, decision="approve", officer_phone="0987654321"):
    from webapp.dossiers.models import DossierResult

    dossier = make_dossier(commune=first_commune(), citizen=citizen)
    officer = officer_acting(app, officer_phone)
    steps.perform(dossier, Move("receive", 1, staff=officer))

    def attach(d, _event):
        DossierResult.create(dossier=d.id, text="Giấy xác nhận đã có.", delivery="pickup")

    steps.perform(dossier, Move(decision, 2, staff=officer,
                             public_message="Lý do: không đủ điều kiện.",
                             after=attach if decision == "approve" else None))
    return dossier


def csrf(client):
    client.get("/")
    with client.session_transaction() as session:
        return session["csrf_token"]


def fresh(dossier):
    from webapp.dossiers.models import Dossier

    return Dossier.get_by_id(dossier.id)


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def test_the_status_page_says_exactly_what_is_missing_and_how_to_send_it(client_page, app,
                                                                          owner):
    dossier = waiting_dossier(app, owner)
    page = client_page("dossiers.status", code=dossier.code)
    assert "Cần Ông/Bà bổ sung giấy tờ" in page.text
    assert "Ảnh giấy khai sinh bị mờ, Ông/Bà chụp lại." in page.text
    assert f"/tra-cuu-ho-so/{dossier.code}/bo-sung" in page.html
    assert 'href="tel:0987654321"' in page.html
    client_page("dossiers.add_papers", code=dossier.code)


def test_without_the_officers_phone_the_page_says_where_the_one_stop_shop_is(client_page, app,
                                                                              owner):
    dossier = decided_dossier(app, owner, officer_phone="")
    page = client_page("dossiers.status", code=dossier.code)
    assert 'href="tel:' not in page.html  # no unconfirmed number (1022) instead
    assert f"Bộ phận một cửa {first_commune().name}" in page.text


def test_adding_papers_sends_the_dossier_back_to_the_officer(client, url, app, owner):
    from webapp.dossiers.models import Attachment, DossierEvent
    from webapp.notifications.models import OutboxMessage

    dossier = waiting_dossier(app, owner)
    response = client.post(url("dossiers.add_papers", code=dossier.code), data={
        "csrf_token": csrf(client), "version": "3", "paper": "bo_sung",
        "message": "Tôi gửi lại ảnh rõ hơn.", "photos": [(io.BytesIO(jpeg()), "a.jpg"),
                                                         (io.BytesIO(jpeg()), "b.jpg")]},
        content_type="multipart/form-data")
    assert response.status_code == 303
    assert fresh(dossier).status == lc.PAPERS_ADDED
    photos = Attachment.of_dossier(dossier.id)
    assert photos.count() == 2 and {p.paper_key for p in photos} == {"bo_sung"}
    event = DossierEvent.select().where(DossierEvent.dossier == dossier.id).order_by(
        DossierEvent.id.desc()).first()
    assert (event.to_status, event.public_message) == (lc.PAPERS_ADDED, "Tôi gửi lại ảnh rõ hơn.")
    assert OutboxMessage.select().order_by(OutboxMessage.id.desc()).first().template == \
        "dossier_papers_added"
    # A second tap finds the papers already sent: nothing is added twice.
    again = client.post(url("dossiers.add_papers", code=dossier.code), data={
        "csrf_token": csrf(client), "version": "3", "photos": [(io.BytesIO(jpeg()), "a.jpg")]},
        content_type="multipart/form-data")
    assert again.status_code == 303
    assert Attachment.of_dossier(dossier.id).count() == 2


def test_sending_nothing_says_what_to_do(client, url, app, owner):
    dossier = waiting_dossier(app, owner)
    response = client.post(url("dossiers.add_papers", code=dossier.code),
                           data={"csrf_token": csrf(client), "version": "3", "message": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Lỗi:" in html
    assert "Vui lòng chụp ảnh giấy tờ, hoặc viết nội dung xã yêu cầu." in html
    assert fresh(dossier).status == lc.MORE_PAPERS_REQUESTED


def test_someone_who_has_not_looked_the_dossier_up_is_asked_for_code_and_phone(app, url, in_app):
    from tests.backoffice.conftest import make_citizen

    dossier = waiting_dossier(app, make_citizen())
    response = app.test_client().get(url("dossiers.add_papers", code=dossier.code))
    assert response.status_code == 303 and "/tra-cuu-ho-so?ma=" in response.headers["Location"]


def test_the_result_is_shown_and_the_citizen_rates_it_once(client, client_page, url, app, owner):
    from webapp.dossiers.models import DossierRating

    dossier = decided_dossier(app, owner)
    page = client_page("dossiers.status", code=dossier.code)
    assert "Kết quả của Ông/Bà" in page.text and "Giấy xác nhận đã có." in page.text
    assert "Ông/Bà thấy sự phục vụ thế nào?" in page.text
    assert page.html.count('name="score"') == 5
    for score in ("5", "1"):
        response = client.post(url("dossiers.rate", code=dossier.code), data={
            "csrf_token": csrf(client), "score": score, "comment": "Cán bộ nhiệt tình."})
        assert response.status_code == 303
    rating = DossierRating.get(DossierRating.dossier == dossier.id)
    assert (rating.score, rating.comment) == (5, "Cán bộ nhiệt tình.")
    page = client_page("dossiers.status", code=dossier.code)
    assert "Ông/Bà đã đánh giá: Rất hài lòng." in page.text and 'name="score"' not in page.html


def test_a_rating_without_a_face_is_refused_beside_the_faces(client, url, app, owner):
    dossier = decided_dossier(app, owner, "refuse")
    response = client.post(url("dossiers.rate", code=dossier.code),
                           data={"csrf_token": csrf(client), "comment": "Không rõ lý do"})
    html = response.get_data(as_text=True)
    assert "<title>Lỗi:" in html and "Vui lòng chọn một trong năm khuôn mặt." in html
    assert "Không rõ lý do" in html


def test_ratings_feed_the_figures(client, client_page, url, app, owner):
    dossier = decided_dossier(app, owner)
    client.post(url("dossiers.rate", code=dossier.code),
                data={"csrf_token": csrf(client), "score": "4"})
    staff = app.test_client()
    sign_in_staff(staff, role="officer", communes=[first_commune()])
    page = staff.get(url("backoffice.figures_page")).get_data(as_text=True)
    assert "Mức hài lòng (trung bình trên 5)" in page
    from webapp.dossiers.models import DossierRating

    assert DossierRating.get(DossierRating.dossier == dossier.id).score == 4
