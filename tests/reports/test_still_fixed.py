""""Is it still fixed?" (issue 13): four weeks after "fixed" her message links to a signed page
with two answers; "Vẫn ổn" is recorded (and may still become "Hỏng lại rồi"), "Hỏng lại rồi"
reopens the report once, or asks the officer to look when the one reopening was used. Forged,
altered and expired links open nothing; a double tap acts once."""

from __future__ import annotations

import datetime as dt
import re

from tests.accounts.helpers import sign_in_staff
from tests.accounts.outbox import messages_to
from tests.backoffice.conftest import first_commune, make_citizen
from tests.dossiers.helpers import post
from tests.reports.test_public_and_follow_up import _answered, _staff
from webapp.accounts.models import OFFICER
from webapp.audit.models import AuditEvent
from webapp.core.clock import utcnow
from webapp.reports import lifecycle as lc
from webapp.reports import still_fixed
from webapp.reports.models import Report, ReportEvent
from webapp.reports.personal_data import ask_still_fixed
from webapp.reports.steps import perform
from webapp.tracking.lifecycle import Move

FOUR_WEEKS_ON = dt.timedelta(days=29)


def _asked(citizen=None, **fields) -> tuple[Report, str]:
    """A report answered "fixed" four weeks ago and the path of the link she was sent."""
    citizen = citizen or make_citizen()
    report = _answered(first_commune(), citizen, **fields)
    ask_still_fixed(now=utcnow() + FOUR_WEEKS_ON)
    text = messages_to(citizen.phone, "report_still_fixed")[-1]["text"]
    link = re.search(r"https?://\S+/phan-anh/con-tot/[\w.-]*\w", text).group(0)
    return Report.get_by_id(report.id), "/" + link.split("/", 3)[3]


def _fresh(report) -> Report:
    return Report.get_by_id(report.id)


def _answer(client, path, answer):
    return post(client, path, {"answer": answer})


def test_the_link_opens_two_answers_without_signing_in(app, in_app):
    report, path = _asked()
    page = app.test_client().get(path)  # a fresh Zalo webview: nobody signed in
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and report.code in html
    assert 'value="ok"' in html and 'value="broken"' in html
    assert "Vẫn ổn" in html and "Hỏng lại rồi" in html


def test_still_fine_is_recorded_once_and_may_become_broken_again(app, in_app):
    report, path = _asked()
    browser = app.test_client()
    browser.get(path)
    first = _answer(browser, path, "ok")
    assert first.status_code == 303 and first.headers["Location"].endswith(path)
    again = _answer(browser, path, "ok")  # a double tap
    assert again.status_code == 303
    answered = _fresh(report)
    assert (answered.still_fixed_answer, answered.status) == ("ok", lc.FIXED)
    assert answered.still_fixed_answered_at is not None
    assert ReportEvent.select().where((ReportEvent.report == report.id)
                                      & (ReportEvent.kind == "still_fixed_ok")).count() == 1
    html = browser.get(path).get_data(as_text=True)
    assert "Ông/Bà đã trả lời: vẫn ổn" in html and 'value="ok"' not in html
    assert 'value="broken"' in html  # she may still say it broke
    _answer(browser, path, "broken")
    assert (_fresh(report).still_fixed_answer, _fresh(report).status) == ("broken",
                                                                          lc.REOPENED)


def test_broken_again_reopens_it_through_the_reopen_step_once(app, in_app):
    citizen = make_citizen()
    report, path = _asked(citizen)
    browser = app.test_client()
    browser.get(path)
    _answer(browser, path, "broken")
    _answer(browser, path, "broken")  # a double tap
    _answer(browser, path, "ok")  # "broken" is final
    reopened = _fresh(report)
    assert (reopened.status, reopened.reopened, reopened.still_fixed_answer) == (
        lc.REOPENED, True, "broken")
    assert reopened.broken_again_at is None  # reopened: in the queue as an open report
    assert len(messages_to(citizen.phone, "report_reopened")) == 1
    events = [e.kind for e in ReportEvent.select().where(ReportEvent.report == report.id)]
    assert events.count("still_fixed_broken") == 1 and events.count("still_fixed_ok") == 0
    audit = AuditEvent.select().where((AuditEvent.action == "report.still_fixed")
                                      & (AuditEvent.object_id == str(report.id)))
    assert [(a.actor_type, a.actor_id) for a in audit] == [("citizen", citizen.id)]
    # Her status page shows it, in plain words; the officer's history names her answer.
    status = browser.get(f"/phan-anh/theo-doi/{report.code}").get_data(as_text=True)
    assert "Ông/Bà báo đã hỏng lại" in status


