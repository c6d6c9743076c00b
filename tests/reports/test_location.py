"""The phone's location with her consent (issue 13): stored only when she tapped "Dùng vị trí
hiện tại" (the script sends the consent with the position), rounded to 4 decimals, forgotten
when she asks, seen by the commune's officers and never on the public page."""

from __future__ import annotations

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from tests.backoffice.conftest import first_commune
from tests.dossiers.helpers import csrf, path_of
from tests.kiosk.test_kiosk import make_kiosk
from tests.reports.helpers import answer, begin, send
from tests.reports.test_public_and_follow_up import _staff
from webapp.accounts.models import OFFICER
from webapp.reports.models import Report, ReportDraft
from webapp.reports.steps import perform
from webapp.tracking.lifecycle import Move

EXACT = {"latitude": "11.312345678", "longitude": "106.098765432"}
ROUNDED = (11.3123, 106.0988)


def _draft(token) -> ReportDraft:
    return ReportDraft.get(ReportDraft.token == token)


def _to_place(client) -> str:
    token = begin(client)
    answer(client, token, "loai", category="roads")
    answer(client, token, "xa", commune=first_commune().code)
    return token


def _finish(client, token) -> Report:
    answer(client, token, "mo-ta", description="Ổ gà lớn giữa đường")
    answer(client, token, "cong-khai", public="yes")
    answer(client, token, "an-danh", anonymous="no")
    response = send(client, token)
    return Report.get(Report.code == path_of(response.location).rsplit("/", 1)[1])


def test_with_consent_the_position_is_kept_rounded_to_four_decimals(app, client, in_app):
    sign_in_citizen(client)
    token = _to_place(client)
    answer(client, token, "dia-diem", landmark="Đầu cầu Gió", location_consent="yes", **EXACT)
    assert _draft(token).answers["location"] == dict(zip(("latitude", "longitude"), ROUNDED,
                                                         strict=True))
    check = client.get(f"/phan-anh/nhap/{token}/kiem-tra").get_data(as_text=True)
    assert "Chỉ gửi cho cán bộ xã, làm tròn khoảng 10 mét" in check
    assert "11.3123" not in check  # she is told it is shared, not shown the numbers
    report = _finish(client, token)
    assert (report.latitude, report.longitude) == ROUNDED


def test_without_consent_or_with_a_bad_position_nothing_is_kept(app, client, in_app):
    sign_in_citizen(client)
    token = _to_place(client)
    answer(client, token, "dia-diem", landmark="Chợ", **EXACT)  # no consent sent
    assert "location" not in _draft(token).answers
    for bad in ({"latitude": "nan", "longitude": "106.1"}, {"latitude": "95", "longitude": "1"},
                {"latitude": "11.3", "longitude": "abc"}, {"latitude": "", "longitude": ""}):
        answer(client, token, "dia-diem", landmark="Chợ", location_consent="yes", **bad)
        assert "location" not in _draft(token).answers, bad
    check = client.get(f"/phan-anh/nhap/{token}/kiem-tra").get_data(as_text=True)
    assert "Không gửi" in check
    report = _finish(client, token)
    assert (report.latitude, report.longitude) == (None, None)


def test_she_can_take_the_position_back_and_coming_back_keeps_it(app, client, in_app):
    sign_in_citizen(client)
    token = _to_place(client)
    answer(client, token, "dia-diem", landmark="Chợ", location_consent="yes", **EXACT)
    answer(client, token, "dia-diem", landmark="Chợ mới")  # back on the page, no new tap
    assert _draft(token).answers["location"]["latitude"] == ROUNDED[0]
    page = client.get(f"/phan-anh/nhap/{token}/dia-diem").get_data(as_text=True)
    assert "Đã lưu vị trí điện thoại cho phản ánh này" in page
    answer(client, token, "dia-diem", landmark="Chợ mới", forget_location="yes")
    assert _draft(token).answers["location"] is None
    assert (_finish(client, token).latitude) is None


def test_a_too_long_place_keeps_the_position_she_shared(app, client, in_app):
    sign_in_citizen(client)
    token = _to_place(client)
    response = client.post(f"/phan-anh/nhap/{token}/dia-diem", data={
        "csrf_token": csrf(client), "landmark": "x" * 301, "location_consent": "yes",
        **EXACT})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Lỗi: " in html
    assert 'name="latitude" value="11.312345678"' in html
    assert 'name="location_consent" value="yes"' in html


def test_only_the_place_page_may_ask_for_the_position(app, client, in_app):
    sign_in_citizen(client)
    token = _to_place(client)
    place = client.get(f"/phan-anh/nhap/{token}/dia-diem")
    assert "geolocation=(self)" in place.headers["Permissions-Policy"]
    assert "Dùng vị trí hiện tại" in place.get_data(as_text=True)
    for other in (f"/phan-anh/nhap/{token}/mo-ta", f"/phan-anh/nhap/{token}/xa", "/phan-anh"):
        assert "geolocation=()" in client.get(other).headers["Permissions-Policy"], other


def test_officers_see_the_rounded_position_the_public_never_does(app, client, in_app):
    sign_in_citizen(client)
    token = _to_place(client)
    answer(client, token, "dia-diem", landmark="Đầu cầu Gió", location_consent="yes", **EXACT)
    report = _finish(client, token)
    officer = app.test_client()
    sign_in_staff(officer, role=OFFICER, communes=[first_commune()])
    detail = officer.get(f"/can-bo/phan-anh/{report.code}").get_data(as_text=True)
    assert "11.3123, 106.0988" in detail and "openstreetmap.org/?mlat=11.3123" in detail
    staff = _staff()
    perform(report, Move("receive", report.version, staff=staff))
    perform(report, Move("fixed", report.version, staff=staff, public_message="Đã vá"))
    public = app.test_client().get("/phan-anh/da-tra-loi").get_data(as_text=True)
    assert "Đầu cầu Gió" in public  # the place in words is there
    for leak in ("11.3123", "106.0988", "11,3123", "106,0988", "11.312", "openstreetmap"):
        assert leak not in public, leak


def test_a_kiosk_never_offers_nor_keeps_a_location(app, in_app):
    kiosk = app.test_client()
    assert make_kiosk(kiosk, first_commune()).status_code == 303  # its position is the office's
    sign_in_citizen(kiosk)
    token = _to_place(kiosk)
    page = kiosk.get(f"/phan-anh/nhap/{token}/dia-diem")
    assert "Dùng vị trí hiện tại" not in page.get_data(as_text=True)
    assert "geolocation=()" in page.headers["Permissions-Policy"]
    answer(kiosk, token, "dia-diem", landmark="Chợ", location_consent="yes", **EXACT)
    assert "location" not in _draft(token).answers
