"""Officers' triage of reports: commune scoping, receive (normal and urgent due dates in working
days), forward to another commune or a unit with a reason, merge duplicates (the reporters are
told and follow the original), answer publicly, overdue marks, hide from the public with a
reason, and every step in the history with its actor and in the audit log."""

from __future__ import annotations

import datetime as dt

from tests.accounts.helpers import sign_in_staff
from tests.accounts.outbox import messages_to
from tests.backoffice.conftest import first_commune, make_citizen
from tests.dossiers.helpers import post
from tests.reports.factories import make_report, make_report_photo
from webapp.accounts.models import OFFICER
from webapp.audit.models import AuditEvent
from webapp.core.clock import calendar, local_date
from webapp.reports import lifecycle as lc
from webapp.reports.models import Report, ReportEvent, ReportFollower


def _fresh(report) -> Report:
    return Report.get_by_id(report.id)


def _officer(client, commune):
    return sign_in_staff(client, role=OFFICER, communes=[commune])


def test_officers_see_only_their_communes_reports(app, client, in_app):
    here, elsewhere = first_commune(), first_commune(offset=1)
    mine = make_report(here, make_citizen())
    theirs = make_report(elsewhere, make_citizen())
    _officer(client, here)
    queue = client.get("/can-bo/phan-anh/").get_data(as_text=True)
    assert mine.code in queue and theirs.code not in queue
    assert client.get(f"/can-bo/phan-anh/{theirs.code}").status_code == 403
    assert post(client, f"/can-bo/phan-anh/{theirs.code}/tiep-nhan",
                {"version": "1"}).status_code == 403
    assert _fresh(theirs).status == lc.SUBMITTED
    page = client.get(f"/can-bo/phan-anh/{mine.code}")
    assert page.status_code == 200
    assert AuditEvent.for_object("report", mine.id)[-1].action == "report.viewed"


def test_receive_normal_and_urgent_due_dates_in_working_days(app, client, in_app):
    here = first_commune()
    officer = _officer(client, here)
    normal, urgent = make_report(here, make_citizen()), make_report(here, make_citizen())
    post(client, f"/can-bo/phan-anh/{normal.code}/tiep-nhan", {"version": "1"})
    post(client, f"/can-bo/phan-anh/{urgent.code}/tiep-nhan", {"version": "1", "urgent": "yes"})
    sent_on = local_date(normal.submitted_at)
    assert _fresh(normal).due_date == calendar().due_date(sent_on, app.config[
        "REPORT_WORKING_DAYS"])
    assert _fresh(urgent).due_date == calendar().due_date(
        local_date(urgent.submitted_at), app.config["REPORT_URGENT_WORKING_DAYS"])
    assert _fresh(urgent).urgent and _fresh(urgent).status == lc.RECEIVED
    event = ReportEvent.select().where(ReportEvent.report == normal.id,
                                       ReportEvent.to_status == lc.RECEIVED).get()
    assert event.actor_staff_id == officer.id
    assert len(messages_to(normal.contact_phone, "report_received")) == 1
    again = post(client, f"/can-bo/phan-anh/{normal.code}/tiep-nhan", {"version": "1"})
    assert again.status_code == 303  # a stale second tap changes nothing
    assert ReportEvent.select().where(ReportEvent.report == normal.id).count() == 2
    assert [e.action for e in AuditEvent.for_object("report", normal.id)] == ["report.receive"]


def test_overdue_reports_are_marked_in_the_queue(app, client, in_app):
    here = first_commune()
    old = make_report(here, make_citizen(), submitted_at=dt.datetime(2026, 1, 5, 2))
    _officer(client, here)
    html = client.get("/can-bo/phan-anh/?nhom=qua-han").get_data(as_text=True)
    assert old.code in html and "Quá hạn" in html


def test_forward_to_another_commune_with_a_reason(app, client, in_app):
    here, there = first_commune(), first_commune(offset=1)
    report = make_report(here, make_citizen())
    _officer(client, here)
    refused = post(client, f"/can-bo/phan-anh/{report.code}/chuyen",
                   {"version": "1", "target": there.code, "reason": ""})
    assert refused.status_code == 200 and "<title>Lỗi: " in refused.get_data(as_text=True)
    done = post(client, f"/can-bo/phan-anh/{report.code}/chuyen",
                {"version": "1", "target": there.code, "reason": "Đoạn đường thuộc xã bên"})
    assert done.status_code == 303
    moved = _fresh(report)
    assert (moved.commune_id, moved.status, moved.forwarded_to) == (there.id, lc.FORWARDED,
                                                                    there.name)
    sent = messages_to(report.contact_phone, "report_forwarded")
    assert len(sent) == 1 and "Đoạn đường thuộc xã bên" in sent[0]["text"]
    assert client.get(f"/can-bo/phan-anh/{report.code}").status_code == 403  # theirs now
    other = app.test_client()
    _officer(other, there)
    assert report.code in other.get("/can-bo/phan-anh/").get_data(as_text=True)
    post(other, f"/can-bo/phan-anh/{report.code}/tiep-nhan", {"version": str(moved.version)})
    assert _fresh(report).status == lc.RECEIVED


