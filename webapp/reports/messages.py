"""The reporter's message at every step of a report, queued in the outbox with the step itself.

One function per event, each registering its text (SMS; ZNS where the province has a template
approved, setting ZNS_TEMPLATE_ and the upper-case key). People who said "Tôi cũng gặp" and the
reporters of merged reports get the same step messages, each under a reference of their own,
so a retried step never texts anyone twice. An officer's words are shortened; the status page
behind the link has them in full.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.core import links
from webapp.core.templating import format_date
from webapp.notifications import templates
from webapp.notifications.outbox import enqueue
from webapp.reports import lifecycle as lc
from webapp.tracking import messages as tracked

SUBMITTED = "report_submitted"
RECEIVED = "report_received"
FORWARDED = "report_forwarded"
MERGED = "report_merged"
FIXED = "report_fixed"
NOT_FIXED = "report_not_fixed"
NOT_OURS = "report_not_ours"
REOPENED = "report_reopened"
JOINED = "report_joined"
STILL_FIXED = "report_still_fixed"

_MESSAGES = (
    (SUBMITTED,
     _l("Your report %(code)s has been sent to %(commune)s. The answer is due by "
        "%(due_date)s. Follow it here: %(link)s"), ["code", "commune", "due_date", "link"]),
    (RECEIVED,
     _l("Report %(code)s has been received by %(commune)s. The answer is due by "
        "%(due_date)s. Questions: call %(officer_phone)s."),
     ["code", "commune", "due_date", "officer_phone"]),
    (FORWARDED,
     _l("Report %(code)s has been forwarded to %(unit)s. Reason: “%(reason)s”. Follow it here: "
        "%(link)s"), ["code", "unit", "reason", "link"]),
    (MERGED,
     _l("Report %(code)s is about the same problem as report %(original)s, so the two are "
        "handled together. You will be told the answer. Follow it here: %(link)s"),
     ["code", "original", "link"]),
    (FIXED,
     _l("Answer to report %(code)s: it has been fixed. “%(answer)s”. Please say whether you "
        "are satisfied: %(link)s"), ["code", "answer", "link"]),
    (NOT_FIXED,
     _l("Answer to report %(code)s: it cannot be fixed now. Reason: “%(answer)s”. Details and "
        "your opinion: %(link)s"), ["code", "answer", "link"]),
    (NOT_OURS,
     _l("Answer to report %(code)s: this is not the commune's responsibility. “%(answer)s”. "
        "Details: %(link)s"), ["code", "answer", "link"]),
    (REOPENED,
     _l("Report %(code)s has been opened again because it is not fixed. The answer is due by "
        "%(due_date)s. Follow it here: %(link)s"), ["code", "due_date", "link"]),
    (JOINED,
     _l("You said you have the same problem as report %(code)s. You will be told each step. "
        "Follow it here: %(link)s"), ["code", "link"]),
    (STILL_FIXED,
     _l("Four weeks ago report %(code)s was answered as fixed. Is it still fixed? Tell us "
        "here: %(link)s"), ["code", "link"]),
)
for _name, _text, _params in _MESSAGES:
    templates.register(_name, text=_text, zns_setting=f"ZNS_TEMPLATE_{_name.upper()}",
                       zns_params=_params)

_STEP_TEMPLATES = {lc.RECEIVED: RECEIVED, lc.FORWARDED: FORWARDED, lc.MERGED: MERGED,
                   lc.FIXED: FIXED, lc.NOT_FIXED: NOT_FIXED, lc.NOT_OURS: NOT_OURS,
                   lc.REOPENED: REOPENED}


def _link(report) -> str:
    return links.external("reports.status", code=report.code)


def submitted(report) -> None:
    """Tell her the report was sent, to whom, by when the answer is due, and how to follow it."""
    enqueue(template=SUBMITTED, phone=report.contact_phone,
            data={"code": report.code, "commune": report.commune.name,
                  "due_date": format_date(report.due_date), "link": _link(report)},
            reference=f"report-{report.id}-submitted")


def joined(report, follower) -> None:
    """Confirm "Tôi cũng gặp": she follows this report now."""
    enqueue(template=JOINED, phone=follower.phone,
            data={"code": report.code, "link": _link(report)},
            reference=f"report-{report.id}-follower-{follower.id}-joined")


def still_fixed(report, link: str) -> None:
    """Four weeks after "fixed": is it still fixed? `link` opens the page that records her
    answer with one tap (webapp/reports/still_fixed.py)."""
    enqueue(template=STILL_FIXED, phone=report.contact_phone,
            data={"code": report.code, "link": link},
            reference=f"report-{report.id}-still-fixed")


def step(kind, report, event, staff=None) -> None:
    """Tell the reporter and her followers about a status change, in the step's transaction."""
    template = _STEP_TEMPLATES.get(event.to_status)
    if template is None:
        return
    if staff is None:
        staff = tracked.last_officer(kind, report.id)
    original = report.merged_into if report.merged_into_id else None
    data = {
        "code": report.code, "commune": report.commune.name,
        "due_date": format_date(report.due_date),
        "officer_phone": tracked.officer_phone(staff, report.commune) or report.commune.name,
        "unit": report.forwarded_to or report.commune.name,
        "reason": tracked.quoted(event.public_message),
        "answer": tracked.quoted(event.public_message),
        "original": original.code if original else "",
        "link": _link(original or report),
    }
    tracked.enqueue_step(kind, report, template=template, data=data)
    for follower in report.followers:
        enqueue(template=template, phone=follower.phone, data=data,
                reference=tracked.step_reference(kind, report, f"-f{follower.id}"))
