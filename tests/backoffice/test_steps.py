"""An officer's steps through the web pages: forms, plain errors, and two officers at once."""

from __future__ import annotations

import io

from PIL import Image

from tests.accounts.helpers import sign_in_staff
from tests.backoffice.conftest import make_dossier
from webapp.dossiers import lifecycle as lc


def csrf(client):
    client.get("/")
    with client.session_transaction() as session:
        return session["csrf_token"]


def post(client, url, **form):
    return client.post(url, data={"csrf_token": csrf(client), **form})


def fresh(dossier):
    from webapp.dossiers.models import Dossier

    return Dossier.get_by_id(dossier.id)


def last_message():
    from webapp.notifications.models import OutboxMessage

    return OutboxMessage.select().order_by(OutboxMessage.id.desc()).first()


def test_receiving_from_the_detail_page(client, client_page, url, officer, commune):
    dossier = make_dossier(commune=commune)
    response = post(client, url("backoffice.receive", code=dossier.code), version="1")
    assert response.status_code == 303
    assert fresh(dossier).status == lc.RECEIVED
    page = client_page("backoffice.dossier_detail", code=dossier.code)
    assert "Đã tiếp nhận hồ sơ. Công dân đã được báo hạn trả kết quả." in page.text


def test_a_second_officer_on_an_old_page_is_told_and_nothing_changes(client, app, url, officer,
                                                                     commune):
    dossier = make_dossier(commune=commune)
    other = app.test_client()
    sign_in_staff(other, role="officer", communes=[commune])
    assert post(client, url("backoffice.receive", code=dossier.code), version="1").status_code \
        == 303
    before = last_message().id
    response = post(other, url("backoffice.request_papers", code=dossier.code), version="1",
                    missing="Ảnh giấy khai sinh bị mờ, Ông/Bà chụp lại giúp.", papers="bo_sung")
    assert response.status_code == 303
    assert fresh(dossier).status == lc.RECEIVED
    assert last_message().id == before
    page = other.get(url("backoffice.dossier_detail", code=dossier.code)).get_data(as_text=True)
    assert "Hồ sơ vừa được cán bộ khác cập nhật" in page


def test_a_double_tap_by_the_same_officer_is_not_reported_as_someone_elses(client, url, officer,
                                                                           commune):
    dossier = make_dossier(commune=commune)
    post(client, url("backoffice.receive", code=dossier.code), version="1")
    post(client, url("backoffice.receive", code=dossier.code), version="1")
    page = client.get(url("backoffice.dossier_detail", code=dossier.code)).get_data(as_text=True)
    assert "cán bộ khác" not in page
    assert fresh(dossier).version == 2


def test_asking_for_papers_needs_plain_words_and_keeps_what_was_typed(client, url, officer,
                                                                     commune):
    dossier = make_dossier("received", commune=commune)
    response = post(client, url("backoffice.request_papers", code=dossier.code), version="1",
                    missing="thiếu", note="Gọi điện trước")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Lỗi:" in html
    assert "Ghi rõ giấy tờ nào còn thiếu" in html
    assert "Gọi điện trước" in html and ">thiếu</textarea>" in html
    assert fresh(dossier).status == lc.RECEIVED


def test_asking_for_papers_tells_the_citizen_exactly_what_is_missing(client, url, officer,
                                                                    commune):
    dossier = make_dossier("received", commune=commune)
    missing = "Ảnh giấy khai sinh bị mờ, Ông/Bà chụp lại ở chỗ sáng."
    post(client, url("backoffice.request_papers", code=dossier.code), version="1",
         missing=missing, papers="bo_sung")
    assert fresh(dossier).status == lc.MORE_PAPERS_REQUESTED
    message = last_message()
    assert message.template == "dossier_papers_requested"
    assert message.data["missing"] == missing.removesuffix(".")  # the text adds its own stop
    assert "ở chỗ sáng”. " in message.text and ".." not in message.text
    assert message.data["code"] == dossier.code


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def test_approving_needs_a_result(client, url, officer, commune):
    dossier = make_dossier("received", commune=commune)
    response = post(client, url("backoffice.approve", code=dossier.code), version="1",
                    delivery="pickup")
    assert response.status_code == 200
    assert "Đính kèm tệp kết quả, hoặc ghi kết quả vào đây." in response.get_data(as_text=True)
    assert fresh(dossier).status == lc.RECEIVED


