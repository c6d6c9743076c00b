"""After the answer: the public page without personal data, the reporter's rating, "not fixed"
reopening once, the question four weeks after "fixed" (faked clock), and the limits per phone
and per address shared by every worker."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import current_app

from tests.accounts.helpers import create_staff, sign_in_citizen
from tests.accounts.outbox import messages_to
from tests.backoffice.conftest import first_commune, make_citizen
from tests.conftest import make_app
from tests.dossiers.helpers import post, sign_in_again
from tests.reports.factories import make_report, make_report_photo
from tests.reports.helpers import begin, fill, send
from webapp.accounts.models import OFFICER, Citizen
from webapp.core.clock import utcnow
from webapp.reports import lifecycle as lc
from webapp.reports.models import Report, ReportDraft, ReportRating
from webapp.reports.personal_data import ask_still_fixed
from webapp.reports.steps import perform
from webapp.tracking.lifecycle import Move

PEOPLE = (
    {"full_name": "Huỳnh Thị Kim Phượng", "phone": "0913572468", "citizen_id": "072158009876"},
    {"full_name": "Đặng Văn Quý", "phone": "0386421357", "citizen_id": "072060005432"},
)


def _answered(commune, citizen, action="fixed", **fields):
    report = make_report(commune, citizen, **fields)
    officer = _staff()
    perform(report, Move("receive", report.version, staff=officer))
    perform(report, Move(action, report.version, staff=officer, public_message="Đã xử lý xong",
                         after=lambda item, _e: Report.update(answer="Đã xử lý xong").where(
                             Report.id == item.id).execute()))
    return Report.get_by_id(report.id)


_officers = {}


def _staff():
    key = current_app.config["DATABASE_URL"]
    if key not in _officers:
        _officers[key] = create_staff(current_app, role=OFFICER, communes=[first_commune()])
    return _officers[key]


@pytest.fixture
def people(in_app):
    found = []
    for fields in PEOPLE:
        citizen = Citizen.get_or_none(Citizen.phone == fields["phone"]) or make_citizen(
            **fields, address="Ấp Bình Phong, số 7")
        found.append(citizen)
    return found


def test_the_public_page_never_shows_a_name_phone_or_id_number(app, client, in_app, people):
    here = first_commune()
    kim, quy = people
    shown = _answered(here, kim, anonymous=False,
                      description=f"Ổ gà trước số 12 đường 30/4, gọi {kim.phone} hoặc "
                                  f"{quy.phone[:4]} {quy.phone[4:7]} {quy.phone[7:]}",
                      landmark="Nhà số 45 ấp Bình Phong")
    make_report_photo(shown)
    _answered(here, quy, anonymous=True, description=f"CCCD {quy.citizen_id} bị mất")
    private = _answered(here, quy, public=False, description="Việc riêng không đăng")
    pages = [client.get("/phan-anh/da-tra-loi"),
             client.get(f"/phan-anh/da-tra-loi?xa={here.code}&loai=lighting")]
    for response in pages:
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Ổ gà trước" in html and private.description not in html
        for person in people:
            for value in (person.full_name, person.phone, person.citizen_id,
                          person.phone[:4] + " " + person.phone[4:7]):
                assert value not in html
        assert "số 12" not in html and "30/4" not in html and "số 45" not in html


def test_she_rates_the_answer_once(app, client, in_app):
    citizen = sign_in_citizen(client)
    report = _answered(first_commune(), citizen)
    page = client.get(f"/phan-anh/theo-doi/{report.code}").get_data(as_text=True)
    assert 'name="score"' in page
    post(client, f"/phan-anh/theo-doi/{report.code}/danh-gia", {"score": "4"})
    post(client, f"/phan-anh/theo-doi/{report.code}/danh-gia", {"score": "1"})
    assert [r.score for r in ReportRating.select().where(ReportRating.report == report.id)] == [4]


def test_not_fixed_reopens_once(app, client, in_app):
    citizen = sign_in_citizen(client)
    report = _answered(first_commune(), citizen)
    empty = post(client, f"/phan-anh/theo-doi/{report.code}/chua-xong",
                 {"version": str(report.version), "reason": ""})
    assert "<title>Lỗi: " in empty.get_data(as_text=True)
    post(client, f"/phan-anh/theo-doi/{report.code}/chua-xong",
         {"version": str(report.version), "reason": "Đèn lại tắt"})
    reopened = Report.get_by_id(report.id)
    assert (reopened.status, reopened.reopened) == (lc.REOPENED, True)
    assert len(messages_to(citizen.phone, "report_reopened")) == 1
    perform(reopened, Move("fixed", reopened.version, staff=_staff(), public_message="Xong"))
    again = Report.get_by_id(report.id)
    assert "chua-xong" not in client.get(f"/phan-anh/theo-doi/{report.code}").get_data(
        as_text=True)
    post(client, f"/phan-anh/theo-doi/{report.code}/chua-xong",
         {"version": str(again.version), "reason": "Vẫn tắt"})
    assert Report.get_by_id(report.id).status == lc.FIXED
    stranger = app.test_client()
    sign_in_citizen(stranger)
    assert post(stranger, f"/phan-anh/theo-doi/{report.code}/chua-xong",
                {"version": "9", "reason": "x"}).status_code == 404


def test_four_weeks_after_fixed_she_is_asked_once_whether_it_is_still_fixed(app, in_app):
    citizen = make_citizen()
    report = _answered(first_commune(), citizen)
    ask_still_fixed(now=utcnow() + dt.timedelta(days=27))
    assert messages_to(citizen.phone, "report_still_fixed") == []
    ask_still_fixed(now=utcnow() + dt.timedelta(days=29))
    ask_still_fixed(now=utcnow() + dt.timedelta(days=30))
    sent = messages_to(citizen.phone, "report_still_fixed")
    assert len(sent) == 1 and report.code in sent[0]["text"]


def test_the_limit_per_phone_holds_across_workers_and_keeps_her_answers(app, database_url,
                                                                        in_app):
    app.config["REPORTS_PER_PHONE_PER_HOUR"] = 2
    second_worker = make_app(database_url, REPORTS_PER_PHONE_PER_HOUR=2)
    here = first_commune()
    one = app.test_client()
    one.environ_base["REMOTE_ADDR"] = "10.1.0.1"
    citizen = sign_in_citizen(one)
    other = second_worker.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.0.2"
    sign_in_again(other, citizen)
    for client in (one, other):
        token = begin(client)
        fill(client, token, commune=here.code)
        assert send(client, token).status_code == 303
    token = begin(one)
    fill(one, token, commune=here.code, description="Lần thứ ba")
    refused = send(one, token)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "trong một giờ qua" in html.lower()
    assert ReportDraft.get(ReportDraft.token == token).answers["description"] == "Lần thứ ba"
    assert Report.select().where(Report.citizen == citizen.id).count() == 2


def test_the_limit_per_address(app, in_app):
    app.config["REPORTS_PER_ADDRESS_PER_HOUR"] = 1
    here = first_commune()
    codes = []
    for _ in range(2):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "10.2.0.9"
        sign_in_citizen(client)
        token = begin(client)
        fill(client, token, commune=here.code)
        codes.append(send(client, token).status_code)
    assert codes == [303, 429]


TREES = ("mai", "lan", "cúc", "trúc", "đào", "sen", "huệ", "hồng", "lài", "sứ", "quỳnh",
         "thông", "tiêu", "ngọc lan", "bàng", "phượng", "liễu", "tùng", "bách", "dừa", "đa")


def test_the_public_list_pages_on_without_skipping_a_report(app, client, in_app):
    """20 a page, newest first: each report is on the page its place says, none skipped (a
    page once began one report too far on)."""
    from webapp.places.models import Commune
    from webapp.reports.views import _communes

    quiet = Commune.get(Commune.code == list(_communes())[-1])
    citizen = make_citizen()
    mine = {}
    for n in range(21):
        words = f"Cột đèn cạnh cây {TREES[n]} tắt cả tuần."  # shown whole (no numbers)
        report = _answered(quiet, citizen, public=True, description=words)
        # Old dates: after the commune's other reports, and off other tests' first pages.
        Report.update(updated_at=dt.datetime(2001, 1, 1) - dt.timedelta(minutes=n)).where(
            Report.id == report.id).execute()
        mine[report.id] = words
    order = [r.id for r in Report.select(Report.id).where(
        (Report.commune == quiet) & Report.public & Report.status.in_(lc.ANSWERED_STATUSES))
        .order_by(Report.updated_at.desc(), Report.id.desc())]
    listed = f"/phan-anh/da-tra-loi?xa={quiet.code}"
    pages = {n: client.get(f"{listed}&trang={n}").get_data(as_text=True)
             for n in range(1, len(order) // 20 + 2)}
    for report_id, words in mine.items():
        on = order.index(report_id) // 20 + 1
        assert [n for n, html in pages.items() if words in html] == [on], words
