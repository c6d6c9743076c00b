"""Her answer to "is it still fixed?", four weeks after "fixed" (issue 13).

The message's link opens a page of its own, `/phan-anh/con-tot/<token>`, in any browser and
without signing in: the token, signed with SECRET_KEY like the dossiers' "more papers" link
(`core.links.signed_ids`), names the report and proves that whoever holds it got the message
on the reporter's phone. It lasts REPORT_STILL_FIXED_LINK_DAYS from the
question; a forged, altered or expired link is refused alike.

Two answers, one tap each:

- "ok" (Vẫn ổn) is recorded and may later become "broken" while the link lasts (a street light
  that works today can go out next week);
- "broken" (Hỏng lại rồi) is final: it reopens the report through the reporter's own reopen
  step when the one reopening is still unused, or else asks the commune's officer to look
  (`broken_again_at`, shown in the queue and on the report's page until an officer has looked).
  If the report is already open again, it is only recorded: the commune is at work on it.

Tapping the answer already recorded changes nothing (a double tap, a retry, a second tab): the
answer is written by a conditional update, so only one of two taps at once acts.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from webapp.audit import log as audit
from webapp.core import links
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.reports import lifecycle as lc
from webapp.reports import steps
from webapp.reports.models import Report, ReportEvent
from webapp.tracking.lifecycle import IllegalTransition, StaleItem
from webapp.tracking.timeline import TimelineEntry

SALT = "report-still-fixed"  # a link signed for another purpose never passes here
OK, BROKEN = "ok", "broken"
ANSWERS = (OK, BROKEN)
EVENT_KINDS = {OK: "still_fixed_ok", BROKEN: "still_fixed_broken"}
LOOKED = "broken_again_looked"  # an officer looked at a report that broke again
WORDS = {"still_fixed_ok": _l("You said it is still fixed"),
         "still_fixed_broken": _l("You said it is broken again")}
STAFF_WORDS = {"still_fixed_ok": _l("Four weeks on: still fixed"),
               "still_fixed_broken": _l("Four weeks on: broken again"),
               LOOKED: _l("Looked at: broken again after the reopening")}
DEFAULT_DAYS = 30


def make_token(report_id: int) -> str:
    return links.signed_ids(SALT, report_id)


def link(report: Report) -> str:
    """The address in the message (on PUBLIC_BASE_URL)."""
    return links.external("reports.still_fixed_page", token=make_token(report.id))


def report_for(token: str) -> Report | None:
    """The report a genuine, unexpired link names, once the question was asked; else None."""
    days = current_app.config.get("REPORT_STILL_FIXED_LINK_DAYS", DEFAULT_DAYS)
    found = links.read_signed_ids(SALT, token, 1, days)
    report = Report.get_or_none(Report.id == found[0]) if found else None
    if report is None or report.fixed_check_sent_at is None:
        return None
    return report


def may_answer(report: Report, answer: str) -> bool:
    """Whether this answer would change anything: none yet, or "ok" becoming "broken"."""
    return answer in ANSWERS and report.still_fixed_answer in ("", OK) and (
        report.still_fixed_answer != answer)


def record_answer(report: Report, answer: str) -> str | None:
    """Record her answer; what followed ("reopened", "flagged", "recorded") or None when it
    changed nothing (the same answer again, or a change after "broken")."""
    if not may_answer(report, answer):
        return None
    now = utcnow()
    with database.atomic():
        changed = (Report.update(still_fixed_answer=answer, still_fixed_answered_at=now)
                   .where((Report.id == report.id)
                          & (Report.still_fixed_answer == report.still_fixed_answer))
                   .execute())
        if not changed:  # another tap got there first
            return None
        report.still_fixed_answer, report.still_fixed_answered_at = answer, now
        ReportEvent.create(report=report, created_at=now, kind=EVENT_KINDS[answer],
                           actor_citizen=report.citizen_id)
        outcome = _follow_up(report, now) if answer == BROKEN else "recorded"
    audit.record("report.still_fixed", object_type="report", object_id=report.id,
                 detail={"report": report.code, "answer": answer, "then": outcome},
                 actor=report.citizen)
    return outcome


def _follow_up(report: Report, now) -> str:
    """"Broken again": reopen once, or ask the officer to look, or nothing when already open."""
    if report.status in (lc.FIXED, lc.NOT_FIXED) and not report.reopened:
        try:
            steps.reopen(report, report.version)
            return "reopened"
        except (StaleItem, IllegalTransition):
            report = Report.get_by_id(report.id)  # moved meanwhile: judge it as it is now
    if report.status in lc.ANSWERED_STATUSES:
        Report.update(broken_again_at=now).where(Report.id == report.id).execute()
        report.broken_again_at = now
        return "flagged"
    return "recorded"


def officer_looked(report: Report, staff, note: str = "") -> bool:
    """An officer has looked at a report that broke again: the mark leaves the queue."""
    changed = (Report.update(broken_again_at=None)
               .where((Report.id == report.id) & Report.broken_again_at.is_null(False))
               .execute())
    if changed:
        ReportEvent.create(report=report, kind=LOOKED, actor_staff=staff,
                           internal_note=note)
        report.broken_again_at = None
    return bool(changed)


def with_answers(report: Report, entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Her timeline (newest first) with her answers to "is it still fixed?" in their place:
    the tracked-item timeline shows status changes and public messages only."""
    answers = [TimelineEntry(row.created_at, WORDS[row.kind], "")
               for row in ReportEvent.select().where((ReportEvent.report == report.id)
                                                     & ReportEvent.kind.in_(list(WORDS)))]
    if not answers:
        return entries
    return sorted([*entries, *answers], key=lambda entry: entry.when, reverse=True)
