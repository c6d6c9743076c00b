"""The citizen's report: one question per page, photos through the uploads room, sending once,
the receipt, the status page with its timeline, the look-up by code and phone, a message at the
first step, and "Tôi cũng gặp" instead of a duplicate."""

from __future__ import annotations

import io

from PIL import ExifTags, Image

from tests.accounts.helpers import sign_in_citizen, unique_phone
from tests.accounts.outbox import messages_to
from tests.dossiers.helpers import jpeg, path_of, post
from tests.reports.helpers import answer, begin, fill, report_sent, send
from tests.uploads.builders import encode, phone_exif, top_red_bottom_blue
from webapp.reports import lifecycle as lc
from webapp.reports.models import Report, ReportEvent, ReportFollower, ReportPhoto
from webapp.uploads import storage


def test_the_start_page_shows_the_emergency_numbers_before_any_form(client):
    html = client.get("/phan-anh").get_data(as_text=True)
    main = html[html.index("<main"):]
    assert main.index('href="tel:113"') < main.index("<form")
    assert 'href="tel:114"' in html and 'href="tel:115"' in html


def test_starting_asks_to_confirm_the_phone_first(client):
    response = post(client, "/phan-anh")
    assert response.status_code in (302, 303)
    assert path_of(response.location).startswith("/dang-nhap?next=")


def test_a_report_goes_through_one_question_per_page_and_is_sent_once(client, in_app, commune):
    citizen = sign_in_citizen(client, full_name="Lê Thị Sáu")
    token = begin(client)
    # A category no other test leaves open reports of, so no similar report is offered.
    assert answer(client, token, "loai", category="services") == f"/phan-anh/nhap/{token}/xa"
    assert answer(client, token, "xa", commune=commune.code).endswith("/dia-diem")
    assert answer(client, token, "dia-diem", landmark="Trước chợ").endswith("/mo-ta")
    assert answer(client, token, "mo-ta", description="Đèn tắt").endswith("/anh")
    response = post(client, f"/phan-anh/nhap/{token}/anh")
    assert path_of(response.location).endswith("/cong-khai")
    assert answer(client, token, "cong-khai", public="yes").endswith("/an-danh")
    assert answer(client, token, "an-danh", anonymous="yes").endswith("/kiem-tra")
    check = client.get(f"/phan-anh/nhap/{token}/kiem-tra").get_data(as_text=True)
    assert "Đèn tắt" in check and commune.name in check
    first, second = send(client, token), send(client, token)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location  # a double tap lands on the same receipt
    reports = list(Report.select().where(Report.citizen == citizen.id))
    assert len(reports) == 1
    report = reports[0]
    assert (report.category, report.commune_id, report.status) == ("services", commune.id,
                                                                  lc.SUBMITTED)
    assert report.public and report.anonymous and report.contact_phone == citizen.phone
    assert report.due_date is not None
    sent = messages_to(citizen.phone, "report_submitted")
    assert len(sent) == 1 and report.code in sent[0]["text"]
    receipt = client.get(path_of(first.location))
    assert receipt.status_code == 200 and report.code in receipt.get_data(as_text=True)
    status = client.get(f"/phan-anh/theo-doi/{report.code}").get_data(as_text=True)
    assert report.code in status and 'class="timeline"' in status