def test_approving_with_a_file_and_posting_the_result(client, url, officer, commune):
    from webapp.dossiers.models import DossierResult

    dossier = make_dossier("papers_added", commune=commune)
    response = client.post(url("backoffice.approve", code=dossier.code), data={
        "csrf_token": csrf(client), "version": "1", "delivery": "post", "result_text": "",
        "result_file": (io.BytesIO(jpeg_bytes()), "ket-qua.jpg")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    result = DossierResult.get(DossierResult.dossier == dossier.id)
    assert result.delivery == "post" and result.attachment_id
    assert last_message().template == "dossier_result_post"
    assert client.get(url("backoffice.attachment_file", code=dossier.code,
                          attachment_id=result.attachment_id)).status_code == 200


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_beside_the_field(client, url, officer,
                                                                       commune):
    dossier = make_dossier("received", commune=commune)
    response = client.post(url("backoffice.approve", code=dossier.code), data={
        "csrf_token": csrf(client), "version": "1", "delivery": "pickup",
        "result_text": "Giấy xác nhận đã có",
        "result_file": (io.BytesIO(b"not an image at all"), "x.exe")},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tệp này không phải là ảnh" in html  # the one table of rejection messages
    assert "Giấy xác nhận đã có" in html
    assert fresh(dossier).status == lc.RECEIVED


def test_refusing_and_handing_over(client, url, officer, commune):
    refused = make_dossier("received", commune=commune)
    post(client, url("backoffice.refuse", code=refused.code), version="1",
         reason="Hồ sơ không thuộc thẩm quyền của xã; Ông/Bà nộp tại Công an tỉnh.")
    assert fresh(refused).status == lc.REFUSED
    assert last_message().template == "dossier_refused"
    approved = make_dossier("received", commune=commune)
    post(client, url("backoffice.approve", code=approved.code), version="1",
         delivery="pickup", result_text="Giấy chứng nhận kết hôn đã có.")
    post(client, url("backoffice.hand_over", code=approved.code), version="2",
         handed_over="collected")
    assert fresh(approved).status == lc.CLOSED
    assert last_message().template == "dossier_returned"


def test_internal_notes_stay_with_the_staff(client, client_page, url, officer, commune):
    dossier = make_dossier(commune=commune)
    post(client, url("backoffice.add_note", code=dossier.code), note="Công dân sẽ gọi lại.")
    page = client_page("backoffice.dossier_detail", code=dossier.code)
    assert "Công dân sẽ gọi lại." in page.text
    assert last_message() is None or "Công dân sẽ gọi lại." not in str(last_message().data)


def test_every_step_page_is_well_formed(client_page, officer, commune):
    received = make_dossier("received", commune=commune)
    approved = make_dossier("approved", commune=commune)
    for endpoint in ("backoffice.request_papers", "backoffice.approve", "backoffice.refuse"):
        client_page(endpoint, code=received.code)
    client_page("backoffice.hand_over", code=approved.code)


def test_a_photo_of_a_paper_is_shown_large_and_turned(client, client_page, url, officer,
                                                      commune):
    from tests.backoffice.conftest import make_photo

    dossier = make_dossier("received", commune=commune)
    paper = make_photo(dossier)
    page = client_page("backoffice.paper", code=dossier.code, attachment_id=paper.id, xoay=90)
    assert "Xoay trái" in page.text and "xoay=180" in page.html
    turned = client.get(url("backoffice.attachment_file", code=dossier.code,
                            attachment_id=paper.id, xoay=90))
    assert turned.headers["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(turned.data)).size == (300, 400)
    detail = client_page("backoffice.dossier_detail", code=dossier.code)
    assert f"/giay-to/{paper.id}" in detail.html
