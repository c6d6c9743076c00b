"""The reports room's blueprint and what its citizen views share: whose draft, whose report."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, session, url_for

from webapp.accounts.auth import current_citizen
from webapp.core.clock import utcnow
from webapp.reports.models import Report, ReportDraft, ReportFollower
from webapp.tracking.codes import normalize_code

reports = Blueprint("reports", __name__)

LOOKUP_GRANTS = "report_lookups"  # session key: ids of reports this visitor looked up
MAX_GRANTS = 10


@reports.after_request
def _private(response):
    """Report pages carry personal data; the public page sets its own caching."""
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def owned_draft(token: str) -> ReportDraft:
    """The signed-in citizen's unsent draft (404 otherwise); a sent one leads to its report."""
    draft = ReportDraft.get_or_none((ReportDraft.token == token)
                                    & (ReportDraft.citizen == current_citizen()))
    if draft is None or draft.expires_at <= utcnow():
        abort(404)
    if draft.report_id:
        abort(redirect(url_for("reports.status", code=draft.report.code), 303))
    return draft


def report_or_404(code: str) -> Report:
    report = Report.by_code(normalize_code(code, current_app.config["DOSSIER_CODE_PREFIX"]))
    return report or abort(404)


def is_reporter(report: Report) -> bool:
    citizen = current_citizen()
    return bool(citizen and citizen.id == report.citizen_id)


def may_follow(report: Report) -> bool:
    """The reporter, someone who said "Tôi cũng gặp" (or whose report was merged into it), or
    whoever looked it up with its code and phone number in this browser."""
    citizen = current_citizen()
    if citizen and (citizen.id == report.citizen_id or ReportFollower.select().where(
            (ReportFollower.report == report) & (ReportFollower.citizen == citizen)).exists()):
        return True
    return report.id in session.get(LOOKUP_GRANTS, [])


def grant(report: Report) -> None:
    grants = [i for i in session.get(LOOKUP_GRANTS, []) if i != report.id]
    session[LOOKUP_GRANTS] = [*grants, report.id][-MAX_GRANTS:]