def test_forward_to_a_named_unit(app, client, in_app):
    here = first_commune()
    report = make_report(here, make_citizen(), category="utilities")
    _officer(client, here)
    post(client, f"/can-bo/phan-anh/{report.code}/chuyen",
         {"version": "1", "unit": "Điện lực Tây Ninh", "reason": "Đường dây điện"})
    moved = _fresh(report)
    assert (moved.commune_id, moved.forwarded_to) == (here.id, "Điện lực Tây Ninh")


def test_merge_a_duplicate_into_the_original(app, client, in_app):
    here = first_commune()
    original = make_report(here, make_citizen())
    duplicate = make_report(here, make_citizen())
    neighbour = make_citizen()
    ReportFollower.create(report=duplicate, citizen=neighbour, phone=neighbour.phone)
    _officer(client, here)
    wrong = post(client, f"/can-bo/phan-anh/{duplicate.code}/gop",
                 {"version": "1", "original": duplicate.code})
    assert wrong.status_code == 200 and "<title>Lỗi: " in wrong.get_data(as_text=True)
    post(client, f"/can-bo/phan-anh/{duplicate.code}/gop",
         {"version": "1", "original": original.code})
    merged = _fresh(duplicate)
    assert (merged.status, merged.merged_into_id) == (lc.MERGED, original.id)
    for person in (duplicate.citizen, neighbour):
        assert ReportFollower.select().where(ReportFollower.report == original.id,
                                             ReportFollower.citizen == person.id).exists()
        sent = messages_to(person.phone, "report_merged")
        assert len(sent) == 1 and original.code in sent[0]["text"]
    # The answer to the original reaches the merged report's people too.
    post(client, f"/can-bo/phan-anh/{original.code}/tra-loi/fixed",
         {"version": "1", "answer": "Đã thay bóng đèn"})
    assert len(messages_to(neighbour.phone, "report_fixed")) == 1
    assert len(messages_to(duplicate.citizen.phone, "report_fixed")) == 1


def test_answer_publicly_and_the_history_names_who_acted(app, client, in_app):
    here = first_commune()
    report = make_report(here, make_citizen())
    officer = _officer(client, here)
    empty = post(client, f"/can-bo/phan-anh/{report.code}/tra-loi/not_fixed",
                 {"version": "1", "answer": ""})
    assert "<title>Lỗi: " in empty.get_data(as_text=True)
    post(client, f"/can-bo/phan-anh/{report.code}/tra-loi/not_fixed",
         {"version": "1", "answer": "Chờ kinh phí năm sau", "answer_note": "Đã báo huyện"})
    answered = _fresh(report)
    assert (answered.status, answered.answer) == (lc.NOT_FIXED, "Chờ kinh phí năm sau")
    html = client.get(f"/can-bo/phan-anh/{report.code}").get_data(as_text=True)
    history = html.split('id="history-heading"')[1]
    assert officer.full_name in history and "Đã báo huyện" in history
    assert report.citizen.full_name in history  # the first step is hers
    assert len(messages_to(report.contact_phone, "report_not_fixed")) == 1
    assert post(client, f"/can-bo/phan-anh/{report.code}/tra-loi/bogus",
                {"version": "2"}).status_code == 404


def test_hide_a_photo_and_the_words_from_the_public_with_a_reason(app, client, in_app):
    here = first_commune()
    report = make_report(here, make_citizen(), status=lc.FIXED, answer="Đã sửa")
    photo = make_report_photo(report)
    _officer(client, here)
    public = app.test_client()
    assert public.get(f"/phan-anh/anh/{photo.id}").status_code == 200
    post(client, f"/can-bo/phan-anh/{report.code}/an",
         {"what": f"photo-{photo.id}", "reason": "Có mặt người"})
    post(client, f"/can-bo/phan-anh/{report.code}/an",
         {"what": "description", "reason": "Lời lẽ xúc phạm"})
    assert public.get(f"/phan-anh/anh/{photo.id}").status_code == 404
    html = public.get("/phan-anh/da-tra-loi").get_data(as_text=True)
    assert report.description not in html and "Lời lẽ xúc phạm" in html
    assert client.get(f"/can-bo/phan-anh/{report.code}/anh/{photo.id}").status_code == 200
    office = client.get(f"/can-bo/phan-anh/{report.code}").get_data(as_text=True)
    assert report.description in office  # the original is kept for officers