def test_an_empty_answer_is_refused_beside_the_field_and_nothing_typed_is_lost(client, in_app):
    sign_in_citizen(client)
    token = begin(client)
    response = post(client, f"/phan-anh/nhap/{token}/mo-ta", {"description": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Lỗi: " in html
    long_text = "x" * 1001
    response = post(client, f"/phan-anh/nhap/{token}/mo-ta", {"description": long_text})
    assert long_text in response.get_data(as_text=True)


def test_a_report_cannot_be_sent_with_questions_missing(client, in_app):
    sign_in_citizen(client)
    token = begin(client)
    answer(client, token, "loai", category="roads")
    response = send(client, token)
    assert path_of(response.location) == f"/phan-anh/nhap/{token}/kiem-tra"
    assert Report.select().where(Report.category == "roads",
                                 Report.description == "").count() == 0


def test_another_citizen_cannot_open_her_draft(app, client, in_app):
    sign_in_citizen(client)
    token = begin(client)
    other = app.test_client()
    sign_in_citizen(other)
    assert other.get(f"/phan-anh/nhap/{token}/loai").status_code == 404
    assert post(other, f"/phan-anh/nhap/{token}/gui").status_code == 404


def test_a_photo_is_stored_cleaned_without_its_location(client, in_app, commune):
    sign_in_citizen(client)
    token = begin(client)
    photo = encode(top_red_bottom_blue((1200, 900)), "JPEG", exif=phone_exif().tobytes())
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    response = post(client, f"/phan-anh/nhap/{token}/anh/them",
                    {"photos": (io.BytesIO(photo), "anh.jpg")},
                    content_type="multipart/form-data")
    assert response.status_code == 303
    stored = ReportPhoto.select().order_by(ReportPhoto.id.desc()).first()
    image = Image.open(io.BytesIO(storage.read(stored.storage_name)))
    assert image.getexif() == {} and "exif" not in image.info
    assert client.get(f"/phan-anh/anh/{stored.id}/nho").status_code == 200
    fill(client, token, commune=commune.code)
    send(client, token)
    stored = ReportPhoto.get_by_id(stored.id)
    assert stored.report_id is not None and stored.draft_id is None


def test_hostile_and_non_photo_files_are_refused_like_the_dossiers(client, in_app):
    sign_in_citizen(client)
    token = begin(client)
    hostile = (b"<html><script>alert(1)</script></html>", b"%PDF-1.4\n%\xe2\xe3\n",
               b"GIF89a" + b"\x00" * 40, b"\xff\xd8\xff\xe0 truncated jpeg")
    for data in hostile:
        response = post(client, f"/phan-anh/nhap/{token}/anh/them",
                        {"photos": (io.BytesIO(data), "anh.jpg")},
                        content_type="multipart/form-data")
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "<title>Lỗi: " in html, data[:10]
    draft_photos = ReportPhoto.select().join_from(ReportPhoto, ReportPhoto.draft.rel_model).where(
        ReportPhoto.draft.rel_model.token == token).count()
    assert draft_photos == 0


def test_at_most_the_allowed_number_of_photos(client, in_app, app):
    sign_in_citizen(client)
    token = begin(client)
    limit = app.config["REPORT_MAX_PHOTOS"]
    files = [(io.BytesIO(jpeg(seed=n)), f"{n}.jpg") for n in range(limit + 1)]
    response = post(client, f"/phan-anh/nhap/{token}/anh/them", {"photos": files},
                    content_type="multipart/form-data")
    assert response.status_code == 200
    assert "<title>Lỗi: " in response.get_data(as_text=True)
    assert ReportPhoto.select().join_from(ReportPhoto, ReportPhoto.draft.rel_model).where(
        ReportPhoto.draft.rel_model.token == token).count() == limit


def test_the_status_page_is_looked_up_with_the_code_and_the_phone(app, client, in_app, commune):
    citizen = sign_in_citizen(client)
    report = report_sent(client, commune)
    stranger = app.test_client()
    response = stranger.get(f"/phan-anh/theo-doi/{report.code}")
    assert path_of(response.location).startswith("/tra-cuu-phan-anh")
    wrong = post(stranger, "/tra-cuu-phan-anh", {"code": report.code, "phone": unique_phone()})
    assert wrong.status_code == 200 and "<title>Lỗi: " in wrong.get_data(as_text=True)
    right = post(stranger, "/tra-cuu-phan-anh", {"code": report.code.lower(),
                                                 "phone": citizen.phone})
    assert path_of(right.location) == f"/phan-anh/theo-doi/{report.code}"
    html = stranger.get(f"/phan-anh/theo-doi/{report.code}").get_data(as_text=True)
    assert report.code in html and report.description not in html  # her words: hers only


def test_similar_open_reports_are_offered_and_she_adds_herself(app, client, in_app, commune):
    sign_in_citizen(client)
    first = report_sent(client, commune, category="environment",
                        description="Rác không được thu gom")
    other = app.test_client()
    neighbour = sign_in_citizen(other, full_name="Phạm Văn Bảy")
    token = begin(other)
    answer(other, token, "loai", category="environment")
    answer(other, token, "xa", commune=commune.code)
    assert answer(other, token, "dia-diem", landmark="").endswith("/tuong-tu")
    html = other.get(f"/phan-anh/nhap/{token}/tuong-tu").get_data(as_text=True)
    assert "Rác không được thu gom" in html
    response = post(other, f"/phan-anh/nhap/{token}/toi-cung-gap/{first.id}")
    assert path_of(response.location) == f"/phan-anh/theo-doi/{first.code}"
    again = post(other, f"/phan-anh/nhap/{token}/toi-cung-gap/{first.id}")
    assert again.status_code == 404  # the draft is gone: no second follow, no duplicate
    followers = list(ReportFollower.select().where(ReportFollower.report == first.id))
    assert [f.citizen_id for f in followers] == [neighbour.id]
    assert len(messages_to(neighbour.phone, "report_joined")) == 1
    assert other.get(f"/phan-anh/theo-doi/{first.code}").status_code == 200
    assert Report.select().where(Report.citizen == neighbour.id).count() == 0


def test_the_first_event_is_hers(client, in_app, commune):
    citizen = sign_in_citizen(client)
    report = report_sent(client, commune)
    events = list(ReportEvent.select().where(ReportEvent.report == report.id))
    assert [(e.kind, e.to_status, e.actor_citizen_id) for e in events] == [
        ("submitted", lc.SUBMITTED, citizen.id)]
    assert client.get("/phan-anh-cua-toi").get_data(as_text=True).count(report.code) >= 1