def test_broken_again_after_the_one_reopening_asks_the_officer_to_look(app, in_app):
    citizen = make_citizen()
    report = _answered(first_commune(), citizen)
    perform(report, Move("reopen", report.version, citizen=citizen, public_message="Còn tắt",
                         after=lambda item, _e: Report.update(reopened=True).where(
                             Report.id == item.id).execute()))
    again = _fresh(report)
    perform(again, Move("fixed", again.version, staff=_staff(), public_message="Đã thay bóng"))
    ask_still_fixed(now=utcnow() + FOUR_WEEKS_ON)
    token = still_fixed.make_token(report.id)
    browser = app.test_client()
    browser.get(f"/phan-anh/con-tot/{token}")
    _answer(browser, f"/phan-anh/con-tot/{token}", "broken")
    flagged = _fresh(report)
    assert (flagged.status, flagged.still_fixed_answer) == (lc.FIXED, "broken")
    assert flagged.broken_again_at is not None
    officer = app.test_client()
    sign_in_staff(officer, role=OFFICER, communes=[first_commune()])
    queue = officer.get(f"/can-bo/phan-anh/?xa={first_commune().code}").get_data(as_text=True)
    assert "Hỏng lại sau khi đã mở lại" in queue and report.code in queue
    detail = officer.get(f"/can-bo/phan-anh/{report.code}").get_data(as_text=True)
    assert "Bốn tuần sau: hỏng lại" in detail and 'id="hong-lai"' in detail
    looked = post(officer, f"/can-bo/phan-anh/{report.code}/da-xem-hong-lai",
                  {"note": "Đã gọi bà, hẹn thay đèn"})
    assert looked.status_code == 303 and _fresh(report).broken_again_at is None
    post(officer, f"/can-bo/phan-anh/{report.code}/da-xem-hong-lai", {"note": ""})  # again
    assert ReportEvent.select().where((ReportEvent.report == report.id)
                                      & (ReportEvent.kind == still_fixed.LOOKED)).count() == 1
    queue = officer.get(f"/can-bo/phan-anh/?xa={first_commune().code}").get_data(as_text=True)
    assert "Hỏng lại sau khi đã mở lại" not in queue


def test_an_officer_of_another_commune_cannot_remove_the_mark(app, in_app):
    report, path = _asked()
    elsewhere = app.test_client()
    sign_in_staff(elsewhere, role=OFFICER, communes=[first_commune(offset=1)])
    Report.update(broken_again_at=utcnow()).where(Report.id == report.id).execute()
    assert post(elsewhere, f"/can-bo/phan-anh/{report.code}/da-xem-hong-lai",
                {"note": ""}).status_code == 403
    assert _fresh(report).broken_again_at is not None


def test_forged_altered_and_expired_links_open_nothing(app, in_app, monkeypatch):
    report, path = _asked()
    token = path.rsplit("/", 1)[1]
    not_asked = _answered(first_commune(), make_citizen())  # "fixed" less than 4 weeks ago
    forged = [still_fixed.make_token(not_asked.id),
              token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
              "eyJhbGciOiJIUzI1NiJ9.W10.abc", str(report.id), report.code]
    for bad in forged:
        browser = app.test_client()
        assert browser.get(f"/phan-anh/con-tot/{bad}").status_code == 410, bad
        assert post(browser, f"/phan-anh/con-tot/{bad}", {"answer": "broken"}).status_code == 410
    assert app.test_client().get(path + ".").status_code == 200  # the message's full stop
    monkeypatch.setitem(app.config, "REPORT_STILL_FIXED_LINK_DAYS", -1)  # signed a day ago
    browser = app.test_client()
    expired = browser.get(path)
    assert expired.status_code == 410 and "Đường dẫn này không còn dùng được" in (
        expired.get_data(as_text=True))
    assert post(browser, path, {"answer": "broken"}).status_code == 410
    assert _fresh(report).still_fixed_answer == "" and _fresh(report).status == lc.FIXED


def test_an_unknown_answer_is_refused(app, in_app):
    report, path = _asked()
    browser = app.test_client()
    browser.get(path)
    assert _answer(browser, path, "maybe").status_code == 400
    assert _fresh(report).still_fixed_answer == ""


def test_two_taps_at_once_act_once(app, in_app):
    report, _path = _asked()
    stale = Report.get_by_id(report.id)  # both taps read the report before either wrote
    assert still_fixed.record_answer(Report.get_by_id(report.id), "broken") == "reopened"
    assert still_fixed.record_answer(stale, "broken") is None
    assert still_fixed.record_answer(stale, "ok") is None
    assert ReportEvent.select().where((ReportEvent.report == report.id)
                                      & ReportEvent.kind.startswith("still_fixed")).count() == 1
