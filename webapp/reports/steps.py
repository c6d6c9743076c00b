"""Moving a report: the tracked-item base bound to the report's tables, time and messages.

Officers' steps (triage in the back office) and the reporter's ("it is not fixed") all go
through `perform`. The time to answer is REPORT_WORKING_DAYS working days, or
REPORT_URGENT_WORKING_DAYS once an officer marks the report urgent.
"""

from __future__ import annotations

from flask import current_app

from webapp.reports import lifecycle, messages
from webapp.reports.models import Report, ReportEvent, ReportOutcome
from webapp.tracking import lifecycle as tracked
from webapp.tracking.lifecycle import Move, TrackedKind


def working_days(report: Report) -> int:
    key = "REPORT_URGENT_WORKING_DAYS" if report.urgent else "REPORT_WORKING_DAYS"
    return current_app.config[key]


def _notify(report, event, staff) -> None:
    messages.step(KIND, report, event, staff)


KIND = TrackedKind(
    name="report",
    lifecycle=lifecycle.LIFECYCLE,
    item_model=Report,
    event_model=ReportEvent,
    item_field="report",
    working_days=working_days,
    notify=_notify,
    outcome_model=ReportOutcome,
    outcome_fields=lambda report: {"category": report.category},
)


def perform(report: Report, move: Move) -> ReportEvent:
    """Apply `move` to `report` (see webapp.tracking.lifecycle.perform)."""
    return tracked.perform(KIND, report, move)


def _mark_reopened(item: Report, _event) -> None:
    Report.update(reopened=True).where(Report.id == item.id).execute()
    item.reopened = True


def reopen(report: Report, version: int, reason: str = "") -> ReportEvent:
    """The reporter's "it is not fixed": open it again, once (`reopened` remembers it). From her
    status page with her words, or from her answer to "is it still fixed?"."""
    return perform(report, Move("reopen", version, citizen=report.citizen,
                                public_message=reason, after=_mark_reopened))
